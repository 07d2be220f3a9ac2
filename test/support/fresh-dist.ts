/**
 * vitest global set-up: tests that spawn bin/ds-ars.js run the compiled dist/. `npm test` builds
 * it first (pretest); when a single test file is run by hand after a change in src/, this rebuilds
 * dist/ so that those tests never run stale code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export default function setup(): void {
  const stamp = join('dist', '.build-stamp');
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const sources = Math.max(newestMtime('src'), newestMtime('package.json'));
  if (sources > built) execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
}
