/**
 * The deployment path of docs/DEPLOIEMENT.md, for real: `npm pack`, then `npm install --omit=dev`
 * of the tarball into an empty folder, then the installed `ds-ars` runs the simulator, a sync and
 * the status, with no TypeScript tooling (tsx, typescript, graphql-codegen) installed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = process.cwd();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

let dir: string;
let app: string;
let tarball: string;
let simulator: ChildProcess | undefined;

/**
 * better-sqlite3 installs through `prebuild-install || node-gyp rebuild`. Without access to its
 * prebuilt binaries it compiles SQLite from source: 1 to 4 minutes on the 2-core machine, more than
 * the rest of the suite is worth. prebuild-install also looks for a local prebuild
 * (npm_config_better_sqlite3_local_prebuilds), so the test hands it the binary that the project's own
 * `npm ci` compiled, packed as a prebuild: the install script still runs and still places the
 * binary; only where it comes from differs, as on a server that downloads the official prebuild.
 * When the resolved better-sqlite3 differs from the project's, the name does not match and the
 * install compiles from source: slower, still correct (hence the long timeout).
 */
async function localPrebuildDir(): Promise<string> {
  const sqlite = join(root, 'node_modules', 'better-sqlite3');
  const { version: sqliteVersion } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as { version: string };
  const prebuilds = join(dir, 'prebuilds');
  mkdirSync(prebuilds);
  const name = `better-sqlite3-v${sqliteVersion}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', ['-czf', join(prebuilds, name), '-C', sqlite, 'build/Release/better_sqlite3.node']);
  return prebuilds;
}

function dsArs(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [join(app, 'node_modules', 'ds-ars', 'bin', 'ds-ars.js'), ...args], {
    cwd: app,
    env: { ...process.env, DS_ARS_LOG_LEVEL: 'warn', ...env },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ds-ars-pack-'));
  // dist/ was just built by `pretest` (or by test/support/fresh-dist.ts): packing runs no script again.
  const packed = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(dir, info!.filename);
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'deploiement', private: true }));
  const prebuilds = await localPrebuildDir();
  // --prefer-offline: the tarballs come from the npm cache filled by the project's `npm ci`.
  await run(npm, ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    cwd: app,
    env: { ...process.env, npm_config_better_sqlite3_local_prebuilds: prebuilds },
    maxBuffer: 16 * 1024 * 1024,
  });
}, 600_000);

afterAll(() => {
  simulator?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// SQLite only: the installed npm tarball's first run, as docs/DEPLOIEMENT.md describes it (a SQLite file by default).
describe('the npm tarball installed with --omit=dev', () => {
  it('holds the compiled code, not the sources, and installs no build tooling', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n');
    expect(files).toContain('package/bin/ds-ars.js');
    expect(files).toContain('package/dist/cli/entry.js');
    expect(files).toContain('package/dist/db/checkpointer.worker.js');
    expect(files).toContain('package/dist/graphql/ds-schema.graphql');
    expect(files.some((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toBe(false);
    const installed = readdirSync(join(app, 'node_modules'));
    for (const tool of ['tsx', 'typescript', '@graphql-codegen', 'vitest', 'esbuild']) expect(installed).not.toContain(tool);
    expect(existsSync(join(app, 'node_modules', 'ds-ars', 'dist', 'cli', 'entry.js'))).toBe(true);
  });

  it('answers --version', async () => {
    const { stdout } = await dsArs(['--version']);
    expect(stdout.trim()).toBe(version);
  });

  it('runs the simulator, syncs a démarche from it and shows the status', async () => {
    const child = spawn(
      process.execPath,
      [join(app, 'node_modules', 'ds-ars', 'bin', 'ds-ars.js'), '--json', 'simulator', '--port', '0', '--dossiers', '7', '--seed', '5'],
      {
        cwd: app,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    simulator = child;
    let out = '';
    const info = await new Promise<{ graphqlUrl: string; tokens: { readOnly: string }; demarches: { number: number }[] }>(
      (resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          try {
            resolve(JSON.parse(out));
          } catch {
            // Not the whole JSON yet.
          }
        });
        child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
      },
    );
    const demarche = info.demarches[0]!.number;
    // What DS lists for that démarche, asked directly over HTTP.
    const answer = await fetch(info.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${info.tokens.readOnly}` },
      body: JSON.stringify({
        query: 'query($n: Int!) { demarche(number: $n) { dossiers(first: 100) { nodes { number } } } }',
        variables: { n: demarche },
      }),
    });
    const listed = ((await answer.json()) as { data: { demarche: { dossiers: { nodes: unknown[] } } } }).data.demarche.dossiers.nodes
      .length;
    expect(listed).toBeGreaterThan(0);

    const env = { DS_API_URL: info.graphqlUrl, DS_API_TOKEN: info.tokens.readOnly, DS_ARS_DB: join(dir, 'ds-ars.sqlite') };
    await dsArs(['sync', '--demarche', String(demarche)], env);
    const status = JSON.parse((await dsArs(['--json', 'status'], env)).stdout) as { demarche: number; live: number }[];
    expect(status).toEqual([expect.objectContaining({ demarche, live: listed })]);
    const table = (await dsArs(['status'], env)).stdout;
    expect(table).toContain(String(demarche));
  });
});
