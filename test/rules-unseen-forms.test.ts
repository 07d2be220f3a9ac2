import { describe, expect, it } from 'vitest';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { labelTokens } from '../src/rules/mapping/normalize-label.ts';
import { UNSEEN_FORMS } from './fixtures/unseen-forms/forms.ts';
import { ASR_DS_FORM, ASR_DS_FORM_ROWS, SECOND_PASS_FORMS } from './fixtures/unseen-forms/second-pass-forms.ts';

describe.each([...UNSEEN_FORMS, ...SECOND_PASS_FORMS].map((f) => [f.name, f] as const))(
  'matchLabels on an unseen form: %s',
  (_name, form) => {
    const result = matchLabels(PROGRAMMES[form.programme], form.descriptors);
    const proposed = new Map(result.matches.map((m) => [m.field, m.descriptorId]));

    it.each(form.expected.map(([key, champ, clause]) => [key, champ, clause]))('%s ← %s (%s)', (key, champ) => {
      expect(proposed.get(key)).toBe(champ);
    });

    it.each(form.never.map(([champ, clause]) => [champ, clause]))('%s is proposed for no key (%s)', (champ) => {
      expect(result.matches.filter((m) => m.descriptorId === champ).map((m) => m.field)).toEqual([]);
    });

    it.each((form.tied ?? []).map(([key, champ, clause]) => [key, champ, clause]))(
      '%s is left to a human, %s listed (%s)',
      (key, champ) => {
        expect(result.mapping[key]).toBeUndefined();
        expect(result.ties.find((t) => t.field === key)?.candidates.map((c) => c.descriptorId)).toContain(champ);
        expect(result.report.some((line) => line.includes(`(${key})`) && line.includes(`(${champ})`))).toBe(true);
      },
    );
  },
);

describe('matchLabels on an unseen form: per-year rows of a block (docs/regles.md « ligne »)', () => {
  const { mapping } = matchLabels(PROGRAMMES.asr, ASR_DS_FORM.descriptors);
  it.each(ASR_DS_FORM_ROWS.map(([key, champ, year]) => [key, champ, year]))('%s ← %s on the row « Année » = %s', (key, champ, year) => {
    expect(mapping[key]).toEqual({ repetition: 'a14', champ, ligne: { champ: 'a14a', valeur: year } });
  });
});

describe('labelTokens: ordinal years', () => {
  it.each([
    ['Temps au CHU - 1ère année', ['temps', 'chu', 'annee', '1']],
    ['Temps au CHU – première année', ['temps', 'chu', 'annee', '1']],
    ['Temps au CH (2e année)', ['temps', 'ch', 'annee', '2']],
    ['Temps au CH - deuxième année', ['temps', 'ch', 'annee', '2']],
    // An abbreviation may stand for several words: « PCME » is the président de CME (seed 003 annexes 10-11).
    ['Avis du PCME du CHU', ['avis', 'president', 'cme', 'chu']],
  ])('%j → %j', (label, tokens) => expect(labelTokens(label)).toEqual(tokens));
});
