import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/file.ts';
import {
  contextFor,
  date,
  findingsOf,
  HIDDEN,
  integer,
  severities,
  siretChamp,
  text,
  uncheckedOf,
  validAsap,
  validAsp,
  validAsr,
  validAumg,
  validMgvh,
} from './rules-fixtures.ts';

describe('id.finess', () => {
  const rule = 'id.finess';

  it.each([
    ['valid', text('930780127'), []],
    ['valid with spaces', text('93 078 012 7'), []],
    ['Corsica 2A', text('2A0000016'), []],
    ['overseas 971', text('971000013'), []],
    ['bad Luhn key', text('930780128'), ['alerte']],
    ['8 characters', text('93078012'), ['bloquant']],
    ['10 characters', text('9307801270'), ['bloquant']],
    ['unknown département 96', text('960780127'), ['bloquant']],
    ['letters', text('93O78O127'), ['bloquant']],
    ['emoji', text('93078012🙂'), ['bloquant']],
    ['huge', text('9'.repeat(50_000)), ['bloquant']],
    ['integer champ', integer('930780127'), []],
    ['empty (reported by complet.champ_requis)', text(null), []],
    ['hidden by a condition', HIDDEN, ['info']],
  ] as const)('ASP: %s', (_name, champ, expected) => {
    expect(severities(findingsOf(rule, 'asp', { ...validAsp(), 'etablissement.finess': champ }))).toEqual(expected);
  });

  it('ASP: a form without FINESS champ is reported once for the démarche, never a silent pass', () => {
    const champs = validAsp();
    delete champs['etablissement.finess'];
    expect(findingsOf(rule, 'asp', champs)).toEqual([]);
    expect(uncheckedOf(rule, 'asp', champs)).toEqual([
      'Numéro FINESS valide (id.finess) : aucun champ « N° FINESS de l’établissement recruteur » (etablissement.finess) dans la section mapping de la configuration',
    ]);
  });

  it('MGVH: checked where the form has a FINESS champ, otherwise said once for the démarche', () => {
    expect(findingsOf(rule, 'mgvh', validMgvh())).toEqual([]);
    expect(uncheckedOf(rule, 'mgvh', validMgvh())).toHaveLength(1);
    expect(severities(findingsOf(rule, 'mgvh', { ...validMgvh(), 'etablissement.finess': text('12') }))).toEqual(['bloquant']);
  });

  // PROGRAMMES.md id.finess: « ASP (+ where a FINESS champ exists) »; the ASR form names the CH employer's FINESS.
  it.each(['asr', 'asap', 'aumg'] as const)('%s: a FINESS champ can be mapped and is checked', (programme) => {
    const valid = { asr: validAsr, asap: validAsap, aumg: validAumg }[programme];
    const config = parseConfig(
      {
        demarches: [
          { number: 1, programme, session: { closingDate: '2026-01-31' }, mapping: { 'etablissement.finess': { label: 'N° FINESS' } } },
        ],
      },
      'test',
    );
    expect(config.demarches[0]?.mapping['etablissement.finess']).toEqual({ label: 'N° FINESS' });
    expect(severities(findingsOf(rule, programme, { ...valid(), 'etablissement.finess': text('76000123') }))).toEqual(['bloquant']);
    expect(uncheckedOf(rule, programme, { ...valid(), 'etablissement.finess': text('760001234') })).toEqual([]);
  });

  it('quotes the value and the champ in the message, shortened for huge input', () => {
    const [f] = findingsOf(rule, 'asp', { ...validAsp(), 'etablissement.finess': text('9'.repeat(50_000), { label: 'FINESS' }) });
    expect(f?.message).toContain('« FINESS »');
    expect(f!.message.length).toBeLessThan(500);
  });
});

describe('id.siret', () => {
  const rule = 'id.siret';

  it.each([
    ['SIRET champ', siretChamp('73282932000074'), []],
    ['SIRET as text with spaces', text('732 829 320 00074'), []],
    ['SIREN as text', text('732829320'), []],
    ['La Poste establishment', text('35600000010000'), []],
    ['bad SIRET key', text('73282932000075'), ['bloquant']],
    ['bad SIREN key', text('732829321'), ['bloquant']],
    ['13 digits', text('7328293200007'), ['bloquant']],
    ['letters', text('SIRET inconnu'), ['bloquant']],
    ['empty', text(null), []],
    ['hidden by a condition', HIDDEN, ['info']],
  ] as const)('MGVH: %s', (_name, champ, expected) => {
    expect(severities(findingsOf(rule, 'mgvh', { ...validMgvh(), 'structure.siret': champ }))).toEqual(expected);
  });

  it('MGVH: not mapped → said once for the démarche', () => {
    const champs = validMgvh();
    delete champs['structure.siret'];
    expect(findingsOf(rule, 'mgvh', champs)).toEqual([]);
    expect(uncheckedOf(rule, 'mgvh', champs)).toEqual([
      'Numéro SIRET/SIREN valide (id.siret) : aucun champ « N° SIRET/SIREN de la structure de soins » (structure.siret) dans la section mapping de la configuration',
    ]);
  });

  it('AUMG, ASP, ASAP: checked where the form has a SIRET, otherwise said once for the démarche', () => {
    expect(findingsOf(rule, 'aumg', validAumg())).toEqual([]);
    expect(uncheckedOf(rule, 'aumg', validAumg())).toHaveLength(1);
    expect(severities(findingsOf(rule, 'aumg', { ...validAumg(), 'structure.siret': text('123') }))).toEqual(['bloquant']);
    expect(severities(findingsOf(rule, 'asp', { ...validAsp(), 'structure.siret': text('123') }))).toEqual(['bloquant']);
    expect(severities(findingsOf(rule, 'asap', { ...validAsap(), 'structure.siret': text('123') }))).toEqual(['bloquant']);
  });
});

describe('id.rpps', () => {
  const rule = 'id.rpps';
  // AUMG session: start 2025-11-01.
  const base = () => {
    const champs = validAumg();
    delete champs['candidat.rpps'];
    return champs;
  };

  it.each([
    ['valid RPPS', { 'candidat.rpps': text('10001234565') }, []],
    ['valid RPPS with spaces and zero-width', { 'candidat.rpps': text('1000 1234 565\u200B') }, []],
    ['bad key', { 'candidat.rpps': text('10001234566') }, ['alerte']],
    [
      'bad key, planned date given: still alerte',
      { 'candidat.rpps': text('10001234566'), 'candidat.date_inscription_ordre': date('2025-09-01') },
      ['alerte'],
    ],
    ['no RPPS, planned date before start', { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': date('2025-10-31') }, []],
    [
      'no RPPS, planned date on the start date',
      { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': date('2025-11-01') },
      ['bloquant'],
    ],
    [
      'no RPPS, planned date after start',
      { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': date('2026-01-15') },
      ['bloquant'],
    ],
    ['no RPPS, planned date as French text', { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': text('15/09/2025') }, []],
    [
      'no RPPS, unreadable planned date',
      { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': text('à la rentrée') },
      ['bloquant'],
    ],
    ['no RPPS, no planned date', { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': date(null) }, ['bloquant']],
    // A plan to the month (PROGRAMMES.md « RPPS »: strictly before the start date): the whole month decides, or the depositor.
    ['no RPPS, planned « septembre 2025 »', { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': text('septembre 2025') }, []],
    ['no RPPS, planned « 10/2025 »', { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': text('10/2025') }, []],
    [
      'no RPPS, planned « novembre 2025 » (start 01/11/2025)',
      { 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': text('novembre 2025') },
      ['bloquant'],
    ],
    [
      'malformed RPPS, planned date before start',
      { 'candidat.rpps': text('12345'), 'candidat.date_inscription_ordre': date('2025-06-01') },
      ['info'],
    ],
    [
      'malformed RPPS, no planned date',
      { 'candidat.rpps': text('12345'), 'candidat.date_inscription_ordre': date(null) },
      ['bloquant', 'info'],
    ],
    [
      'RPPS champ hidden, planned date before start',
      { 'candidat.rpps': HIDDEN, 'candidat.date_inscription_ordre': date('2025-06-01') },
      [],
    ],
    ['form without RPPS champ, planned date before start', { 'candidat.date_inscription_ordre': date('2025-06-01') }, []],
    ['form without either champ (said once for the démarche)', {}, []],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(severities(findingsOf(rule, 'aumg', { ...base(), ...overrides }))).toEqual(expected);
  });

  it('planned date but no known start date → alerte', () => {
    const ctx = contextFor('aumg', { session: { closingDate: '2025-04-30', startDates: [], durationsYears: [] } });
    const champs = { ...base(), 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': date('2025-06-01') };
    expect(severities(findingsOf(rule, 'aumg', champs, { ctx }))).toEqual(['alerte']);
  });

  it('a month that holds the start date: alerte asking for the day, the month written in French', () => {
    const champs = {
      ...base(),
      'candidat.rpps': text(null),
      'candidat.date_inscription_ordre': text('Janvier 2026'),
      'poste.date_prise_fonction': date('2026-01-15'),
    };
    expect(findingsOf(rule, 'aumg', champs).map((f) => [f.severity, f.message])).toEqual([
      [
        'alerte',
        'Pas de RPPS valide ; inscription à l’Ordre prévue en janvier 2026, sans le jour : impossible de dire si elle précède la prise de fonction du 15/01/2026. Demandez la date prévue exacte.',
      ],
    ]);
  });

  it('uses the dossier start date when it has one', () => {
    const champs = {
      ...base(),
      'candidat.rpps': text(null),
      'candidat.date_inscription_ordre': date('2025-12-01'),
      'poste.date_prise_fonction': date('2026-01-01'),
    };
    expect(findingsOf(rule, 'aumg', champs)).toEqual([]);
  });
});
