/** The simulator's expected verdicts come from a table written from the specification, one clause per line. */
import { describe, expect, it } from 'vitest';
import { EXPECTED_VERDICTS, expectedVerdictRow } from '../src/simulator/expected-verdicts.table.ts';
import { scenariosFor } from '../src/simulator/scenarios.ts';

const PROGRAMMES = ['aumg', 'asp', 'mgvh', 'asr', 'asap'] as const;

describe('simulator: expected verdicts table', () => {
  it('has a line for every scenario of every programme, without and with a live duplicate where one can occur', () => {
    const missing: string[] = [];
    for (const programme of PROGRAMMES) {
      for (const s of scenariosFor(programme)) {
        // Duplicates are copies of a « valide » dossier, so only those two kinds can have a live duplicate.
        const cases = s.id === 'valide' || s.duplicateOf ? [false, true] : [false];
        for (const duplicate of cases) {
          try {
            expectedVerdictRow(s.id, programme, duplicate);
          } catch {
            missing.push(`${programme} ${s.id} ${duplicate}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a line for every scenario of the per-year ASR form (variant quotites_par_annee)', () => {
    const missing = scenariosFor('asr', 'quotites_par_annee').filter((s) => {
      try {
        expectedVerdictRow(s.id, 'asr', false);
        return false;
      } catch {
        return true;
      }
    });
    expect(missing.map((s) => s.id)).toEqual([]);
    expect(scenariosFor('asr', 'quotites_par_annee').map((s) => s.id)).toContain('quotites_annee_2_listee_en_premier');
  });

  it('cites a clause of PROGRAMMES.md or a seed on every line', () => {
    for (const row of EXPECTED_VERDICTS) expect(row.clause, row.scenario).toMatch(/PROGRAMMES\.md \S|seed 00[0-4]/);
  });

  it('is consistent with the verdict semantics it cites (complet needs no completeness rule, oui needs no rule)', () => {
    for (const row of EXPECTED_VERDICTS) {
      if (row.eligible === 'oui') expect(row.rules, row.scenario).toEqual([]);
      if (!row.complet) expect(row.eligible, row.scenario).toBe('non');
    }
  });

  it('expects FINESS checks on the ASR form, which has a FINESS champ (PROGRAMMES.md id.finess « where a FINESS champ exists »)', () => {
    expect(expectedVerdictRow('finess_mal_forme', 'asr', false)).toMatchObject({ complet: true, eligible: 'non', rules: ['id.finess'] });
    expect(expectedVerdictRow('finess_cle_invalide', 'asr', false)).toMatchObject({ eligible: 'a_verifier', rules: ['id.finess'] });
  });

  it('refuses to guess: a scenario without a line is an error', () => {
    expect(() => expectedVerdictRow('inconnu', 'aumg', false)).toThrow(/no line for scenario inconnu/);
  });
});
