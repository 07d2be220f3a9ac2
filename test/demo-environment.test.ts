/**
 * `ds-ars demo` runs every command in-process against the simulator with its own settings
 * (DS_API_URL, DS_ARS_DB…): it passes them to each command and leaves process.env as it found it
 * (issue #18: the demo mutated process.env, which leaked into whatever ran next in the process).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { argv, capture } from './support/cli-capture.ts';

describe('demo environment', () => {
  it('runs every step with its own settings and leaves process.env unchanged', async () => {
    const before = { ...process.env };
    const out = join(mkdtempSync(join(tmpdir(), 'ds-ars-demo-env-')), 'demo');
    const io = capture();
    const code = await main(argv('demo', '--sortie', out, '--dossiers', '3'), io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).not.toContain('✘');
    expect(readdirSync(join(out, 'sorties'))).toContain('12-journal.txt');
    expect({ ...process.env }).toEqual(before);
  }, 180_000);
});
