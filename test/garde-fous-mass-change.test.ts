/**
 * The mass-change rail on annotation plans, on its own (issue 13, case 1): thresholds (more than
 * 20 % of the live dossiers and at least 10), a first fill never counted, hand-written values
 * counted, « oui » → « non » counted, conflicts (not sent) not counted. Pure: plan → assessment.
 */
import { describe, expect, it } from 'vitest';
import type { AnnotationTarget } from '../src/pushback/annotation-values.ts';
import { planAnnotations, type AnnotateDossier, type AnnotateEvaluation, type AnnotationPush } from '../src/pushback/annotations.plan.ts';
import { assessMassChange, massChangeSummary, readVerdict } from '../src/pushback/mass-change.guard.ts';
import type { AnnotationValue } from '../src/pushback/plan.ts';

const eligibilite: AnnotationTarget = {
  id: 'A-elig',
  label: 'Éligibilité',
  typename: 'DropDownListChampDescriptor',
  options: ['Oui', 'Non', 'À vérifier'],
};
const targets = { eligibilite };

function world(n: number, current: (i: number) => AnnotationValue | null, verdict: (i: number) => AnnotateEvaluation['eligible']) {
  const dossiers: AnnotateDossier[] = [];
  const evaluations = new Map<number, AnnotateEvaluation>();
  for (let i = 1; i <= n; i++) {
    const value = current(i);
    dossiers.push({
      number: i,
      id: `D${i}`,
      demarcheNumber: 7,
      annotations: new Map(value ? [[eligibilite.id, value]] : []),
      dateDerniereModificationAnnotations: '2026-01-01T00:00:00Z',
      syncedAt: '2026-01-02T00:00:00Z',
    });
    const v = verdict(i);
    evaluations.set(i, {
      complet: v !== 'non',
      eligible: v,
      evaluatedAt: '2026-01-03T00:00:00Z',
      findings:
        v === 'non' ? [{ ruleId: 'delai.depot', severity: 'bloquant', message: 'Déposé hors délai', champLabel: null, position: 0 }] : [],
    });
  }
  return { dossiers, evaluations };
}

function assess(w: ReturnType<typeof world>, pushes = new Map<number, AnnotationPush[]>(), force = false) {
  const plan = planAnnotations({ ...w, pushes, targets, force });
  return assessMassChange({ demarcheNumber: 7, ...w, targets, changes: plan.changes });
}

describe('mass-change rail', () => {
  it('a first fill of empty annotations is never a mass change', () => {
    const a = assess(
      world(
        100,
        () => null,
        () => 'non',
      ),
    );
    expect(a).toMatchObject({ overwritten: 0, ouiToNon: 0, tripped: false });
  });

  it('trips above 20 % and at least 10 dossiers, with counts before → after and the causes', () => {
    // 30 of 100 written « Oui » by hand, now « non »: 30 % > 20 %.
    const a = assess(
      world(
        100,
        (i) => (i <= 30 ? { dropDownList: 'Oui' } : null),
        (i) => (i <= 30 ? 'non' : 'oui'),
      ),
    );
    expect(a).toMatchObject({ live: 100, overwritten: 30, ouiToNon: 30, tripped: true });
    expect(a.annotations[0]).toMatchObject({ label: 'Éligibilité', before: { oui: 30, vide: 70 }, after: { oui: 70, non: 30 } });
    expect(a.causes).toEqual([{ ruleId: 'delai.depot', dossiers: 30 }]);
  });

  it('with no finding to blame (values written by hand in DS), the refusal says so rather than « vérifiez la configuration »', () => {
    // 30 of 100 written « Non » by hand; the check says « oui » with no finding.
    const a = assess(
      world(
        100,
        (i) => (i <= 30 ? { dropDownList: 'Non' } : null),
        () => 'oui',
      ),
    );
    expect(a).toMatchObject({ overwritten: 30, tripped: true, causes: [] });
    const text = massChangeSummary(a, 'relancez avec --confirmer-masse').join('\n');
    expect(text).toContain(
      'Aucun constat du contrôle n’explique ces changements : les valeurs actuelles de DS ont sans doute été écrites à la main',
    );
    expect(text).toContain('pour les remplacer par le résultat du contrôle, relancez avec --confirmer-masse.');
    expect(text).not.toContain('Vérifiez d’abord la configuration');
  });

  it('does not trip at exactly 20 %, nor under 10 dossiers on a small démarche', () => {
    expect(
      assess(
        world(
          100,
          (i) => (i <= 20 ? { dropDownList: 'Oui' } : null),
          (i) => (i <= 20 ? 'non' : 'oui'),
        ),
      ).tripped,
    ).toBe(false);
    // 9 of 12 is 75 %, but fewer than 10 dossiers.
    expect(
      assess(
        world(
          12,
          (i) => (i <= 9 ? { dropDownList: 'Oui' } : null),
          (i) => (i <= 9 ? 'non' : 'oui'),
        ),
      ).tripped,
    ).toBe(false);
  });

  it('counts values written by ds-ars (journaled pushes) as written, and leaves out conflicts that are not sent', () => {
    const w = world(
      40,
      (i) => ({ dropDownList: i <= 15 ? 'Non' : 'Oui' }),
      () => 'oui',
    );
    // 15 « Non » → « Oui »: overwritten (not oui → non), 37.5 % of 40 and ≥ 10.
    expect(assess(w)).toMatchObject({ overwritten: 15, ouiToNon: 0, tripped: true });
    // The same values pushed by ds-ars before the mirror was read, then edited by hand: conflicts, not sent.
    const pushes = new Map<number, AnnotationPush[]>(
      w.dossiers.map((d) => [
        d.number,
        [{ annotationId: eligibilite.id, value: { dropDownList: 'Oui' }, pushedAt: '2026-01-01T12:00:00Z', annotationsModifiedAt: null }],
      ]),
    );
    expect(assess(w, pushes)).toMatchObject({ overwritten: 0, tripped: false });
    expect(assess(w, pushes, true)).toMatchObject({ overwritten: 15, tripped: true });
  });

  it('counts « before » from what ds-ars pushed when the mirror was read before the push (no sync since annotate --apply)', () => {
    // The mirror still shows the annotations empty; ds-ars pushed « Oui » on 1-30 and « Non » on 31-40 since.
    const w = world(
      40,
      () => null,
      (i) => (i <= 30 ? 'non' : 'non'),
    );
    const pushes = new Map<number, AnnotationPush[]>(
      w.dossiers.map((d) => [
        d.number,
        [
          {
            annotationId: eligibilite.id,
            value: { dropDownList: d.number <= 30 ? 'Oui' : 'Non' },
            pushedAt: '2026-01-02T12:00:00Z',
            annotationsModifiedAt: null,
          },
        ],
      ]),
    );
    const plan = planAnnotations({ ...w, pushes, targets, force: false });
    const a = assessMassChange({ demarcheNumber: 7, ...w, targets, changes: plan.changes, current: plan.current });
    expect(a).toMatchObject({ overwritten: 30, ouiToNon: 30, tripped: true });
    // The 10 « Non » stay « Non »: they are not « vide » because the mirror has not read them back yet.
    expect(a.annotations[0]).toMatchObject({ before: { oui: 30, non: 10, vide: 0 }, after: { oui: 0, non: 40, vide: 0 } });
  });

  it('reads verdicts from every annotation type', () => {
    expect(readVerdict({ dropDownList: 'oui – éligible' })).toBe('oui');
    expect(readVerdict({ text: 'Non' })).toBe('non');
    expect(readVerdict({ yesNo: false })).toBe('non');
    expect(readVerdict({ checkbox: false })).toBe('vide');
    expect(readVerdict({ textarea: ' ' })).toBe('vide');
    expect(readVerdict(null)).toBe('vide');
  });
});
