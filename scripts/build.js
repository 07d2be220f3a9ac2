#!/usr/bin/env node
// Production build: compiles src/ to dist/ (tsc, source maps) and copies the files the code reads
// at run time. Run by `npm run build`, hence by `prepare` (npm ci, npm pack) and `pretest`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// Files read next to the compiled code (new URL(..., import.meta.url)); checkpointer.worker.js is
// emitted by tsc itself (allowJs).
const ASSETS = ['graphql/ds-schema.graphql'];

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write('La compilation de src/ vers dist/ a échoué (voir les erreurs ci-dessus).\n');
  process.exit(result.status ?? 1);
}
for (const asset of ASSETS) {
  mkdirSync(dirname(join(dist, asset)), { recursive: true });
  copyFileSync(join(root, 'src', asset), join(dist, asset));
}
// Marks a complete build: the test set-up rebuilds when a source is newer than this file.
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
