/**
 * `ds-ars demo --sortie <dossier>` empties only a folder it made itself: a non-empty folder
 * without its marker (the working directory with `--sortie .`, a user's folder) is refused.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_MARKER, prepareDemoFolder } from '../src/demo/demo-folder.ts';
import { AppError } from '../src/errors.ts';

const bin = resolve('bin/ds-ars.js');
const scratch = () => mkdtempSync(join(tmpdir(), 'ds-ars-demo-'));

function cli(cwd: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const env = { ...process.env, DS_ARS_LOG_LEVEL: 'silent' };
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => done({ code, out, err }));
  });
}

describe('demo output folder', () => {
  it('refuses `--sortie .` in a working directory with the user’s files, and leaves them (exit 2)', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'notes.txt'), 'à garder');
    mkdirSync(join(cwd, 'projet'));
    writeFileSync(join(cwd, 'projet', 'budget.xlsx'), 'données');
    const result = await cli(cwd, 'demo', '--sortie', '.');
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      `Le dossier « ${cwd} » n’est pas vide et n’a pas été créé par « ds-ars demo » : la démonstration l’effacerait.`,
    );
    expect(readdirSync(cwd).sort()).toEqual(['notes.txt', 'projet']);
    expect(readFileSync(join(cwd, 'projet', 'budget.xlsx'), 'utf8')).toBe('données');
  }, 60_000);

  it('refuses a non-empty folder it did not create, with a usage error saying what to do', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'rapport.xlsx'), 'x');
    let refused: unknown;
    try {
      prepareDemoFolder(dir);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: 'usage',
      message: expect.stringContaining('Choisissez avec --sortie un dossier vide ou qui n’existe pas encore'),
    });
    expect(readdirSync(dir)).toEqual(['rapport.xlsx']);
  });

  it('refuses a file given as the folder', () => {
    const file = join(scratch(), 'fichier.txt');
    writeFileSync(file, 'x');
    expect(() => prepareDemoFolder(file)).toThrow(`« ${file} » existe et n’est pas un dossier`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('creates a missing folder, or takes an empty one, and marks it as its own', () => {
    const missing = join(scratch(), 'demo', 'sortie');
    prepareDemoFolder(missing);
    expect(readdirSync(missing)).toEqual([DEMO_MARKER]);
    const empty = scratch();
    prepareDemoFolder(empty);
    expect(readdirSync(empty)).toEqual([DEMO_MARKER]);
  });

  it('empties a folder an earlier demo wrote, keeping the folder itself', () => {
    const dir = join(scratch(), 'demo-output');
    prepareDemoFolder(dir);
    mkdirSync(join(dir, 'sorties'));
    writeFileSync(join(dir, 'sorties', '01-sync.txt'), 'ancienne sortie');
    writeFileSync(join(dir, 'ds-ars.sqlite'), 'ancienne base');
    prepareDemoFolder(dir);
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual([DEMO_MARKER]);
  });
});
