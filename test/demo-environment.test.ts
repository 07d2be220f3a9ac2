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
import { displayPath } from '../src/shared/display-path.ts';
import { frenchSeconds } from '../src/shared/french-format.ts';
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
    // A folder outside the working directory is shown whole, never as « ../../tmp/… »; seconds French.
    expect(io.out()).not.toContain('../');
    expect(io.out()).toContain(`→ ${join(out, 'sorties', '01-sync.txt')}`);
    expect(io.out()).toMatch(/\(\d+,\d s, code 0\)/);
    expect(io.out()).toMatch(/Démonstration terminée en \d+,\d s\./);
  }, 180_000);
});

describe('paths shown to a person', () => {
  it('are relative under the working directory, absolute when the relative path would climb out of it', () => {
    expect(displayPath('/srv/ds-ars/demo/sorties/01-sync.txt', '/srv/ds-ars')).toBe('demo/sorties/01-sync.txt');
    expect(displayPath('/tmp/demo1/sorties/01-sync.txt', '/srv/ds-ars')).toBe('/tmp/demo1/sorties/01-sync.txt');
    expect(displayPath('/srv/ds-ars', '/srv/ds-ars')).toBe('.');
    expect(frenchSeconds(16.04)).toBe('16,0 s');
  });
});
