/**
 * What a user of a Node CLI expects, through the built `bin/ds-ars.js` as a child process:
 * --version, a closed pipe ends the command quietly, short French log lines for people and JSON
 * lines for machines, French messages for Node's own aborts.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCliError } from '../src/cli/exit.ts';
import { toError } from '../src/errors.ts';
import { frenchCronMessage } from '../src/worker/cron.ts';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';

const run = promisify(execFile);
const BIN = 'bin/ds-ars.js';
let sim: RunningSimulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 12, dossiersPerDemarche: 5, programmes: ['aumg'] });
  dir = mkdtempSync(join(tmpdir(), 'ds-ars-cli-'));
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function syncEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DS_ARS_LOG_FORMAT: _format, ...env } = process.env;
  return {
    ...env,
    DS_API_URL: sim.graphqlUrl,
    DS_API_TOKEN: sim.tokens.readOnly,
    DS_ARS_DB: join(dir, `${Object.values(extra).join('-') || 'x'}.sqlite`),
    DS_ARS_LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Runs the CLI with stdout closed by the reader before anything is written. */
function withClosedStdout(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

// SQLite only: the CLI's own conventions (loading, pipes, log lines); the database is incidental.
describe('ds-ars CLI conventions', () => {
  it('prints the package version with --version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect((await run(process.execPath, [BIN, '--version'])).stdout.trim()).toBe(version);
    expect((await run(process.execPath, [BIN, '-V'])).stdout.trim()).toBe(version);
  });

  it('loads neither the database, the simulator, exceljs, nodemailer nor the DS client for --help and --version', async () => {
    for (const args of [['--help'], ['--version'], ['sync', '--help']]) {
      const trace = join(dir, `modules-${args.join('')}.txt`);
      await run(process.execPath, ['--import', './test/support/trace-loads.mjs', BIN, ...args], {
        env: { ...process.env, DS_ARS_TRACE_LOADS: trace },
      });
      const loaded = readFileSync(trace, 'utf8');
      expect(loaded).toContain('/dist/cli/entry.js');
      for (const heavy of [
        'better-sqlite3',
        'exceljs',
        'nodemailer',
        'graphql',
        'graphql-request',
        'pino',
        'node-cron',
        'undici',
        'cli-progress',
      ]) {
        expect(loaded, `${args.join(' ')} charge ${heavy}`).not.toContain(`/node_modules/${heavy}/`);
      }
    }
  });

  it('ends quietly with code 0 when the reader closed the pipe (ds-ars --help | head -1)', async () => {
    const help = await withClosedStdout(['--help']);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
  });

  it('ends quietly when the reader of the journal closed the pipe (ds-ars journal | head)', async () => {
    // A mirror must exist: only `sync` and `init` create one (#14 case 4), `journal` only reads it.
    const env = syncEnv({ DS_ARS_LOG_LEVEL: 'silent' });
    await run(process.execPath, [BIN, 'sync', '--demarche', String(sim.demarches[0]!.number)], { env });
    const journal = await withClosedStdout(['journal'], env);
    expect(journal.stderr).toBe('');
    expect(journal.code).toBe(0);
  });

  it('logs short French lines (Paris time, level, message) with DS_ARS_LOG_FORMAT=texte', async () => {
    const { stderr } = await run(process.execPath, [BIN, 'sync', '--demarche', String(sim.demarches[0]!.number)], {
      env: syncEnv({ DS_ARS_LOG_FORMAT: 'texte' }),
    });
    const lines = stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\d{2}:\d{2}:\d{2} (info|attention|erreur|débogage) +\S/);
    expect(stderr).toContain(`(démarche ${sim.demarches[0]!.number})`);
    expect(stderr).not.toContain('{');
  });

  // `script` gives the command a terminal: the progress line is drawn, and a log line must not follow it on the same row.
  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'on a terminal, starts a log line on a cleared row and keeps the error’s reason',
    async () => {
      const env = syncEnv({ DS_API_TOKEN: 'jeton-faux' });
      // Asynchronous: the simulator answers from this process.
      const { stdout } = await run(
        'script',
        ['-qc', `${process.execPath} ${BIN} sync --demarche ${sim.demarches[0]!.number}`, '/dev/null'],
        {
          env,
        },
      ).catch((error: { stdout: string }) => error);
      const error = /([\s\S]{4})\d{2}:\d{2}:\d{2} erreur +(.*)/.exec(stdout);
      expect(error, stdout).not.toBeNull();
      expect(error?.[1]).toBe('\r\u001b[K');
      expect(error?.[2]).toContain('Jeton DS invalide');
      // The progress line's elapsed time, French: « 0 s », not cli-progress's « 0s ».
      expect(stdout).toMatch(/ · \d+ s/);
      expect(stdout).not.toMatch(/ · \d+s\b/);
    },
    30_000,
  );

  it('logs JSON lines when stderr is not a terminal, and with --json', async () => {
    const demarche = String(sim.demarches[0]!.number);
    for (const [args, extra] of [
      [['sync', '--demarche', demarche], {}],
      [['--json', 'sync', '--demarche', demarche], { DS_ARS_LOG_FORMAT: 'texte' }],
    ] as const) {
      const { stderr } = await run(process.execPath, [BIN, ...args], { env: syncEnv(extra) });
      const records = stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((r) => typeof r.msg === 'string' && typeof r.level === 'number')).toBe(true);
    }
  });

  it('refuses an unknown DS_ARS_LOG_FORMAT with a French configuration error (exit 2)', async () => {
    const failed = await run(process.execPath, [BIN, 'sync', '--demarche', '1'], { env: syncEnv({ DS_ARS_LOG_FORMAT: 'joli' }) }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('DS_ARS_LOG_FORMAT=joli');
  });

  it('names the TypeScript lines in the stack of an unexpected error (source maps of dist/)', async () => {
    const bad = join(dir, 'pas-une-base.sqlite');
    writeFileSync(bad, 'ceci n’est pas une base SQLite');
    const failed = await run(process.execPath, [BIN, 'status'], { env: { ...process.env, DS_ARS_DB: bad, DS_ARS_DEBUG: '1' } }).catch(
      (error: { stderr: string }) => error,
    );
    expect((failed as { stderr: string }).stderr).toMatch(/src\/db\/database\.ts:\d+/);
  });

  it('logs node-cron’s English warnings as French lines', () => {
    expect(
      frenchCronMessage(
        'missed execution at Sun Oct 25 2026 02:30:00 GMT+0100! Possible blocking IO or high CPU user at the same process used by node-cron.',
      ),
    ).toMatch(/^Créneau planifié manqué/);
    expect(frenchCronMessage('task still running, new execution blocked by overlap prevention!')).toMatch(
      /^Le passage précédent est encore en cours/,
    );
    expect(frenchCronMessage('something new')).not.toMatch(/something/);
  });

  it('says in French that an operation was aborted, never « This operation was aborted »', async () => {
    const controller = new AbortController();
    controller.abort();
    const thrown = await fetch(sim.graphqlUrl, { signal: controller.signal }).catch((error: unknown) => error);
    expect((thrown as Error).message).toBe('This operation was aborted');
    expect(toError(thrown).message).toBe('opération interrompue (arrêt demandé ou délai dépassé)');
    expect(formatCliError(thrown, false)).not.toContain('This operation');
    expect(formatCliError(thrown, false)).toContain('opération interrompue');
  });
});
