import { describe, expect, it } from 'vitest';
import { duplicateMatches } from '../src/rules/catalogue/doublon.ts';
import type { Candidature } from '../src/rules/candidature.ts';
import type { RuleContext } from '../src/rules/context.ts';
import { type DossierEvaluation, readDossier, sortFindings, verdictOf, verdictsOf } from '../src/rules/engine.ts';
import type { Finding } from '../src/rules/finding.ts';
import { candidatureOf, contextFor, date, piece, text, uncheckedOf, validAsr, validAumg } from './rules-fixtures.ts';

/** Every dossier of a démarche read, as `check` does on a fresh mirror (rules/check.ts steps 2 and 4). */
function evaluateDemarche(candidatures: readonly Candidature[], ctx: RuleContext): Map<number, DossierEvaluation> {
  const read = new Map(candidatures.map((c) => [c.dossierNumber, readDossier(c, ctx)]));
  const matches = duplicateMatches([...read.values()].map((r) => r.keys));
  return new Map(verdictsOf(read, matches).map((e) => [e.dossierNumber, e]));
}

const f = (ruleId: string, severity: Finding['severity'], label = 'x'): Finding => ({
  ruleId,
  severity,
  message: ruleId,
  evidence: [{ label, champId: null, value: null }],
});

describe('verdictOf', () => {
  it.each([
    ['no finding', [], true, 'oui'],
    ['info only', [f('id.rpps', 'info')], true, 'oui'],
    ['alerte', [f('id.rpps', 'alerte')], true, 'a_verifier'],
    ['eligibility bloquant', [f('elig.zone', 'bloquant')], true, 'non'],
    ['late dossier', [f('delai.depot', 'bloquant')], true, 'non'],
    ['missing piece', [f('complet.piece_requise', 'bloquant')], false, 'non'],
    ['missing avis', [f('avis.complets', 'bloquant')], false, 'non'],
    ['no consent', [f('rgpd.consentement', 'bloquant')], false, 'non'],
    ['non-PDF piece', [f('complet.piece_pdf', 'bloquant')], false, 'non'],
    ['unfavourable avis is an alerte, still complete', [f('avis.complets', 'alerte')], true, 'a_verifier'],
    ['bloquant wins over alerte', [f('id.rpps', 'alerte'), f('elig.zone', 'bloquant')], true, 'non'],
  ] as const)('%s', (_name, findings, complet, eligible) => {
    const v = verdictOf(1, findings);
    expect(v.complet).toBe(complet);
    expect(v.eligible).toBe(eligible);
  });

  it('counts findings per severity', () => {
    expect(verdictOf(1, [f('a', 'info'), f('b', 'alerte'), f('c', 'alerte')]).counts).toEqual({ bloquant: 0, alerte: 2, info: 1 });
  });
});

describe('sortFindings', () => {
  it('orders by severity, then rule id, then champ label', () => {
    const sorted = sortFindings([
      f('z.rule', 'info'),
      f('b.rule', 'alerte', 'B'),
      f('b.rule', 'alerte', 'A'),
      f('a.rule', 'bloquant'),
      f('a.rule', 'alerte'),
    ]);
    expect(sorted.map((x) => `${x.severity} ${x.ruleId} ${x.evidence[0]?.label}`)).toEqual([
      'bloquant a.rule x',
      'alerte a.rule x',
      'alerte b.rule A',
      'alerte b.rule B',
      'info z.rule x',
    ]);
  });
});

describe('evaluateDemarche', () => {
  it('gives each dossier its verdict', () => {
    const ok = candidatureOf('aumg', validAumg(), { number: 1 });
    const incomplete = candidatureOf(
      'aumg',
      { ...validAumg(), 'candidat.nom': text('Autre'), 'piece.cv': piece([]), 'candidat.rpps': text('10001234569') },
      { number: 2 },
    );
    const late = candidatureOf(
      'aumg',
      { ...validAumg(), 'candidat.nom': text('Tierce'), 'candidat.rpps': text('10123456781') },
      { number: 3, dateDepot: '2025-05-02T10:00:00+02:00' },
    );
    const result = evaluateDemarche([ok, incomplete, late], contextFor('aumg'));
    expect(result.get(1)).toMatchObject({ complet: true, eligible: 'oui' });
    expect(result.get(2)).toMatchObject({ complet: false, eligible: 'non' });
    expect(result.get(2)?.findings.map((x) => x.ruleId)).toEqual(['complet.piece_requise', 'id.rpps']);
    expect(result.get(3)).toMatchObject({ complet: true, eligible: 'non' });
  });

  it('is deterministic', () => {
    const cs = [candidatureOf('asr', { ...validAsr(), 'quotite.chu.annee1': text('10') })];
    expect(evaluateDemarche(cs, contextFor('asr'))).toEqual(evaluateDemarche(cs, contextFor('asr')));
  });
});

describe('doublon.candidat', () => {
  const duplicates = (cs: ReturnType<typeof candidatureOf>[]) => {
    const result = evaluateDemarche(cs, contextFor('aumg'));
    return cs.map((c) =>
      result
        .get(c.dossierNumber)!
        .findings.filter((x) => x.ruleId === 'doublon.candidat')
        .map((x) => x.severity),
    );
  };
  const person = (n: number, overrides = {}, state = 'en_construction') =>
    candidatureOf(
      'aumg',
      { ...validAumg(), 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': date('2025-06-01'), ...overrides },
      { number: n, state },
    );

  it('same RPPS (spaces ignored) → alerte on both', () => {
    const a = person(1, { 'candidat.rpps': text('10001234565'), 'candidat.nom': text('A') });
    const b = person(2, { 'candidat.rpps': text('1000 1234 565'), 'candidat.nom': text('B') });
    expect(duplicates([a, b])).toEqual([['alerte'], ['alerte']]);
  });

  it.each([
    ['accents', 'Hélène', 'Helene'],
    ['decomposed accents', 'Hélène', 'He\u0301le\u0300ne'],
    ['case and spaces', 'Marie  Claire', 'marie claire'],
    ['hyphen vs space', 'Marie-Claire', 'Marie Claire'],
    ['zero-width char', 'Marie', 'Ma\u200Brie'],
    ['RTL mark', 'Marie', '\u200FMarie'],
  ])('same identity despite %s', (_name, first, second) => {
    const a = person(1, { 'candidat.prenom': text(first) });
    const b = person(2, { 'candidat.prenom': text(second) });
    expect(duplicates([a, b])).toEqual([['alerte'], ['alerte']]);
  });

  it.each([
    ['different birth date', { 'candidat.date_naissance': date('1992-03-15') }],
    ['different first name', { 'candidat.prenom': text('Jeannette') }],
  ])('%s → not a duplicate', (_name, overrides) => {
    expect(duplicates([person(1), person(2, overrides)])).toEqual([[], []]);
  });

  it.each([
    ['refuse', 'refuse'],
    ['sans_suite', 'sans_suite'],
  ])('a %s dossier is not live', (_name, state) => {
    expect(duplicates([person(1), person(2, {}, state)])).toEqual([[], []]);
  });

  it('accepte and en_instruction dossiers are live', () => {
    expect(duplicates([person(1, {}, 'accepte'), person(2, {}, 'en_instruction')])).toEqual([['alerte'], ['alerte']]);
  });

  // Issue #16 § 4: the message names the other candidate, its dossier state and which one to keep.
  const doublonMessage = (result: Map<number, { findings: readonly { ruleId: string; message: string }[] }>, n: number) =>
    result.get(n)!.findings.find((x) => x.ruleId === 'doublon.candidat')!.message;

  it('names the other dossiers, their candidate and state, and which one to keep (the last filed at equal state)', () => {
    const result = evaluateDemarche([person(7), person(3), person(5)], contextFor('aumg'));
    expect(doublonMessage(result, 7)).toBe(
      'Candidat en double (mêmes nom, prénom et date de naissance) avec le dossier n° 3 de Jeanne Dupont (en construction, déposé le 01/04/2025), le dossier n° 5 de Jeanne Dupont (en construction, déposé le 01/04/2025) : un seul dossier par candidat. À conserver : ce dossier (le dernier déposé, à état égal) ; le n° 3, le n° 5 à classer sans suite après accord du déposant.',
    );
  });

  it('keeps the dossier further in the procedure', () => {
    const first = candidatureOf(
      'aumg',
      { ...validAumg(), 'candidat.nom': text('DUPONT') },
      { number: 2, state: 'en_instruction', dateDepot: '2025-03-01T10:00:00+01:00' },
    );
    const second = candidatureOf(
      'aumg',
      { ...validAumg() },
      { number: 9, state: 'en_construction', dateDepot: '2025-04-20T10:00:00+02:00' },
    );
    const result = evaluateDemarche([first, second], contextFor('aumg'));
    expect(doublonMessage(result, 9)).toBe(
      'Candidat en double (même numéro RPPS ; mêmes nom, prénom et date de naissance) avec le dossier n° 2 de Jeanne DUPONT (en instruction, déposé le 01/03/2025) : un seul dossier par candidat. À conserver : le dossier n° 2 (le plus avancé dans la procédure) ; ce dossier à classer sans suite après accord du déposant.',
    );
    expect(doublonMessage(result, 2)).toContain(
      'À conserver : ce dossier (le plus avancé dans la procédure) ; le n° 9 à classer sans suite',
    );
  });

  it('a malformed RPPS identifies nobody', () => {
    const a = person(1, { 'candidat.rpps': text('123'), 'candidat.nom': text('A') });
    const b = person(2, { 'candidat.rpps': text('123'), 'candidat.nom': text('B') });
    expect(duplicates([a, b])).toEqual([[], []]);
  });

  it('neither RPPS nor identity on the form: reported once for the démarche, not on each dossier', () => {
    const champs = validAumg();
    for (const k of ['candidat.rpps', 'candidat.nom', 'candidat.prenom', 'candidat.date_naissance']) delete champs[k];
    const c = candidatureOf('aumg', champs);
    const result = evaluateDemarche([c], contextFor('aumg'));
    expect(result.get(1)!.findings.filter((x) => x.ruleId === 'doublon.candidat')).toEqual([]);
    expect(uncheckedOf('doublon.candidat', 'aumg', champs)).toEqual([
      'Un seul dossier par candidat (doublon.candidat) : ni le numéro RPPS (candidat.rpps) ni les nom, prénom et date de naissance du candidat (candidat.nom, candidat.prenom, candidat.date_naissance) ne sont dans la section mapping de la configuration',
    ]);
    expect(uncheckedOf('doublon.candidat', 'aumg', validAumg())).toEqual([]);
  });
});
