/**
 * A configuration error lists its problems one per line on stderr (README « Configuration » :
 * toutes les erreurs sont signalées ensemble, code de sortie 2); it used to print them all on a
 * single line. Other errors stay on one line. The CLI runs in-process on real files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { argv, capture } from './support/cli-capture.ts';

let dir: string;
const saved = { ...process.env };

async function run(...args: string[]) {
  const io = capture();
  const code = await main(argv(...args), io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ds-ars-error-lines-'));
  Object.assign(process.env, { DS_ARS_DB: join(dir, 'ds-ars.sqlite'), DS_ARS_LOG_LEVEL: 'silent' });
  delete process.env.DS_ARS_CONFIG;
  delete process.env.DS_ARS_DEBUG;
});

afterAll(() => {
  process.env = saved;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('CLI errors on stderr', () => {
  it('a configuration with two problems: one problem per line, indented, then what to do', async () => {
    const path = join(dir, 'deux-problemes.json');
    // Two mistakes PROGRAMMES.md rules out: a date that does not exist, a programme that does not exist.
    writeFileSync(
      path,
      JSON.stringify({
        demarches: [
          { number: 104512, programme: 'aumg', session: { closingDate: '2025-13-45' } },
          { number: 131207, programme: 'inconnu', session: { closingDate: '2026-01-30' } },
        ],
      }),
    );
    const result = await run('--config', path, 'check');
    expect(result.code).toBe(2);
    const lines = result.err.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`Erreur : Configuration invalide (${path}) — 2 problèmes :`);
    expect(lines[1]).toMatch(/^ {2}- demarches\[0\]\.session\.closingDate : /);
    expect(lines[2]).toMatch(/^ {2}- demarches\[1\]\.programme : /);
    expect(lines[3]).toBe('Corrigez ces points puis relancez la commande.');
  });

  it('a single-line error stays on one line', async () => {
    const path = join(dir, 'valide.json');
    writeFileSync(path, JSON.stringify({ demarches: [{ number: 104512, programme: 'aumg', session: { closingDate: '2025-04-30' } }] }));
    // The database was never created: a one-sentence storage error.
    const result = await run('--config', path, 'annotate');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^Erreur : Base introuvable : [^\n]+\n$/);
  });
});
