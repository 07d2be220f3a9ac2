import { describe, expect, it } from 'vitest';
import { parseLooseBoolean } from '../src/rules/validators/booleans.ts';
import { addYears, isOnOrBeforeClosing, parisDateOf, parseCalendarDate, parseMonthYear } from '../src/shared/dates.ts';
import { checkFiness } from '../src/rules/validators/finess.ts';
import { isLuhnValid, luhnCheckDigit } from '../src/rules/validators/luhn.ts';
import { normalizeName } from '../src/shared/names.ts';
import { parseLooseNumber } from '../src/rules/validators/numbers.ts';
import { isHundredPercent, parsePercent } from '../src/rules/validators/percent.ts';
import { checkRpps } from '../src/rules/validators/rpps.ts';
import { checkSiretOrSiren } from '../src/rules/validators/siret.ts';

const HUGE = '1'.repeat(100_000);

describe('hostile huge input (100 000 characters)', () => {
  it('is rejected by every validator without throwing', () => {
    expect(checkRpps(HUGE).status).toBe('malforme');
    expect(checkSiretOrSiren(HUGE).status).toBe('malforme');
    expect(checkFiness(HUGE).status).toBe('malforme');
    expect(parseCalendarDate(HUGE)).toBeNull();
    expect(parsePercent(HUGE)).toBeNull();
    expect(parseLooseNumber(HUGE)).toBeNull();
    expect(parseLooseBoolean(HUGE)).toBeNull();
    expect(normalizeName(`${HUGE}\u200B`)).toBe(HUGE);
  });
});

describe('luhn', () => {
  it.each([
    ['79927398713', true],
    ['79927398710', false],
    ['0', true],
    ['', false],
    ['12a', false],
  ])('%s → %s', (digits, valid) => expect(isLuhnValid(digits)).toBe(valid));

  it('computes the check digit that validates the body', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
  });
});

describe('checkRpps', () => {
  it.each([
    ['10001234565', 'valide'],
    ['100 0123 4565', 'valide'],
    // Typed with its own label (« N° RPPS » forms): the digits are the number (PROGRAMMES.md id.rpps).
    ['n° 10001234565', 'valide'],
    ['RPPS : 10001234565', 'valide'],
    ['N° RPPS 10001234565', 'valide'],
    ['10001234565 (RPPS)', 'valide'],
    ['SIRET 10001234565', 'malforme'],
    ['n° en cours', 'malforme'],
    ['1 0 0 0 1 2 3 4 5 6 5', 'valide'],
    ['10001234565\u200B', 'valide'],
    ['\u200E10001234565\u200F', 'valide'],
    ['10001234566', 'cle_invalide'],
    ['1000123456', 'malforme'],
    ['100012345650', 'malforme'],
    ['1000123456A', 'malforme'],
    ['', 'malforme'],
    ['   ', 'malforme'],
    ['١٠٠٠١٢٣٤٥٦٥', 'malforme'],
    ['10001234565😀', 'malforme'],
  ])('%j → %s', (input, status) => expect(checkRpps(input).status).toBe(status));

  it.each([
    // A comment without digits after the number is noise; one naming another identifier is not (docs/regles.md).
    [checkFiness, '750712184 - AP-HP', 'valide'],
    [checkFiness, '750 712 184 (FINESS géographique)', 'valide'],
    [checkFiness, 'FINESS ET : 750712184', 'valide'],
    [checkFiness, '732829320 (SIREN)', 'malforme'],
    [checkFiness, 'SIREN : 732829320', 'malforme'],
    [checkFiness, 'FINESS EJ 750712184 / ET 930780127', 'malforme'],
    [checkSiretOrSiren, '73282932000074 (siège)', 'valide'],
    [checkSiretOrSiren, '732829320 (FINESS)', 'malforme'],
    [checkRpps, '10001234565 (inscrit)', 'valide'],
    [checkRpps, '10001234565 (ADELI)', 'malforme'],
  ] as const)('%o(%j) → %s', (check, input, status) => expect(check(input).status).toBe(status));

  it('agrees « trouvé » with the count (issue #16 § 4: exact French)', () => {
    expect(checkRpps('0')).toEqual({ status: 'malforme', reason: '11 chiffres attendus, 1 trouvé' });
    expect(checkFiness('93')).toEqual({ status: 'malforme', reason: '9 caractères attendus, 2 trouvés' });
  });
});

describe('checkSiretOrSiren', () => {
  it.each([
    ['73282932000074', 'valide', 'siret'],
    ['732 829 320 00074', 'valide', 'siret'],
    ['SIRET : 732 829 320 00074', 'valide', 'siret'],
    ['N° SIREN 732829320', 'valide', 'siren'],
    ['FINESS 732829320', 'malforme', null],
    ['732829320', 'valide', 'siren'],
    // Bidi controls are copy-paste debris: the logical digits are kept.
    ['7328293200007\u202E4', 'valide', 'siret'],
    ['73282932000075', 'cle_invalide', 'siret'],
    ['732829321', 'cle_invalide', 'siren'],
    // La Poste: Luhn fails, digit sum 15 is a multiple of 5.
    ['35600000010000', 'valide', 'siret'],
    ['35600000000048', 'valide', 'siret'],
    ['35600000010001', 'cle_invalide', 'siret'],
  ])('%s → %s (%s)', (input, status, kind) => {
    const result = checkSiretOrSiren(input);
    expect(result.status).toBe(status);
    expect('kind' in result ? result.kind : null).toBe(kind);
  });

  it.each(['7328293200007', '732829320000744', 'ABCDEFGHIJKLMN', ''])('%j is malformed', (input) => {
    expect(checkSiretOrSiren(input).status).toBe('malforme');
  });
});

describe('checkFiness', () => {
  it.each([
    ['750712184', 'valide'],
    ['930780127', 'valide'],
    ['75 071 218 4', 'valide'],
    ['N° FINESS : 930780127', 'valide'],
    ['FINESS 930780127', 'valide'],
    ['RPPS 930780127', 'malforme'],
    ['971000013', 'valide'],
    ['2A0000016', 'valide'],
    ['2a0000016', 'valide'],
    ['750712185', 'cle_invalide'],
    ['2B0000016', 'valide'],
    ['2B0000017', 'cle_invalide'],
    ['75071218', 'malforme'],
    ['7507121840', 'malforme'],
    ['000712184', 'malforme'],
    ['960712184', 'malforme'],
    ['990712184', 'malforme'],
    ['200712184', 'malforme'],
    ['2C0712184', 'malforme'],
    ['75071218X', 'malforme'],
    ['', 'malforme'],
  ])('%j → %s', (input, status) => expect(checkFiness(input).status).toBe(status));
});

describe('dates', () => {
  it.each([
    ['2025-04-30T21:59:59Z', '2025-04-30'],
    ['2025-04-30T22:00:00Z', '2025-05-01'],
    ['2025-01-31T23:10:00Z', '2025-02-01'],
    ['2025-01-31T22:59:00Z', '2025-01-31'],
    ['2025-04-30T23:30:00+02:00', '2025-04-30'],
    ['pas une date', null],
  ])('Paris date of %s is %s', (iso, expected) => expect(parisDateOf(iso)).toBe(expected));

  it.each([
    ['2025-04-30T21:59:59Z', true],
    ['2025-04-30T22:10:00Z', false],
    ['2025-04-29T10:00:00Z', true],
  ])('filed at %s is on time for 2025-04-30: %s', (iso, expected) => expect(isOnOrBeforeClosing(iso, '2025-04-30')).toBe(expected));

  it.each([
    ['2025-04-30', '2025-04-30'],
    ['30/04/2025', '2025-04-30'],
    ['1/5/2025', '2025-05-01'],
    ['30-04-2025', '2025-04-30'],
    ['30.04.2025', '2025-04-30'],
    ['30 avril 2025', '2025-04-30'],
    ['1er novembre 2025', '2025-11-01'],
    ['14 FÉVRIER 2025', '2025-02-14'],
    [' 30/04/2025\u200B ', '2025-04-30'],
    ['31/04/2025', null],
    ['29/02/2025', null],
    ['29/02/2024', '2024-02-29'],
    ['2025-13-01', null],
    ['04/30/2025', null],
    ['30 floréal 2025', null],
    ['', null],
    // Session dates as drop-downs word them (seed 003: « prise de fonction 4 mai 2026, au 2 novembre 2026 »).
    ['Lundi 4 mai 2026', '2026-05-04'],
    ['lundi 2 novembre 2026 (session de novembre)', '2026-11-02'],
    ['Dimanche 2 mai 2027', '2027-05-02'],
    ['Mardi 4 mai 2026', null],
    ['4 mai 2026 (ou 2 novembre 2026)', null],
    // Words before the date that say nothing of it (seed 003 « au 2 novembre 2026 »); any other lead stays unread.
    ['Le 2 novembre 2026', '2026-11-02'],
    ['au 2 novembre 2026', '2026-11-02'],
    ['À compter du 4 mai 2026', '2026-05-04'],
    ['le lundi 4 mai 2026', '2026-05-04'],
    ['le mardi 4 mai 2026', null],
    ['avant le 30/06/2026', null],
  ])('parseCalendarDate(%j) = %s', (input, expected) => expect(parseCalendarDate(input)).toBe(expected));

  it.each([
    ['Novembre 2026', { year: 2026, month: 11 }],
    ['mai 2027', { year: 2027, month: 5 }],
    ['11/2026', { year: 2026, month: 11 }],
    ['13/2026', null],
    ['Brumaire 2026', null],
    ['Session de novembre 2026', { year: 2026, month: 11 }],
    ['Session d’octobre 2026', { year: 2026, month: 10 }],
    ['Novembre 2026 (sous réserve)', { year: 2026, month: 11 }],
    ['août 2026', { year: 2026, month: 8 }],
    ['Novembre 2026 (ou mai 2027)', null],
  ])('parseMonthYear(%j)', (input, expected) => expect(parseMonthYear(input)).toEqual(expected));

  it.each([
    ['2025-11-01', -5, '2020-11-01'],
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2025-11-01', 2, '2027-11-01'],
  ])('addYears(%s, %i) = %s', (d, n, expected) => expect(addYears(d, n)).toBe(expected));
});

describe('normalizeName', () => {
  it.each([
    ['Jean-Édouard', 'jean edouard'],
    ["D'Arc", 'd arc'],
    ['D’ARC', 'd arc'],
    ['  Lefèvre   du  Pont ', 'lefevre du pont'],
    ['Zoe\u0301', 'zoe'],
    ['Zo\u200Be', 'zoe'],
    ['\u200FMartin\u200E', 'martin'],
    ['Müller--Strauß', 'muller strauß'],
    ['ÇA', 'ca'],
  ])('%j → %j', (input, expected) => expect(normalizeName(input)).toBe(expected));

  it('gives the same key for composed and decomposed accents', () => {
    expect(normalizeName('Hélène')).toBe(normalizeName('He\u0301le\u0300ne'));
  });
});

describe('parsePercent', () => {
  it.each([
    ['40', 40],
    ['40 %', 40],
    ['40%', 40],
    ['40,5 %', 40.5],
    ['33.33', 33.33],
    ['60 pour cent', 60],
    [40, 40],
    ['0.4', 0.4],
    ['quarante', null],
    // PROGRAMMES.md ASR: « at least one day (20 %) »: days that agree with the share are a comment, others a contradiction.
    ['20 % (1 jour)', 20],
    ['40 % (2 jours / semaine)', 40],
    ['20 % (2 jours)', null],
    ['20 % (à confirmer)', null],
    // Days of the week alone, with the week said (seed 003: « au moins 1 journée … par semaine »).
    ['1 jour par semaine', 20],
    ['3 j/sem.', 60],
    ['2,5 jours / semaine', 50],
    ['4 demi-journées par semaine', 40],
    ['10 demi-journées par semaine', 100],
    ['2 jours', null],
    ['6 jours par semaine', null],
    ['', null],
    [null, null],
    [Number.NaN, null],
  ])('%j → %s', (input, expected) => expect(parsePercent(input as string)).toBe(expected));

  it.each([
    [100, true],
    [99.999, true],
    [99.98, false],
    [100.02, false],
  ])('isHundredPercent(%s) = %s', (sum, expected) => expect(isHundredPercent(sum)).toBe(expected));
});

describe('parseLooseNumber', () => {
  it.each([
    ['2', 2],
    ['2 ans', 2],
    ['1 an', 1],
    ['2,5', 2.5],
    ['48 000', 48000],
    ['48\u202F000 €', 48000],
    ['24 mois', 24],
    ['9007199254740993', 9007199254740992],
    // Durations offered in words by drop-downs (seed 003: durée 1 or 2 years): « Deux ans » is 2.
    ['deux', 2],
    ['Deux ans', 2],
    ['Un an', 1],
    ['1 (un) an', 1],
    ['Deux (2) ans', 2],
    ['2 (trois) ans', null],
    ['deux ou trois', null],
    ['sept 2026', null],
    ['2 ou 3', null],
    // A renewable post lasts what is stated; the renewal is decided later.
    ['2 ans renouvelable', 2],
    ['1 an renouvelable une fois', 1],
    ['Deux ans, renouvelables', 2],
    ['renouvelable', null],
  ])('%j → %s', (input, expected) => expect(parseLooseNumber(input)).toBe(expected));
});

describe('parseLooseBoolean', () => {
  it.each([
    ['Oui', true],
    ['OUI.', true],
    ['non', false],
    ['true', true],
    ['false', false],
    ['J’accepte', true],
    ['peut-être', null],
    // seed 004: « ( oui – date de soutenance : … ) »
    ['oui – date de soutenance : 12/09/2024', true],
    ['Oui, thèse soutenue', true],
    ['Non (soutenance prévue en juin)', false],
    ['Oui je crois', null],
    ['', null],
    [true, true],
    [null, null],
  ])('%j → %s', (input, expected) => expect(parseLooseBoolean(input as string)).toBe(expected));
});
