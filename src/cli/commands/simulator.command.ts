/** `ds-ars simulator`: runs the DS simulator standalone (demo, manual tests, other processes). */
import { InvalidArgumentError, type Command } from 'commander';
import type { RunningSimulator } from '../../simulator/index.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`entier attendu entre ${min} et ${max}`);
    return n;
  };
}

interface SimulatorCommandOptions {
  port: number;
  host: string;
  seed: number;
  dossiers: number;
  latency?: number;
  champs?: number;
  rateLimit: number;
  quotitesParAnnee?: boolean;
}

/** What the command prints, also as JSON for scripts. */
export function describeSimulator(sim: RunningSimulator): Record<string, unknown> {
  return {
    url: sim.url,
    graphqlUrl: sim.graphqlUrl,
    demarches: sim.demarches.map((d) => ({
      number: d.number,
      programme: d.programme,
      title: d.title,
      instructeurEmails: d.instructeurEmails,
      session: d.session,
    })),
    tokens: { readWrite: sim.tokens.readWrite, readOnly: sim.tokens.readOnly },
  };
}

export interface SimulatorCommandDeps {
  /** Resolves when the simulator must stop (default: SIGINT or SIGTERM); tests pass their own. */
  waitForStop?: () => Promise<string>;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerSimulatorCommand(program: Command, deps: SimulatorCommandDeps = {}): void {
  program
    .command('simulator')
    .description('Lancer le simulateur de démarches-simplifiées (API GraphQL v2) sur la boucle locale, avec des dossiers générés')
    .option('-p, --port <port>', 'port d’écoute (0 = au hasard)', integer(0, 65_535), 4000)
    .option('--host <adresse>', 'adresse d’écoute', '127.0.0.1')
    .option('-s, --seed <graine>', 'graine des données générées', integer(0, 2 ** 31), 1)
    .option('-n, --dossiers <nombre>', 'dossiers par démarche', integer(0, 100_000), 60)
    .option('--latency <ms>', 'latence ajoutée à chaque réponse GraphQL (ms)', integer(0, 60_000))
    .option('--champs <nombre>', 'nombre de champs par dossier (complété par des champs texte)', integer(1, 500))
    .option('--rate-limit <requêtes>', 'requêtes par minute et par jeton (0 = sans limite)', integer(0, 1_000_000), 400)
    .option(
      '--quotites-par-annee',
      'servir aussi la démarche 131208 : le formulaire ASR avec la répartition du temps en bloc répétable, une ligne par année',
    )
    .action(async (options: SimulatorCommandOptions, command: Command) => {
      const { startSimulator } = await import('../../simulator/index.ts');
      const sim = await startSimulator({
        port: options.port,
        host: options.host,
        seed: options.seed,
        dossiersPerDemarche: options.dossiers,
        rateLimitPerMinute: options.rateLimit,
        ...(options.latency !== undefined ? { faults: { latencyMs: options.latency } } : {}),
        ...(options.champs !== undefined ? { champsPerDossier: options.champs } : {}),
        ...(options.quotitesParAnnee === true ? { variants: ['quotites_par_annee' as const] } : {}),
      });
      if (wantsJson(command)) {
        printJson(command, describeSimulator(sim));
      } else {
        print(command, `Simulateur démarches-simplifiées démarré sur ${sim.url}`);
        print(command, `Point d’entrée GraphQL : ${sim.graphqlUrl}`);
        print(command, `Graine : ${options.seed} — ${options.dossiers} dossiers par démarche`);
        printTable(command, sim.demarches, [
          { header: 'Démarche', value: (d) => String(d.number), align: 'right' },
          { header: 'Programme', value: (d) => d.programme.toUpperCase() },
          { header: 'Titre', value: (d) => d.title },
          { header: 'Clôture', value: (d) => d.session.closingDate },
        ]);
        print(command, `Jeton lecture/écriture : ${sim.tokens.readWrite}`);
        print(command, `Jeton lecture seule : ${sim.tokens.readOnly}`);
        print(command, 'Arrêt avec Ctrl+C.');
      }
      const signal = await (deps.waitForStop ?? waitForSignal)();
      await sim.close();
      if (!wantsJson(command)) print(command, `Simulateur arrêté (${signal}).`);
    });
}
