// Set-ups shared by the benches: a simulator in its own process that children sync from, and a
// démarche synced into a database and configured as `ds-ars init` would, ready to be checked.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseConfig, type DemarcheConfig } from '../src/config/file.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { DsClient } from '../src/graphql/client.ts';
import { formFromMirror } from '../src/rules/mapping/form-descriptors.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';
import { runSync } from '../src/sync/sync-runner.ts';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** What bench/sync-child.ts prints; each bench reads the figures it needs. */
export interface SyncChildReport {
  status: string[];
  error: string | null;
  dossiers: number;
  fullMs: number;
}

export interface SimulatorChild {
  /** Runs bench/sync-child.ts into `target` (a SQLite path or a postgres:// URL); throws unless its first sync was ok. */
  syncInto<R extends SyncChildReport>(target: string): Promise<R>;
  stop(): void;
}

/** The simulator of bench/simulator-child.ts, in its own process so that the syncs are timed alone. */
export async function startSimulatorChild(dossiers: number, champs: number, latencyMs: number): Promise<SimulatorChild> {
  const simulator = spawn(
    process.execPath,
    ['--import', 'tsx', here('./simulator-child.ts'), String(dossiers), String(champs), String(latencyMs)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      // graphql-js skips its development-time checks in production mode (a third of the simulator's CPU).
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  const stop = (): void => {
    simulator.stdin.end();
    simulator.kill('SIGTERM');
  };
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: simulator.stdout }).once('line', resolve);
      simulator.once('exit', (code) => reject(new Error(`le simulateur s’est arrêté (code ${code})`)));
    });
    const sim = JSON.parse(first) as { graphqlUrl: string; token: string; demarche: number };
    return {
      async syncInto<R extends SyncChildReport>(target: string): Promise<R> {
        const child = ['--import', 'tsx', here('./sync-child.ts'), sim.graphqlUrl, sim.token, String(sim.demarche), target];
        const { stdout } = await promisify(execFile)(process.execPath, child, { maxBuffer: 1 << 20 });
        const report = JSON.parse(stdout) as R;
        if (report.status[0] !== 'ok') throw new Error(`synchronisation en échec : ${report.error ?? report.status.join(', ')}`);
        return report;
      },
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}

export interface MirroredDemarche {
  sim: RunningSimulator;
  db: Db;
  client: DsClient;
  demarche: DemarcheConfig;
  close(): Promise<void>;
}

/** An ASR démarche of `dossiers` dossiers synced from an in-process simulator into `target`, mapped as `init` proposes. */
export async function mirroredAsrDemarche(target: string, dossiers: number): Promise<MirroredDemarche> {
  const sim = await startSimulator({ seed: 7, programmes: ['asr'], dossiersPerDemarche: dossiers, rateLimitPerMinute: 0 });
  const db = await openDatabase(target);
  const close = async (): Promise<void> => {
    await db.destroy();
    await sim.close();
  };
  try {
    const client = new DsClient({ url: sim.graphqlUrl, token: sim.tokens.readWrite });
    const info = sim.demarches[0]!;
    await runSync({ db, client }, { demarches: [info.number] });
    const form = await formFromMirror(db, info.number);
    if (!form) throw new Error('démarche non synchronisée');
    const mapping = matchLabels(PROGRAMMES[info.programme], form.champs).mapping;
    const demarche = parseConfig(
      { demarches: [{ number: info.number, programme: info.programme, session: info.session, mapping }] },
      'bench',
    ).demarches[0]!;
    return { sim, db, client, demarche, close };
  } catch (error) {
    await close();
    throw error;
  }
}
