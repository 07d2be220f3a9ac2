import { describe, expect, it } from 'vitest';
import { checkbox, choice, contextFor, date, findingsOf, HIDDEN, multi, severities, text, validAumg, yesNo } from './rules-fixtures.ts';

describe('elig.des_mg', () => {
  it.each([
    ['Médecine générale', choice('Médecine générale'), []],
    ['upper case without accents', text('MEDECINE GENERALE'), []],
    ['DES de médecine générale', text('DES de médecine générale'), []],
    ['abbreviation MG', text('MG'), []],
    // Abbreviations typed in a free « Autre » answer name the same DES (seed 002: DES de médecine générale).
    ['abbreviation Médecine gén.', text('Medecine gen.'), []],
    ['abbreviation Méd. générale', text('Méd. générale'), []],
    ['abbreviation DES de Med. Gen.', text('DES de Med. Gen.'), []],
    ['not an abbreviation: Médecine génétique', text('Médecine génétique'), ['bloquant']],
    ['decomposed accents and zero-width', text('Me\u0301decine\u200B ge\u0301ne\u0301rale'), []],
    ['yes/no champ ticked yes', yesNo(true), []],
    ['yes/no champ answered no', yesNo(false), ['bloquant']],
    ['checkbox unticked', checkbox(false), ['bloquant']],
    ['another specialty', choice('Pédiatrie'), ['bloquant']],
    ['médecine interne', text('Médecine interne'), ['bloquant']],
    ['RTL-marked text', text('\u202Bطب عام\u202C'), ['bloquant']],
    ['empty (reported by champ_requis)', choice(null), []],
    ['hidden by a condition', HIDDEN, ['info']],
  ] as const)('%s', (_name, champ, expected) => {
    expect(severities(findingsOf('elig.des_mg', 'aumg', { ...validAumg(), 'candidat.specialite_des': champ }))).toEqual(expected);
  });
});

describe('elig.post_internat', () => {
  // Start 2025-11-01: 5 years before = 2020-11-01, 4 years before = 2021-11-01.
  it.each([
    ['recent (2 years)', date('2023-10-31'), []],
    ['just under 4 years', date('2021-11-02'), []],
    ['exactly 4 years', date('2021-11-01'), ['alerte']],
    ['between 4 and 5 years', date('2021-03-15'), ['alerte']],
    ['exactly 5 years', date('2020-11-01'), ['alerte']],
    ['one day more than 5 years', date('2020-10-31'), ['bloquant']],
    ['ten years', date('2015-10-31'), ['bloquant']],
    ['internship ends after the start date', date('2026-04-30'), ['alerte']],
    ['French text date', text('31/10/2023'), []],
    ['unreadable date', text('fin 2023'), ['alerte']],
    ['empty', date(null), []],
    ['hidden', HIDDEN, ['info']],
  ] as const)('%s', (_name, champ, expected) => {
    expect(severities(findingsOf('elig.post_internat', 'aumg', { ...validAumg(), 'candidat.date_fin_internat': champ }))).toEqual(expected);
  });

  it('without start date in dossier or session → info', () => {
    const ctx = contextFor('aumg', {
      session: { closingDate: '2025-04-30', startDates: ['2025-11-01', '2026-05-01'], durationsYears: [] },
    });
    expect(severities(findingsOf('elig.post_internat', 'aumg', validAumg(), { ctx }))).toEqual(['info']);
  });
});

describe('elig.zone', () => {
  it.each([
    ['ZIP', choice('ZIP'), []],
    ['ZIP+', choice('ZIP+'), []],
    ['ZAC', choice('ZAC'), []],
    ['QPV', choice('QPV'), []],
    ['long form', text("Zone d'intervention prioritaire"), []],
    ['quartier prioritaire', text('Quartier prioritaire de la ville'), []],
    ['several zones', multi(['ZAC', 'QPV']), []],
    ['lower case with parentheses', text('zone zip (arrêté 2022)'), []],
    ['yes/no "zone sous-dense ?" yes', yesNo(true), []],
    ['yes/no answered no', yesNo(false), ['bloquant']],
    ['hors zone', text('Hors zone'), ['bloquant']],
    ['hors ZIP', text('Hors ZIP'), ['bloquant']],
    ['aucune', choice('Aucune'), ['bloquant']],
    ['zone blanche', text('Zone blanche'), ['bloquant']],
    ['ZIPPY is not ZIP', text('ZIPPY'), ['bloquant']],
    ['emoji only', text('🏥'), ['bloquant']],
    ['empty', choice(null), []],
    ['hidden', HIDDEN, ['info']],
  ] as const)('%s', (_name, champ, expected) => {
    expect(severities(findingsOf('elig.zone', 'aumg', { ...validAumg(), 'structure.zone': champ }))).toEqual(expected);
  });
});
