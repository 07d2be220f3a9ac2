/**
 * `ds-ars demo` (`npm run demo`): the whole pipeline against the DS simulator, in-process, with
 * every output in a folder. `--serveur` only starts the simulator and shows what it serves.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { PartialFailure } from '../exit.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidArgumentError('un port entre 0 et 65535 est attendu.');
  return port;
}

function waitForInterrupt(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function serveOnly(command: Command, port: number | undefined, keepOpen: boolean): Promise<void> {
  const { startSimulator } = await import('../../simulator/index.ts');
  const simulator = await startSimulator(port === undefined ? {} : { port });
  try {
    if (wantsJson(command)) {
      printJson(command, { graphqlUrl: simulator.graphqlUrl, tokens: simulator.tokens, demarches: simulator.demarches });
    } else {
      print(
        command,
        [
          'Simulateur démarches-simplifiées démarré (local, données fictives).',
          `  API GraphQL            : ${simulator.graphqlUrl}`,
          `  Jeton lecture/écriture : ${simulator.tokens.readWrite}`,
          `  Jeton lecture seule    : ${simulator.tokens.readOnly}`,
          '',
          'Démarches servies :',
        ].join('\n'),
      );
      printTable(command, simulator.demarches, [
        { header: 'Numéro', value: (d) => String(d.number), align: 'right' },
        { header: 'Programme', value: (d) => d.programme },
        { header: 'Titre', value: (d) => d.title },
      ]);
      print(
        command,
        `Pour y brancher ds-ars : DS_API_URL=${simulator.graphqlUrl} DS_API_TOKEN=<jeton ci-dessus> ds-ars <commande>${keepOpen ? '\nCtrl+C pour arrêter le simulateur.' : ''}`,
      );
    }
    if (keepOpen) await waitForInterrupt();
  } finally {
    await simulator.close();
  }
}

/** Runs one `ds-ars` command line in this process and returns its exit code (`main` of ../main.ts). */
export type RunCli = (
  argv: string[],
  io: { writeOut: (text: string) => void; writeErr: (text: string) => void; env: NodeJS.ProcessEnv },
) => Promise<number>;

/** `runCli` is given by main.ts (which registers this command): importing it here would be a cycle. */
export function registerDemoCommand(program: Command, runCli: RunCli): void {
  program
    .command('demo')
    .description(
      'Démonstration complète contre le simulateur DS (données fictives) : synchronisation, contrôles, annotations, classeurs, mail, décisions',
    )
    .option('--sortie <dossier>', 'dossier où tout est écrit', 'demo-output')
    .option('--dossiers <n>', 'dossiers par démarche simulée', (v) => Number.parseInt(v, 10), 40)
    .option('--serveur', 'seulement démarrer le simulateur et montrer ce qu’il sert')
    .option('--port <port>', 'avec --serveur : port d’écoute (par défaut : un port libre)', parsePort)
    .option('--garder-ouvert', 'avec --serveur : laisser le simulateur tourner jusqu’à Ctrl+C')
    .action(
      async (options: { sortie: string; dossiers: number; serveur?: boolean; port?: number; garderOuvert?: boolean }, command: Command) => {
        if (options.serveur) return serveOnly(command, options.port, options.garderOuvert ?? false);
        const [{ runDemo }, { programEnvironment }] = await Promise.all([
          import('../../demo/run-demo.ts'),
          import('../command-context.ts'),
        ]);
        const own = programEnvironment(command);
        const result = await runDemo({
          outDir: options.sortie,
          dossiersPerDemarche: options.dossiers,
          say: (line) => print(command, line),
          run: async (args, settings) => {
            let out = '';
            let err = '';
            const code = await runCli(['node', 'ds-ars', ...args], {
              writeOut: (t) => void (out += t),
              writeErr: (t) => void (err += t),
              env: { ...own, ...settings },
            });
            return { code, out, err };
          },
        });
        if (!result.ok) throw new PartialFailure('certaines étapes de la démonstration ont échoué : voir les fichiers de sortie.');
      },
    );
}
