/**
 * limitHeapGrowth() sets a V8 flag after start-up (src/cli/entry.ts), not on node's command line:
 * Node refuses --heap-growing-percent in NODE_OPTIONS, and `node bin/ds-ars.js` (npm scripts, the
 * worker's service) ignores a shebang. This checks that the late setting takes effect: over one
 * fixed batch workload, the process that calls it runs about as many full collections as one
 * started with the flag, and clearly more than one without it (growth capped at 2× the live data).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function fullCollections(nodeFlags: string[], mode: 'none' | 'limit'): Promise<number> {
  const { stdout } = await run(process.execPath, [...nodeFlags, '--import', 'tsx', 'test/support/heap-growth-child.ts', mode], {
    cwd: process.cwd(),
  });
  return Number(stdout.trim().split(' ')[0]);
}

describe('limitHeapGrowth', () => {
  it('takes effect when set after start-up, like --heap-growing-percent=100 on the command line', async () => {
    const [none, late, commandLine] = await Promise.all([
      fullCollections([], 'none'),
      fullCollections([], 'limit'),
      fullCollections(['--heap-growing-percent=100'], 'none'),
    ]);
    expect(commandLine).toBeGreaterThanOrEqual(none * 1.5);
    expect(late).toBeGreaterThanOrEqual(none * 1.5);
    expect(late).toBeGreaterThanOrEqual(commandLine * 0.75);
  });
});
