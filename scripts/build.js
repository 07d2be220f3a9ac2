#!/usr/bin/env node
// Production build: bundles src/ into dist/ with esbuild (ES modules, one chunk per command's
// dynamic import, source maps so stack traces name the .ts lines) and copies the files the code
// reads at run time. Run by `npm run build`, hence by `prepare` (npm ci, npm pack) and `pretest`.
// Type checking is `tsc --noEmit` (pretest); esbuild only strips types.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Pure-JS libraries made of many small modules are bundled: Node then reads a few files instead of
// hundreds at start-up (kysely alone is 263 ES modules). The others stay ordinary dependencies:
// native code (better-sqlite3), workers or files of their own (pino, node-cron, undici), and the
// big libraries only a few commands load (exceljs, nodemailer, graphql).
const BUNDLED = new Set(['kysely', 'zod', 'commander', 'yaml', 'cron-parser', '@date-fns/tz']);
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name));

// Files read next to the code (new URL('../<dir>/<file>', import.meta.url) from dist/cli/ or dist/chunks/).
const ASSETS = ['graphql/ds-schema.graphql'];

rmSync(dist, { recursive: true, force: true });
try {
  await build({
    absWorkingDir: root,
    entryPoints: { 'cli/entry': 'src/cli/entry.ts', 'db/checkpointer.worker': 'src/db/checkpointer.worker.js' },
    outdir: dist,
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    sourcemap: true,
    sourcesContent: false,
    // CommonJS code bundled into ES modules (commander) calls require().
    banner: {
      js: "import { createRequire as __dsArsCreateRequire } from 'node:module';\nconst require = __dsArsCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
} catch {
  process.stderr.write('La compilation de src/ vers dist/ a échoué (voir les erreurs ci-dessus).\n');
  process.exit(1);
}
for (const asset of ASSETS) {
  mkdirSync(dirname(join(dist, asset)), { recursive: true });
  copyFileSync(join(root, 'src', asset), join(dist, asset));
}
// Marks a complete build: the test set-up rebuilds when a source is newer than this file.
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
