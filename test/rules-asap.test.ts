import { describe, expect, it } from 'vitest';
import {
  checkbox,
  choice,
  date,
  decimal,
  findingsOf,
  HIDDEN,
  piece,
  pdf,
  severities,
  text,
  uncheckedOf,
  validAsap,
  validAsr,
  yesNo,
} from './rules-fixtures.ts';

describe('elig.quotite_asap', () => {
  const rule = 'elig.quotite_asap';
  const split = (hosp: number | null, ambu: number | null) => ({
    'quotite.hospitalier.annee1': decimal(hosp),
    'quotite.ambulatoire.annee1': decimal(ambu),
  });

  it.each([
    ['50/50', split(50, 50), []],
    ['30/70', split(30, 70), []],
    ['0/100', split(0, 100), []],
    ['ambulatory 49.9 %', split(50.1, 49.9), ['bloquant']],
    ['sum 90', split(30, 60), ['bloquant']],
    ['ambulatory 40, sum 90', split(50, 40), ['bloquant', 'bloquant']],
    ['empty (champ_requis reports it)', split(null, 50), []],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(severities(findingsOf(rule, 'asap', { ...validAsap(), ...overrides }))).toEqual(expected);
  });

  it('reads "60 %" typed in a text champ', () => {
    const champs = { ...validAsap(), 'quotite.hospitalier.annee1': text('40 %'), 'quotite.ambulatoire.annee1': text('60 %') };
    expect(findingsOf(rule, 'asap', champs)).toEqual([]);
  });

  it('checks a year 2 only when the form has year-2 champs', () => {
    const champs = { ...validAsap(), 'poste.duree_annees': choice('2 ans') };
    expect(findingsOf(rule, 'asap', champs)).toEqual([]);
    const withYear2 = { ...champs, 'quotite.hospitalier.annee2': decimal(70), 'quotite.ambulatoire.annee2': decimal(30) };
    expect(severities(findingsOf(rule, 'asap', withYear2))).toEqual(['bloquant']);
  });
});

describe('elig.zone_justifiee', () => {
  const rule = 'elig.zone_justifiee';

  it.each([
    ['priority zone', {}, []],
    [
      'not priority, justified',
      { 'structure.zone_prioritaire': yesNo(false), 'justification.zone': text('Seul cabinet du territoire') },
      [],
    ],
    ['not priority, empty justification', { 'structure.zone_prioritaire': yesNo(false), 'justification.zone': text(null) }, ['alerte']],
    ['not priority, form without justification champ', { 'structure.zone_prioritaire': yesNo(false) }, ['alerte']],
    ['unticked checkbox means not priority', { 'structure.zone_prioritaire': checkbox(false) }, ['alerte']],
    ['"Non" typed as text', { 'structure.zone_prioritaire': text('Non') }, ['alerte']],
    ['unanswered yes/no', { 'structure.zone_prioritaire': yesNo(null) }, ['info']],
    // A list of zones mapped as the yes/no: « Hors zone » says neither, and may be outside (never a silent pass).
    ['"Hors zone" from a list, no justification', { 'structure.zone_prioritaire': choice('Hors zone') }, ['alerte']],
    [
      '"Hors zone" from a list, justified',
      { 'structure.zone_prioritaire': choice('Hors zone'), 'justification.zone': text('Seul cabinet du territoire') },
      [],
    ],
    ['zone champ hidden', { 'structure.zone_prioritaire': HIDDEN }, ['info']],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(severities(findingsOf(rule, 'asap', { ...validAsap(), ...overrides }))).toEqual(expected);
  });
});

describe('elig.diplomes_si_these', () => {
  const rule = 'elig.diplomes_si_these';

  it.each([
    ['thesis passed, diplomas attached', {}, []],
    ['thesis passed, no diplomas', { 'piece.diplomes': piece([]) }, ['bloquant']],
    ['thesis not passed, no diplomas', { 'candidat.these_soutenue': yesNo(false), 'piece.diplomes': piece([]) }, []],
    ['"oui" typed as text, no diplomas', { 'candidat.these_soutenue': text('oui'), 'piece.diplomes': piece([]) }, ['bloquant']],
    ['thesis passed, diplomas champ hidden', { 'piece.diplomes': HIDDEN }, ['info']],
    ['unanswered (champ_requis reports it)', { 'candidat.these_soutenue': yesNo(null) }, []],
    ['thesis champ hidden', { 'candidat.these_soutenue': HIDDEN }, ['info']],
    // docs/regles.md « Dates prévues ou obtenues »: a date after the deposit is planned, whatever the answer says.
    [
      'declared passed on a date after the deposit, no diplomas',
      { 'candidat.date_these': date('2025-06-30'), 'piece.diplomes': piece([]) },
      ['alerte'],
    ],
    [
      'declared passed before the deposit, no diplomas',
      { 'candidat.date_these': date('2024-09-12'), 'piece.diplomes': piece([]) },
      ['bloquant'],
    ],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(severities(findingsOf(rule, 'asap', { ...validAsap(), ...overrides }))).toEqual(expected);
  });
});

describe('avis.complets', () => {
  const rule = 'avis.complets';

  it.each([
    ['all avis attached', {}, []],
    ['one avis missing', { 'avis.coordonnateur': piece([]) }, ['bloquant']],
    ['typed favourable', { 'avis.coordonnateur.sens': choice('Favorable') }, []],
    ['typed favourable, odd case and spaces', { 'avis.coordonnateur.sens': text('  AVIS FAVORABLE. ') }, []],
    ['favourable with reservations', { 'avis.coordonnateur.sens': choice('Favorable avec réserves') }, ['alerte']],
    ['unfavourable', { 'avis.coordonnateur.sens': choice('Défavorable') }, ['alerte']],
    ['yes/no "favourable ?" answered no', { 'avis.coordonnateur.sens': yesNo(false) }, ['alerte']],
    [
      'typed favourable but letter missing',
      { 'avis.coordonnateur': piece([]), 'avis.coordonnateur.sens': choice('Favorable') },
      ['bloquant'],
    ],
    [
      'letter champ not on the form, typed favourable',
      { 'avis.coordonnateur': HIDDEN, 'avis.coordonnateur.sens': choice('Favorable') },
      [],
    ],
    ['letter champ not on the form, typed empty', { 'avis.coordonnateur': HIDDEN, 'avis.coordonnateur.sens': choice(null) }, ['bloquant']],
    ['letter champ hidden, no typed champ', { 'avis.coordonnateur': HIDDEN }, ['info']],
  ] as const)('ASAP: %s', (_name, overrides, expected) => {
    expect(severities(findingsOf(rule, 'asap', { ...validAsap(), ...overrides }))).toEqual(expected);
  });

  it('ASR requires the seven avis of annexes 5-11', () => {
    const champs = validAsr();
    expect(findingsOf(rule, 'asr', champs)).toEqual([]);
    const avisKeys = Object.keys(champs).filter((k) => k.startsWith('avis.'));
    expect(avisKeys).toHaveLength(7);
    const allMissing = Object.fromEntries(avisKeys.map((k) => [k, piece([])]));
    expect(severities(findingsOf(rule, 'asr', { ...champs, ...allMissing }))).toEqual(Array(7).fill('bloquant'));
  });

  it('form without avis champs → one line per avis for the démarche, nothing per dossier', () => {
    const champs = Object.fromEntries(Object.entries(validAsap()).filter(([k]) => !k.startsWith('avis.')));
    expect(findingsOf(rule, 'asap', champs)).toEqual([]);
    const [line] = uncheckedOf(rule, 'asap', champs);
    expect(line).toMatch(/^Avis requis joints et favorables \(avis\.complets\) : /);
    expect(line?.split(' ; ')).toHaveLength(5);
    expect(line).toContain(
      'aucun des champs « Avis du coordonnateur de la spécialité » (avis.coordonnateur) ou « Sens de l’avis du coordonnateur de la spécialité » (avis.coordonnateur.sens) dans la section mapping de la configuration',
    );
  });

  it('an avis in several files counts as given', () => {
    expect(findingsOf(rule, 'asap', { ...validAsap(), 'avis.coordonnateur': piece([pdf('p1.pdf'), pdf('p2.pdf')]) })).toEqual([]);
  });
});

describe('rgpd.consentement', () => {
  const rule = 'rgpd.consentement';

  it.each([
    ['ticked', checkbox(true), []],
    ['unticked', checkbox(false), ['bloquant']],
    ['yes/no yes', yesNo(true), []],
    ['yes/no unanswered', yesNo(null), ['bloquant']],
    ['"J’accepte" typed as text', text('J’accepte'), []],
    ['"non" typed as text', text('non'), ['bloquant']],
    ['hidden', HIDDEN, ['info']],
  ] as const)('ASR: %s', (_name, champ, expected) => {
    expect(severities(findingsOf(rule, 'asr', { ...validAsr(), 'rgpd.consentement': champ }))).toEqual(expected);
  });

  it('is not applied to AUMG', () => {
    expect(findingsOf(rule, 'aumg', { 'rgpd.consentement': checkbox(false) })).toEqual([]);
  });
});

describe('complet.champ_requis on a required yes/no answered in other words (ASAP « Thèse soutenue »)', () => {
  it.each([
    ['« En cours »', text('En cours'), ['alerte']],
    ['« Thèse soutenue le 12/09/2024 »', text('Thèse soutenue le 12/09/2024'), ['alerte']],
    ['« Oui – date de soutenance : 12/09/2024 »', text('Oui – date de soutenance : 12/09/2024'), []],
    ['unanswered', yesNo(null), ['bloquant']],
  ] as const)('%s', (_name, value, expected) => {
    const found = findingsOf('complet.champ_requis', 'asap', { ...validAsap(), 'candidat.these_soutenue': value });
    expect(severities(found)).toEqual(expected);
    // Filled: never « n’est pas renseigné » (issue #16 § 4: exact).
    if (value.node.stringValue !== null) for (const f of found) expect(f.message).not.toContain('pas renseigné');
  });
});

describe('complet.champ_requis on a checkbox DS marks required (PROGRAMMES.md « A required checkbox must be ticked »)', () => {
  it('asks the depositor to tick it, not to « complete » it (issue #16 § 4)', () => {
    const found = findingsOf('complet.champ_requis', 'asap', {
      ...validAsap(),
      'candidat.these_soutenue': checkbox(false, { required: true, label: 'Thèse soutenue' }),
    });
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      ['bloquant', 'Dossier incomplet : case obligatoire non cochée « Thèse soutenue ». Demandez au déposant de la cocher.'],
    ]);
  });
});
