import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configHash, loadConfigFile, parseConfig } from '../src/config/file.ts';
import { AppError } from '../src/errors.ts';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');
const minimal = () => ({ demarches: [{ number: 1, programme: 'aumg', session: { closingDate: '2025-04-30' } }] });

function problemsOf(data: unknown): string[] {
  try {
    parseConfig(data, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('config');
    return ((error as AppError).details!.problems as Array<{ path: string; message: string }>).map((p) => `${p.path} : ${p.message}`);
  }
  return [];
}

describe('examples', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

  it('has one example per programme', () => {
    expect(files.sort()).toEqual(['asap.yaml', 'asp.yaml', 'asr.yaml', 'aumg.yaml', 'mgvh.yaml']);
  });

  it.each(files)('%s is valid and declares its programme', (file) => {
    const config = loadConfigFile(join(EXAMPLES, file));
    expect(config.demarches[0]?.programme).toBe(file.replace('.yaml', ''));
  });
});

describe('parseConfig', () => {
  it('applies defaults', () => {
    const config = parseConfig(minimal(), 'test');
    expect(config.instance.tokenEnv).toBe('DS_API_TOKEN');
    expect(config.worker).toEqual({
      schedule: '30 2 * * *',
      timezone: 'Europe/Paris',
      annotate: false,
      leaseMinutes: 5,
      busyRetryMinutes: 120,
      busyRetryEverySeconds: 60,
    });
    expect(config.demarches[0]).toMatchObject({
      mapping: {},
      session: { startDates: [] },
      decisions: { passerEnInstruction: true, justificatif: null },
    });
    expect(config.output.dir).toBe('./var/rapports');
  });

  it('reports every problem at once with its key path', () => {
    const problems = problemsOf({
      instance: { tokenEnv: 'eyJhbGciOi.secret-token', uiBaseUrl: 'pas une url' },
      demarches: [
        {
          number: -3,
          programme: 'aumg',
          session: { closingDate: '30/04/2025', startDates: ['2025-11-31'], monthlyAmountEur: -1 },
          mapping: { 'candidat.rps': 'X', 'candidat.nom': { labl: 'Nom' } },
          requiredPieces: ['piece.cvv'],
        },
        { number: 7, programme: 'asrr', session: {} },
      ],
      worker: { leaseMinute: 30 },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^instance\.tokenEnv : nom de variable d’environnement attendu/),
        expect.stringMatching(/^instance\.uiBaseUrl : URL http\(s\)/),
        expect.stringMatching(/^demarches\[0\]\.number : numéro de démarche positif/),
        'demarches[0].session.closingDate : date attendue au format AAAA-MM-JJ (par exemple 2025-04-30)',
        'demarches[0].session.startDates[0] : date attendue au format AAAA-MM-JJ (par exemple 2025-04-30)',
        expect.stringMatching(/^demarches\[0\]\.session\.monthlyAmountEur : le montant ne peut pas être négatif/),
        expect.stringMatching(/^demarches\[0\]\.mapping\["candidat\.nom"\] : identifiant de champ/),
        'demarches[0].mapping["candidat.rps"] : champ « candidat.rps » inconnu du programme aumg (vouliez-vous dire « candidat.rpps » ?)',
        'demarches[0].requiredPieces[0] : pièce « piece.cvv » inconnue du programme aumg (vouliez-vous dire « piece.cv » ?)',
        expect.stringMatching(/^demarches\[1\]\.programme : /),
        'demarches[1].programme : programme « asrr » inconnu (vouliez-vous dire « asr » ?)',
        'demarches[1].session.closingDate : valeur obligatoire manquante',
        'worker : clé inconnue « leaseMinute » (vouliez-vous dire « leaseMinutes » ?)',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(13);
  });

  it('lists the problems in the French error message', () => {
    expect(() => parseConfig({ demarches: [] }, 'ars.yaml')).toThrow(
      /Configuration invalide \(ars\.yaml\)[\s\S]*demarches : au moins une démarche attendue/,
    );
  });

  it.each([
    ['not an object', 42, '(racine) : objet (clé: valeur) attendu, reçu 42'],
    ['missing demarches', {}, 'demarches : valeur obligatoire manquante'],
    ['unknown top-level key', { ...minimal(), demarche: [] }, '(racine) : clé inconnue « demarche » (vouliez-vous dire « demarches » ?)'],
    [
      'unknown key without close match',
      { ...minimal(), zzzzzzzz: 1 },
      expect.stringMatching(/clé inconnue « zzzzzzzz » \(clés possibles : instance, sync/),
    ],
    [
      '31 April',
      { demarches: [{ number: 1, programme: 'aumg', session: { closingDate: '2025-04-31' } }] },
      'demarches[0].session.closingDate : date attendue au format AAAA-MM-JJ (par exemple 2025-04-30)',
    ],
    [
      'duplicate démarche',
      { demarches: [minimal().demarches[0], minimal().demarches[0]] },
      'demarches[1].number : démarche 1 déjà déclarée en demarches[0]',
    ],
    [
      'mail without recipients',
      { ...minimal(), mail: { smtp: { host: 'h', port: 25 }, from: 'a@b.fr', to: [] } },
      'mail.to : au moins un destinataire attendu',
    ],
    ['bad sync origin', { ...minimal(), sync: { origin: '2020-01-01' } }, expect.stringMatching(/^sync\.origin : date et heure attendues/)],
    [
      'pdfOnly with an unknown piece',
      { demarches: [{ ...minimal().demarches[0], pdfOnly: ['piece.xyz'] }] },
      expect.stringMatching(/^demarches\[0\]\.pdfOnly\[0\] : pièce « piece\.xyz » inconnue/),
    ],
    [
      'repetition reference',
      { demarches: [{ ...minimal().demarches[0], mapping: { 'piece.cv': { repetition: 'R', champ: { label: '' } } } }] },
      expect.stringMatching(/^demarches\[0\]\.mapping\["piece\.cv"\]/),
    ],
  ])('%s', (_name, data, expected) => {
    expect(problemsOf(data)).toContainEqual(expected);
  });

  it('survives hostile keys and values', () => {
    const hostile = {
      [`clé\u202E${'x'.repeat(10_000)}`]: 1,
      demarches: [{ number: 1, programme: '🙂', session: { closingDate: '٢٠٢٥-٠٤-٣٠' } }],
    };
    const problems = problemsOf(hostile);
    expect(problems.some((p) => p.startsWith('demarches[0].session.closingDate'))).toBe(true);
    expect(problems.some((p) => p.includes('clé inconnue'))).toBe(true);
  });

  it('accepts all three mapping forms', () => {
    const config = parseConfig(
      {
        demarches: [
          {
            ...minimal().demarches[0],
            mapping: {
              'candidat.rpps': 'Q2hhbXAtMQ==',
              'candidat.nom': { label: 'Nom' },
              'piece.cv': { repetition: { label: 'Pièces' }, champ: 'X' },
            },
          },
        ],
      },
      'test',
    );
    expect(Object.keys(config.demarches[0]!.mapping)).toEqual(['candidat.rpps', 'candidat.nom', 'piece.cv']);
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-config-'));
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads JSON by extension', () => {
    expect(loadConfigFile(write('c.json', JSON.stringify(minimal()))).demarches[0]?.number).toBe(1);
  });

  it('reads .yml and keeps unquoted dates as text', () => {
    const path = write(
      'c.yml',
      'demarches:\n  - number: 1\n    programme: asr\n    session: { closingDate: 2026-01-31, startDates: [2026-05-04] }\n',
    );
    expect(loadConfigFile(path).demarches[0]?.session.startDates).toEqual(['2026-05-04']);
  });

  it.each([
    ['YAML syntax', 'c1.yaml', 'demarches: [\n  number: 1\n', /YAML invalide/],
    [
      'duplicate YAML key',
      'c2.yaml',
      'demarches: []\ndemarches: []\n',
      /YAML invalide\.\n- ligne 2, colonne 1 : clé en double dans le même bloc — « demarches: \[\] »/,
    ],
    [
      'misaligned list item',
      'c5.yaml',
      'demarches:\n  - number: 1\n   programme: aumg\n',
      /ligne 3, colonne 1 : élément de liste mal aligné .* — « programme: aumg »\nCorrigez ces lignes/,
    ],
    ['tab as indentation', 'c6.yaml', 'demarches:\n\t- number: 1\n', /ligne 2, colonne 1 : tabulation en début de ligne/],
    ['JSON syntax', 'c3.json', '{ "demarches": ', /JSON invalide/],
    ['JSON syntax, where', 'c7.json', '{"demarches": [1,\n  2 "x"]}', /JSON invalide à la ligne 2, colonne 5\. Vérifiez les virgules/],
    ['unsupported extension', 'c4.toml', 'x = 1', /extension « \.toml » non prise en charge/],
  ])('%s → AppError(config)', (_name, file, content, message) => {
    const path = write(file, content);
    expect(() => loadConfigFile(path)).toThrow(message);
    expect(() => loadConfigFile(path)).toThrow(AppError);
    // The yaml library and V8 explain in English: none of it reaches the user.
    expect(() => loadConfigFile(path)).not.toThrow(/ at line | Unexpected | must | without | not valid/);
  });

  it('missing file → says what to check', () => {
    expect(() => loadConfigFile(join(dir, 'absent.yaml'))).toThrow(/Fichier de configuration illisible.*DS_ARS_CONFIG/);
  });
});

describe('configHash', () => {
  it('does not depend on key order', () => {
    const a = parseConfig(minimal(), 'a');
    const b = parseConfig({ demarches: [{ session: { closingDate: '2025-04-30' }, programme: 'aumg', number: 1 }] }, 'b');
    expect(configHash(a)).toBe(configHash(b));
  });

  it('changes when a session parameter changes', () => {
    const a = parseConfig(minimal(), 'a');
    const b = parseConfig({ demarches: [{ number: 1, programme: 'aumg', session: { closingDate: '2025-05-01' } }] }, 'b');
    expect(configHash(a)).not.toBe(configHash(b));
  });

  it('is a short hex string', () => {
    expect(configHash(parseConfig(minimal(), 'a'))).toMatch(/^[0-9a-f]{16}$/);
  });
});
