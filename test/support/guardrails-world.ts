/**
 * Shared setup of the safety-rail tests (issue 13): the DS simulator over HTTP, a real SQLite
 * file mirrored from it by the real sync, the configuration an ARS team writes after `init`
 * (written to a file), and `ds-ars` run as a child process against both, as in production.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { RequestBudget } from '../../src/graphql/budget.ts';
import { DsClient } from '../../src/graphql/client.ts';
import { formFromMirror } from '../../src/rules/mapping/form-descriptors.ts';
import { matchAnnotations } from '../../src/rules/mapping/match-annotations.ts';
import { matchLabels } from '../../src/rules/mapping/match-labels.ts';
import { PROGRAMMES } from '../../src/domain/programmes/index.ts';
import { startSimulator, type RunningSimulator, type SimDemarcheInfo } from '../../src/simulator/index.ts';
import { runSync } from '../../src/sync/sync-runner.ts';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export interface GuardrailsWorld {
  sim: RunningSimulator;
  dir: string;
  dbPath: string;
  configPath: string;
  demarche: SimDemarcheInfo;
  /** The démarche's configuration as `init` proposes it (mapping, annotations). */
  demarcheConfig: Record<string, unknown> & { mapping: Record<string, unknown> };
  client: DsClient;
  /** Writes the configuration file; `edit` changes the démarche's entry first. */
  writeConfig(edit?: (demarche: GuardrailsWorld['demarcheConfig']) => void, extra?: Record<string, unknown>): void;
  sync(): Promise<void>;
  /** `ds-ars …` in a child process; stdin is closed (no TTY) unless `input` is given. */
  /** With `tty` and `when`, `input` is typed only once the output shows `when` (a key pressed at the question). */
  cli(args: readonly string[], options?: { input?: string; env?: Record<string, string>; tty?: boolean; when?: string }): Promise<CliRun>;
  withDb<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function createGuardrailsWorld(options: { seed?: number; dossiers?: number } = {}): Promise<GuardrailsWorld> {
  const sim = await startSimulator({ seed: options.seed ?? 13, programmes: ['aumg'], dossiersPerDemarche: options.dossiers ?? 40 });
  const demarche = sim.demarches[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-garde-fous-'));
  const dbPath = join(dir, 'ds-ars.sqlite');
  const configPath = join(dir, 'ds-ars.json');
  const client = new DsClient({
    url: sim.graphqlUrl,
    token: sim.tokens.readWrite,
    budget: new RequestBudget({ perMinute: 60_000, burst: 100 }),
    maxRetries: 1,
    baseDelayMs: 5,
  });
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const db = await openDatabase(dbPath);
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  };
  const sync = () =>
    withDb(async (db) => {
      const report = await runSync({ db, client }, { demarches: [demarche.number] });
      if (report.status !== 'ok') throw new Error(`sync failed: ${report.results.map((r) => r.error).join('; ')}`);
    });
  await sync();
  const demarcheConfig = await withDb(async (db) => {
    const form = await formFromMirror(db, demarche.number);
    if (!form) throw new Error('démarche not mirrored');
    const annotations = matchAnnotations(form.annotations);
    return {
      number: demarche.number,
      programme: demarche.programme,
      instructeurEmail: demarche.instructeurEmails[0],
      session: demarche.session,
      mapping: matchLabels(PROGRAMMES[demarche.programme], form.champs).mapping as Record<string, unknown>,
      annotations: Object.fromEntries(Object.entries(annotations).map(([key, d]) => [key, d.id])),
    };
  });
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? dir,
    DS_API_URL: sim.graphqlUrl,
    DS_API_TOKEN: sim.tokens.readWrite,
    DS_ARS_DB: dbPath,
    DS_ARS_CONFIG: configPath,
    DS_ARS_FILES_DIR: join(dir, 'fichiers'),
    DS_ARS_RATE_LIMIT: '6000',
    DS_ARS_LOG_LEVEL: 'silent',
  };
  const world: GuardrailsWorld = {
    sim,
    dir,
    dbPath,
    configPath,
    demarche,
    demarcheConfig,
    client,
    writeConfig(edit, extra = {}) {
      const entry = structuredClone(demarcheConfig);
      edit?.(entry);
      writeFileSync(configPath, JSON.stringify({ demarches: [entry], output: { dir: join(dir, 'rapports') }, ...extra }, null, 2));
    },
    sync,
    cli(args, o = {}) {
      return new Promise((resolve, reject) => {
        // With `tty`, util-linux `script` runs the command on a pseudo-terminal (stdin.isTTY), typing `input`.
        const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
        const [file, argv] = o.tty
          ? ['script', ['-qec', [process.execPath, 'bin/ds-ars.js', ...args].map(quote).join(' '), '/dev/null']]
          : [process.execPath, ['bin/ds-ars.js', ...args]];
        const child = spawn(file, argv, {
          cwd: process.cwd(),
          env: { ...env, ...o.env },
          stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        let typed = false;
        const type = () => {
          typed = true;
          child.stdin?.end(o.input);
        };
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (o.input !== undefined && o.when !== undefined && !typed && out.includes(o.when)) type();
        });
        child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out, err }));
        if (o.input !== undefined && o.when === undefined) type();
      });
    },
    withDb,
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
