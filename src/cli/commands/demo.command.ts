/**
 * `ds-ars demo`: starts the DS simulator in-process and shows what it serves, so the adapter can
 * be tried without access to démarches-simplifiées. Placeholder until the lead wires the full
 * demo (sync, rules, workbook) on top of it.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { startSimulator } from '../../simulator/index.ts';
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

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Démarrer le simulateur DS en local (données fictives) et montrer ce qu’il sert')
    .option('--port <port>', 'port d’écoute du simulateur (par défaut : un port libre)', parsePort)
    .option('--garder-ouvert', 'laisser le simulateur tourner jusqu’à Ctrl+C')
    .action(async (options: { port?: number; garderOuvert?: boolean }, command: Command) => {
      const simulator = await startSimulator(options.port === undefined ? {} : { port: options.port });
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
            { header: 'Numéro', value: (d) => d.number, align: 'right' },
            { header: 'Programme', value: (d) => d.programme },
            { header: 'Titre', value: (d) => d.title },
          ]);
          print(
            command,
            `Pour y brancher ds-ars : DS_API_URL=${simulator.graphqlUrl} DS_API_TOKEN=<jeton ci-dessus> ds-ars <commande>` +
              (options.garderOuvert ? '\nCtrl+C pour arrêter le simulateur.' : ''),
          );
        }
        if (options.garderOuvert) await waitForInterrupt();
      } finally {
        await simulator.close();
      }
    });
}
