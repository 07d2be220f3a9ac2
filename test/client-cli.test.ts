import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, main, runProgram, translateCommanderMessage, type CliIo } from '../src/cli/main.ts';
import { PartialFailure } from '../src/cli/exit.ts';
import { formatTable } from '../src/cli/output.ts';
import { loadEnv } from '../src/config/env.ts';
import { createDsClient } from '../src/context.ts';
import { AppError } from '../src/errors.ts';
import { createLogger, createMemoryDestination } from '../src/logger.ts';

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, writeOut: (t) => void out.push(t), writeErr: (t) => void err.push(t) };
}

const argv = (...args: string[]) => ['node', 'ds-ars', ...args];

describe('CLI', () => {
  it('prints its help in French on stdout and exits 0', async () => {
    const io = capture();
    expect(await main(argv('--help'), io)).toBe(0);
    const help = io.out.join('');
    expect(help).toContain('Utilisation : ds-ars [options] [commande]');
    expect(help).toContain('Afficher l’aide');
    expect(help).toContain('--config <fichier>');
    expect(help).toContain('Codes de sortie');
    expect(help).not.toMatch(/^Usage:|^Options:$|display help/m);
  });

  it('answers a usage error with one French line on stderr and exit code 2', async () => {
    const io = capture();
    expect(await main(argv('--inconnue'), io)).toBe(2);
    expect(io.err.join('')).toBe('Erreur d’utilisation : option inconnue « --inconnue »\n');
    expect(io.out).toEqual([]);
  });

  it('suggests the closest command', async () => {
    const io = capture();
    expect(await main(argv('dem'), io)).toBe(2);
    expect(io.err.join('')).toContain('commande inconnue « dem » (Vouliez-vous dire demo ?)');
  });

  it('maps errors thrown by commands to exit codes: config 2, partial failure 1, others 1', async () => {
    const run = async (error: Error, env: NodeJS.ProcessEnv = {}) => {
      const io = capture(env);
      const program: Command = buildProgram(io);
      program.command('boom').action(() => {
        throw error;
      });
      return { code: await runProgram(program, argv('boom'), io), io };
    };
    const config = await run(new AppError('config', 'DS_API_TOKEN manquant.\nVoir la doc.'));
    expect(config.code).toBe(2);
    expect(config.io.err.join('')).toBe('Erreur : DS_API_TOKEN manquant. Voir la doc.\n');

    const partial = await run(new PartialFailure('3 dossiers sur 120 en échec'));
    expect(partial.code).toBe(1);
    expect(partial.io.err.join('')).toBe('Terminé avec des erreurs : 3 dossiers sur 120 en échec\n');

    const unexpected = await run(new TypeError('x is undefined'));
    expect(unexpected.code).toBe(1);
    expect(unexpected.io.err.join('')).not.toContain('at ');

    const debug = await run(new TypeError('x is undefined'), { DS_ARS_DEBUG: '1' });
    expect(debug.io.err.join('')).toContain('TypeError: x is undefined\n    at ');
  });

  it('translates the commander messages it knows', () => {
    expect(translateCommanderMessage("error: missing required argument 'demarche'")).toBe(
      'Erreur d’utilisation : argument obligatoire manquant : « demarche »',
    );
    expect(translateCommanderMessage("error: option '--port <port>' argument missing")).toBe(
      'Erreur d’utilisation : valeur manquante pour l’option « --port <port> »',
    );
  });
});

describe('formatTable', () => {
  it('aligns columns, right-aligns numbers and formats them in French', () => {
    const rows = [
      { numero: 12345, titre: 'Équipement' },
      { numero: 7, titre: 'Cabinet secondaire' },
    ];
    const table = formatTable(rows, [
      { header: 'Numéro', value: (r) => r.numero },
      { header: 'Titre', value: (r) => r.titre },
    ]);
    expect(table).toBe(['Numéro  Titre', '──────  ──────────────────', '12 345  Équipement', '     7  Cabinet secondaire', ''].join('\n'));
    expect(formatTable([], [{ header: 'A', value: () => 1 }])).toBe('(aucune ligne)\n');
  });
});

describe('createDsClient', () => {
  it('needs a token and shares one budget per token', () => {
    const logger = createLogger({ destination: createMemoryDestination() });
    expect(() => createDsClient(loadEnv({}), { logger })).toThrow(/DS_API_TOKEN/);
    const env = loadEnv({ DS_API_TOKEN: 'tok-a', DS_ARS_RATE_LIMIT: '120' });
    const a = createDsClient(env, { logger });
    const b = createDsClient(env, { logger });
    const c = createDsClient(loadEnv({ DS_API_TOKEN: 'tok-b' }), { logger });
    expect(a.budget).toBe(b.budget);
    expect(a.budget).not.toBe(c.budget);
    expect(a.budget.perMinute).toBe(120);
  });
});
