import { describe, expect, it } from 'vitest';
import {
  booleanValue,
  dateValue,
  matchVerdictOption,
  textValue,
  verdictValue,
  type AnnotationTarget,
} from '../src/pushback/annotation-values.ts';
import { parisDateOf } from '../src/shared/dates.ts';
import { planAnnotations, type AnnotateDossier } from '../src/pushback/annotations.plan.ts';
import { findingsSummary, type SummaryFinding } from '../src/pushback/findings-summary.ts';
import { itemKey } from '../src/pushback/executor.ts';
import { idempotencyKey } from '../src/pushback/idempotency.ts';
import { planTransitions, type TransitionEvaluation } from '../src/pushback/transitions.plan.ts';

const target = (typename: string, options: string[] | null = null): AnnotationTarget => ({
  id: 'A1',
  label: 'Annotation',
  typename,
  options,
});

describe('annotation values', () => {
  it.each([
    ['TextChampDescriptor', { text: 'x' }],
    ['TextareaChampDescriptor', { textarea: 'x' }],
  ])('summary into %s', (typename, expected) => {
    expect(textValue(target(typename), 'x')).toEqual(expected);
  });

  it.each([
    ['CheckboxChampDescriptor', true, { checkbox: true }],
    ['YesNoChampDescriptor', false, { yesNo: false }],
    ['TextChampDescriptor', true, { text: 'Oui' }],
  ])('"complet" into %s', (typename, value, expected) => {
    expect(booleanValue(target(typename), value)).toEqual(expected);
  });

  it('refuses an annotation type that cannot hold the value, in French', () => {
    expect(() => textValue(target('DateChampDescriptor'), 'x')).toThrow(/ne peut pas recevoir la synthèse/);
  });

  it.each([
    [['Oui', 'Non', 'À vérifier'], 'a_verifier', 'À vérifier'],
    [['OUI', 'NON', 'A VERIFIER'], 'a_verifier', 'A VERIFIER'],
    [['Éligible', 'Non éligible', 'À contrôler'], 'oui', 'Éligible'],
    [['Éligible', 'Non éligible', 'À contrôler'], 'non', 'Non éligible'],
    [['Éligible', 'Non éligible', 'À contrôler'], 'a_verifier', 'À contrôler'],
    [['oui – sous réserve', 'non'], 'oui', 'oui – sous réserve'],
  ] as const)('matches the drop-down options %j for %s', (options, verdict, expected) => {
    expect(matchVerdictOption(options, verdict)).toBe(expected);
  });

  it('a drop-down without the verdict is a configuration error naming the options', () => {
    expect(() => verdictValue(target('DropDownListChampDescriptor', ['Oui', 'Non']), 'a_verifier')).toThrow(
      /pas d’option pour « À vérifier » \(options : « Oui », « Non »\)/,
    );
  });

  it('a yes/no cannot say "à vérifier": left alone', () => {
    expect(verdictValue(target('YesNoChampDescriptor'), 'a_verifier')).toBeUndefined();
  });

  it('the check date is the calendar day in Europe/Paris', () => {
    expect(parisDateOf('2026-11-26T23:30:00Z')).toBe('2026-11-27');
    expect(dateValue(target('DateChampDescriptor'), '2026-06-30T22:10:00Z')).toEqual({ date: '2026-07-01' });
    expect(dateValue(target('TextChampDescriptor'), '2026-06-30T21:10:00Z')).toEqual({ text: '30/06/2026' });
  });
});

describe('findings summary', () => {
  const finding = (i: number, severity: SummaryFinding['severity']): SummaryFinding => ({
    ruleId: `r.${i}`,
    severity,
    message: `Constat numéro ${i} ${'x'.repeat(80)}`,
    champLabel: null,
    position: i,
  });

  it('is stable whatever the order of the findings', () => {
    const list = [finding(1, 'info'), finding(2, 'bloquant'), finding(3, 'alerte')];
    const a = findingsSummary({ complet: false, eligible: 'non', findings: list });
    const b = findingsSummary({ complet: false, eligible: 'non', findings: [...list].reverse() });
    expect(a).toBe(b);
    expect(
      a
        .split('\n')
        .slice(2)
        .map((l) => l.slice(0, 12)),
    ).toEqual(['- [Bloquant]', '- [Alerte] C', '- [Info] Con']);
  });

  it('is bounded and says how many findings were left out', () => {
    const many = Array.from({ length: 100 }, (_, i) => finding(i, 'alerte'));
    const text = findingsSummary({ complet: true, eligible: 'a_verifier', findings: many }, 4000);
    expect(text.length).toBeLessThanOrEqual(4000);
    const shown = text.split('\n').filter((l) => l.startsWith('- ')).length;
    expect(text.endsWith(`… et ${100 - shown} autres constats`)).toBe(true);
    expect(shown).toBeGreaterThan(20);
  });

  it('says so when there is nothing to report', () => {
    expect(findingsSummary({ complet: true, eligible: 'oui', findings: [] })).toBe(
      'Contrôle automatique : dossier complet ; éligibilité : Oui.\nAucun constat.',
    );
  });
});

describe('idempotency key', () => {
  it('depends on operation, dossier and payload, not on key order', () => {
    const a = idempotencyKey('accepter', 12, { motivation: 'ok', disableNotification: true });
    expect(idempotencyKey('accepter', 12, { disableNotification: true, motivation: 'ok' })).toBe(a);
    expect(idempotencyKey('accepter', 13, { motivation: 'ok', disableNotification: true })).not.toBe(a);
    expect(idempotencyKey('refuser', 12, { motivation: 'ok', disableNotification: true })).not.toBe(a);
    expect(idempotencyKey('accepter', 12, { motivation: 'ok ', disableNotification: true })).not.toBe(a);
  });
});

describe('annotation planning (pure)', () => {
  const targets = {
    eligibilite: { id: 'E', label: 'Éligibilité', typename: 'DropDownListChampDescriptor', options: ['Oui', 'Non', 'À vérifier'] },
    dateControle: { id: 'D', label: 'Date', typename: 'DateChampDescriptor', options: null },
  };
  const dossier = (values: Record<string, unknown>, modifiedAt = '2026-11-20T10:00:00Z'): AnnotateDossier => ({
    number: 1,
    id: 'RG9zc2llci0x',
    demarcheNumber: 9,
    annotations: new Map(Object.entries(values)) as AnnotateDossier['annotations'],
    dateDerniereModificationAnnotations: modifiedAt,
    syncedAt: modifiedAt,
  });
  const evaluation = new Map([[1, { complet: true, eligible: 'oui' as const, evaluatedAt: '2026-11-27T01:00:00Z', findings: [] }]]);

  it('a new check date alone does not make a write', () => {
    const plan = planAnnotations({
      dossiers: [dossier({ E: { dropDownList: 'Oui' }, D: { date: '2026-11-01' } })],
      evaluations: evaluation,
      pushes: new Map(),
      targets,
    });
    expect(plan.items).toEqual([]);
    expect(plan.unchanged).toEqual([1]);
  });

  it('a real change carries the check date along', () => {
    const plan = planAnnotations({
      dossiers: [dossier({ E: { dropDownList: 'Non' }, D: { date: '2026-11-01' } })],
      evaluations: evaluation,
      pushes: new Map(),
      targets,
    });
    expect(plan.items[0]?.payload.annotations.map((a) => a.value)).toEqual([{ dropDownList: 'Oui' }, { date: '2026-11-27' }]);
    expect(plan.items[0]?.annotationsBefore).toEqual({ E: { dropDownList: 'Non' }, D: { date: '2026-11-01' } });
  });

  it('an annotation changed after our push (newer date, other value) is a conflict unless forced', () => {
    const pushes = new Map([
      [
        1,
        [
          {
            annotationId: 'E',
            value: { dropDownList: 'Non' },
            pushedAt: '2026-11-21T00:00:00Z',
            annotationsModifiedAt: '2026-11-21T00:00:01Z',
          },
        ],
      ],
    ]);
    const edited = dossier({ E: { dropDownList: 'À vérifier' } }, '2026-11-22T08:00:00Z');
    const plan = planAnnotations({ dossiers: [edited], evaluations: evaluation, pushes, targets });
    expect(plan.items[0]?.conflict).toContain('« Éligibilité »');
    const forced = planAnnotations({ dossiers: [edited], evaluations: evaluation, pushes, targets, force: true });
    expect(forced.items[0]?.conflict).toBeUndefined();
    expect(forced.items[0]?.annotationsBefore).toBeUndefined();
  });

  it('a hand edit within the same second as our push (DS dates are to the second) is still a conflict', () => {
    const pushes = new Map([
      [
        1,
        [
          {
            annotationId: 'E',
            value: { dropDownList: 'Non' },
            pushedAt: '2026-11-21T10:00:00.400Z',
            annotationsModifiedAt: '2026-11-21T10:00:00Z',
          },
        ],
      ],
    ]);
    const edited = { ...dossier({ E: { dropDownList: 'À vérifier' } }, '2026-11-21T10:00:00Z'), syncedAt: '2026-11-21T10:00:00.900Z' };
    expect(planAnnotations({ dossiers: [edited], evaluations: evaluation, pushes, targets }).items[0]?.conflict).toContain(
      '« Éligibilité »',
    );
    // The same mirror read just before the push shows the old value: DS holds what we pushed.
    const before = { ...edited, syncedAt: '2026-11-21T10:00:00.100Z' };
    const planned = planAnnotations({ dossiers: [before], evaluations: evaluation, pushes, targets }).items[0];
    expect(planned?.conflict).toBeUndefined();
    expect(planned?.annotationsBefore?.['E']).toEqual({ dropDownList: 'Non' });
  });

  it('a mirror older than our push is trusted for nothing: DS holds what we pushed', () => {
    const pushes = new Map([
      [
        1,
        [
          {
            annotationId: 'E',
            value: { dropDownList: 'Oui' },
            pushedAt: '2026-11-21T00:00:00Z',
            annotationsModifiedAt: '2026-11-21T00:00:01Z',
          },
        ],
      ],
    ]);
    const plan = planAnnotations({ dossiers: [dossier({ E: null })], evaluations: evaluation, pushes, targets });
    expect(plan.items).toEqual([]);
  });
});

describe('transition planning (pure)', () => {
  const input = (today: string) => ({
    dossiers: [
      {
        number: 5,
        id: 'D5',
        demarcheNumber: 9,
        state: 'en_construction',
        dateDerniereModificationChamps: '2025-04-01T00:00:00Z',
        messageBodies: [],
      },
    ],
    evaluations: new Map<number, TransitionEvaluation>([[5, { complet: true, dossierVersion: '2025-04-02T00:00:00Z', findings: [] }]]),
    settings: { closingDate: '2025-04-30', messageIncomplets: true, disableNotification: true },
    today,
  });

  it('waits until the day after the closing date', () => {
    expect(planTransitions(input('2025-04-30')).items).toEqual([]);
    const plan = planTransitions(input('2025-05-01'));
    expect(plan.items.map((i) => [i.operation, i.payload])).toEqual([['passerEnInstruction', { disableNotification: true }]]);
  });

  it('leaves a dossier changed since its check alone', () => {
    const stale = input('2025-05-01');
    stale.dossiers[0]!.dateDerniereModificationChamps = '2025-04-03T00:00:00Z';
    const plan = planTransitions(stale);
    expect(plan.items).toEqual([]);
    expect(plan.staleEvaluations).toEqual([5]);
  });

  it('leaves a complete dossier filed late en construction', () => {
    const late = input('2025-05-01');
    late.evaluations.set(5, {
      complet: true,
      dossierVersion: '2025-04-02T00:00:00Z',
      findings: [{ ruleId: 'delai.depot', severity: 'bloquant', message: 'Déposé hors délai', position: 0 }],
    });
    expect(planTransitions(late).late).toEqual([5]);
  });
});

describe('plan item keys', () => {
  it('an annotation value set back later is a new write, not a repeat', () => {
    const base = {
      operation: 'modifierAnnotations' as const,
      demarcheNumber: 9,
      dossierNumber: 1,
      dossierId: 'D1',
      expectedStates: ['en_construction' as const],
      reason: 'r',
      payload: { annotations: [{ id: 'E', label: 'Éligibilité', value: { dropDownList: 'Oui' } }] },
    };
    const first = itemKey({ ...base, annotationsBefore: { E: null } });
    expect(itemKey({ ...base, annotationsBefore: { E: null } })).toBe(first);
    expect(itemKey({ ...base, annotationsBefore: { E: { dropDownList: 'Non' } } })).not.toBe(first);
  });
});
