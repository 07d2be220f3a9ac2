import { readdirSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, main, runProgram, translateCommanderMessage, wrapHelpText, type CliIo } from '../src/cli/main.ts';
import { PartialFailure } from '../src/cli/exit.ts';
import { formatTable } from '../src/cli/output.ts';
import { loadEnv } from '../src/config/env.ts';
import { createDsClient } from '../src/context.ts';
import { AppError } from '../src/errors.ts';
import { createLogger, createMemoryDestination } from '../src/logger.ts';
import { agree, plural } from '../src/shared/plural.ts';
import { progressTime } from '../src/cli/progress-time.ts';

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
    expect(help).toContain('-h, --help                      afficher l’aide');
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

describe('CLI help and usage errors, for a French reader', () => {
  const helpOf = async (...args: string[]) => {
    const io = capture();
    await main(argv(...args, '--help'), io);
    return io.out.join('');
  };

  it('never starts a help line with French punctuation, and wraps the notes under a command at 80 columns', async () => {
    for (const command of [[], ['sync'], ['verrous'], ['decisions', 'plan'], ['migrate'], ['worker'], ['purge']]) {
      const help = await helpOf(...command);
      for (const line of help.split('\n')) {
        expect(line, `ds-ars ${command.join(' ')} --help`).not.toMatch(/^\s*[;:!?»]/);
        expect(line, `ds-ars ${command.join(' ')} --help`).not.toMatch(/«\s*$/);
        expect([...line].length, `ds-ars ${command.join(' ')} --help : ${line}`).toBeLessThanOrEqual(80);
      }
    }
  });

  it('shows defaults and choices in French, without JSON quotes', async () => {
    expect(await helpOf('demo')).toContain('(par défaut : « demo-output »)');
    expect((await helpOf('init')).replace(/\s+/g, ' ')).toContain('(valeurs : aumg, asp, mgvh, asr, asap)');
    const jury = await helpOf('dossier-jury');
    expect(jury.replace(/\s+/g, ' ')).toContain('en_instruction ou tous (par défaut : « en_instruction »)');
    expect(jury).not.toContain('"');
  });

  it('keeps a line that ends a sentence as the end of a paragraph', () => {
    expect(wrapHelpText('Une phrase qui continue\nsur la ligne suivante.\nCodes de sortie : 0 succès.', 80)).toBe(
      'Une phrase qui continue sur la ligne suivante.\nCodes de sortie : 0 succès.',
    );
    expect(wrapHelpText('Exemple :\n  ds-ars sync --demarche 104512', 80)).toBe('Exemple :\n  ds-ars sync --demarche 104512');
  });

  it('translates what commander adds to an invalid value, a bad argument and extra arguments, exit code 2', async () => {
    const run = async (...args: string[]) => {
      const io = capture();
      return { code: await main(argv(...args), io), err: io.err.join('') };
    };
    expect(await run('init', '-p', 'foo')).toEqual({
      code: 2,
      err: 'Erreur d’utilisation : valeur « foo » invalide pour l’option « -p, --programme <programme> » : valeurs possibles : aumg, asp, mgvh, asr, asap.\n',
    });
    expect(await run('demarche', 'inspect', 'abc')).toEqual({
      code: 2,
      err: 'Erreur d’utilisation : valeur « abc » invalide pour l’argument « numéro » : un numéro de démarche (entier positif) est attendu.\n',
    });
    expect(await run('sync', 'en-trop')).toEqual({
      code: 2,
      err: 'Erreur d’utilisation : trop d’arguments pour « sync » : 0 attendu, 1 donné\n',
    });
  });
});

describe('progress time', () => {
  it('reads as French', () => {
    expect([0, 8.4, 125, 3720].map(progressTime)).toEqual(['0 s', '8 s', '2 min 05 s', '1 h 02 min']);
  });
});

describe('counts', () => {
  it('agree in French: singular for 0 and 1, plural from 2, never « (s) »', () => {
    expect([0, 1, 2, 10_000].map((n) => plural(n, 'dossier'))).toEqual(['0 dossier', '1 dossier', '2 dossiers', '10 000 dossiers']);
    expect(plural(3, 'pièce non incluse', 'pièces non incluses')).toBe('3 pièces non incluses');
    expect(agree(1, 'Démarche', 'Démarches')).toBe('Démarche');
  });
});

describe('French typography in what the adapter writes', () => {
  it('uses the typographic apostrophe (l’identifiant, d’environnement), never the straight one', () => {
    // Form labels DS sends (matched as typed) and the simulator's made-up data are not the adapter's own text.
    const skipped = /^src\/(generated|simulator|domain\/programmes)\//;
    const offending: string[] = [];
    for (const file of readdirSync('src', { recursive: true, encoding: 'utf8' })) {
      const path = `src/${file}`;
      if (!path.endsWith('.ts') || skipped.test(path)) continue;
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
          if (/\b(l|d|n|s|j|c|qu|jusqu|lorsqu|puisqu)'[a-zà-ÿ]/i.test(line)) offending.push(`${path}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(offending).toEqual([]);
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
