import { describe, expect, it } from 'vitest';
import { DECISIONS_HEADER_SPECS } from '../src/decisions/decisions-columns.ts';
import { decisionRowSchema, parseDecision } from '../src/decisions/decision-row.schema.ts';
import { columnLetter, matchHeaders, normalizeHeader } from '../src/decisions/headers.ts';
import { DECISION_COLUMNS } from '../src/reports/decisions-sheet.ts';

describe('decision spellings', () => {
  it.each([
    ['Accepter', 'accepter'],
    ['ACCEPTÉ', 'accepter'],
    [' acceptée ', 'accepter'],
    ['Avis favorable', 'accepter'],
    ['Refuser', 'refuser'],
    ['refusé', 'refuser'],
    ['Avis  DÉFAVORABLE', 'refuser'],
    ['Classer sans suite', 'classerSansSuite'],
    ['classé sans suite', 'classerSansSuite'],
    ['Sans suite', 'classerSansSuite'],
    ['', null],
    ['   ', null],
    ['Favorable avec réserves', undefined],
    ['Oui', undefined],
    ['Ajourné', undefined],
  ])('%j → %s', (text, expected) => {
    expect(parseDecision(text)).toBe(expected);
  });
});

describe('headers', () => {
  it('normalises case, accents, punctuation and spaces', () => {
    expect(normalizeHeader('  N°   DOSSIER ')).toBe('n dossier');
    expect(normalizeHeader('\u200BDécision\u00A0du jury\uFEFF')).toBe('decision du jury');
  });

  it('finds the header row below a title and every column of the report', () => {
    const headers = DECISION_COLUMNS.map((c) => c.header.toUpperCase());
    const match = matchHeaders([['Classeur du jury'], [], headers], DECISIONS_HEADER_SPECS);
    expect(match?.rowIndex).toBe(2);
    expect(match?.missing).toEqual([]);
    expect(match?.columns.get('decision')).toBe(DECISION_COLUMNS.findIndex((c) => c.key === 'decision'));
    expect(match?.columns.get('champsModifiedAt')).toBe(DECISION_COLUMNS.findIndex((c) => c.key === 'champsModifiedAt'));
  });

  it('reports the required columns it cannot find', () => {
    const match = matchHeaders([['N° dossier', 'Décision', 'Commentaire']], DECISIONS_HEADER_SPECS);
    expect(match?.missing.map((s) => s.key)).toEqual(['motivation']);
    expect(matchHeaders([['Nom', 'Prénom']], DECISIONS_HEADER_SPECS)).toBeNull();
  });

  it('names columns like a spreadsheet', () => {
    expect([0, 8, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'I', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

describe('row schema', () => {
  it('reads spaces in dossier numbers and requires a motivation for Refuser', () => {
    const ok = decisionRowSchema.safeParse({ dossierNumber: '22 873 001', decision: 'Refusé', motivation: ' Hors délai ' });
    expect(ok.success && ok.data).toMatchObject({ dossierNumber: 22873001, decision: 'refuser', motivation: 'Hors délai' });
    const missing = decisionRowSchema.safeParse({ dossierNumber: '1', decision: 'Classer sans suite', motivation: '' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['motivation', 'motivation obligatoire pour « Classer sans suite »'],
    ]);
  });

  it('rejects tampered technical columns', () => {
    const bad = decisionRowSchema.safeParse({ dossierNumber: '1', decision: 'Accepter', stateSeen: 'valide', champsModifiedAt: 'hier' });
    expect(bad.error?.issues.map((i) => i.path[0])).toEqual(['stateSeen', 'champsModifiedAt']);
  });
});
