import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotateDemarche } from '../src/pushback/annotate.ts';
import { champValue } from '../src/pushback/dossier-view.ts';
import type { DossierNode } from '../src/graphql/answers.ts';
import { executePlan } from '../src/pushback/executor.ts';
import { savePlan, type PlanItem } from '../src/pushback/plan.ts';
import { ANNOTATION_LABELS, createPushbackWorld, type PushbackWorld } from './support/pushback-world.ts';
import { dialects } from './support/postgres.ts';

function annotation(node: DossierNode, label: string) {
  const champ = node.annotations.find((a) => a.label === label);
  return champ === undefined ? undefined : champValue(champ);
}

describe.each(dialects)('ds-ars annotate against the simulator (%s)', (dialect) => {
  let w: PushbackWorld;
  let all: number[];

  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 11, dossiers: 10, dialect });
    all = await w.numbers();
    for (const [i, n] of all.entries()) {
      await w.evaluate(n, {
        complet: i % 3 !== 0,
        eligible: i % 3 === 0 ? 'non' : i % 3 === 1 ? 'a_verifier' : 'oui',
        evaluatedAt: '2026-11-26T23:30:00Z',
        findings:
          i % 3 === 0
            ? [
                { ruleId: 'id.rpps', severity: 'alerte', message: 'Clé du numéro RPPS invalide', champLabel: 'Numéro RPPS' },
                { ruleId: 'complet.piece_requise', severity: 'bloquant', message: 'Pièce requise absente : Curriculum vitae' },
              ]
            : i % 3 === 1
              ? [
                  {
                    ruleId: 'elig.post_internat',
                    severity: 'alerte',
                    message: 'Fin d’internat entre 4 et 5 ans avant la prise de fonction',
                  },
                ]
              : [],
      });
    }
  });
  afterAll(async () => w?.close());

  it('shows a plan without sending anything, then writes the annotations with --apply and reads them back', async () => {
    const before = w.mutations().length;
    const preview = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: false });
    expect(preview.execution.results.length).toBe(all.length);
    expect(preview.execution.counts.dry_run).toBe(all.length);
    expect(w.mutations().length).toBe(before);
    const saved = await w.db.selectFrom('plans').selectAll().where('id', '=', preview.plan!.id).executeTakeFirstOrThrow();
    expect(saved.kind).toBe('annotate');
    expect(saved.applied_at).toBeNull();

    const applied = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(applied.execution.counts.sent).toBe(all.length);
    const sent = w.mutations('dossierModifierAnnotations').slice(before);
    expect(sent.map((m) => m.dossierNumber).sort()).toEqual([...all].sort());
    // The idempotency key travels as clientMutationId.
    expect(sent.map((m) => m.clientMutationId)).toEqual(applied.execution.results.map((r) => r.key));

    const first = await w.readBack(all[0]!);
    expect(annotation(first, ANNOTATION_LABELS.eligibilite)).toEqual({ dropDownList: 'Non' });
    expect(annotation(first, ANNOTATION_LABELS.complet)).toEqual({ yesNo: false });
    expect(annotation(first, ANNOTATION_LABELS.dateControle)).toEqual({ date: '2026-11-27' });
    const summary = annotation(first, ANNOTATION_LABELS.synthese) as { text: string };
    expect(summary.text).toContain('dossier incomplet ; éligibilité : Non');
    // Bloquant first, whatever the order in the table.
    expect(summary.text.indexOf('[Bloquant] Pièce requise absente')).toBeLessThan(
      summary.text.indexOf('[Alerte] Clé du numéro RPPS invalide (champ « Numéro RPPS »)'),
    );
    expect(annotation(await w.readBack(all[1]!), ANNOTATION_LABELS.eligibilite)).toEqual({ dropDownList: 'À vérifier' });
    expect(annotation(await w.readBack(all[2]!), ANNOTATION_LABELS.complet)).toEqual({ yesNo: true });
  });

  it('sends zero mutations on a second run, before and after the next sync, even with a new check date', async () => {
    const before = w.mutations().length;
    const again = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(again.execution.counts.sent).toBe(0);
    expect(again.unchanged.length).toBe(all.length);

    await w.sync();
    // A nightly check: same findings, new evaluation date.
    for (const n of all) {
      const row = await w.db.selectFrom('evaluations').selectAll().where('dossier_number', '=', n).executeTakeFirstOrThrow();
      await w.db
        .updateTable('evaluations')
        .set({ evaluated_at: '2026-11-28T01:00:00Z' })
        .where('dossier_number', '=', row.dossier_number)
        .execute();
    }
    const nightly = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(nightly.execution.results).toEqual([]);
    expect(nightly.unchanged.length).toBe(all.length);
    expect(w.mutations().length).toBe(before);
  });

  it('writes only the dossier whose findings changed, with the new check date', async () => {
    const n = all[2]!;
    await w.evaluate(n, {
      complet: true,
      eligible: 'a_verifier',
      evaluatedAt: '2026-11-28T01:00:00Z',
      findings: [{ ruleId: 'doublon.candidat', severity: 'alerte', message: 'Même candidat que le dossier n° 1' }],
    });
    const before = w.mutations().length;
    const run = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(run.execution.results.map((r) => [r.item.dossierNumber, r.status])).toEqual([[n, 'sent']]);
    expect(
      w
        .mutations()
        .slice(before)
        .map((m) => m.dossierNumber),
    ).toEqual([n]);
    const node = await w.readBack(n);
    expect(annotation(node, ANNOTATION_LABELS.eligibilite)).toEqual({ dropDownList: 'À vérifier' });
    expect(annotation(node, ANNOTATION_LABELS.dateControle)).toEqual({ date: '2026-11-28' });
    // "Complet" did not change: it is not sent again.
    const item = run.execution.results[0]!.item as Extract<PlanItem, { operation: 'modifierAnnotations' }>;
    expect(item.payload.annotations.map((a) => a.label).sort()).toEqual(
      [ANNOTATION_LABELS.dateControle, ANNOTATION_LABELS.synthese, ANNOTATION_LABELS.eligibilite].sort(),
    );
  });

  it('does not overwrite an annotation edited by hand (conflict), unless --force', async () => {
    const n = all[1]!;
    const eligibiliteId = await w.annotationId(ANNOTATION_LABELS.eligibilite);
    // A hand edit to a value other than the one ds-ars pushed, whatever the seeded verdict is.
    const pushed = w.sim.store.getDossier(n).annotations['a_eligibilite'];
    const handValue = ['Oui', 'Non', 'À vérifier'].find((v) => v !== pushed)!;
    w.sim.store.editAnnotation(n, eligibiliteId, handValue);
    await w.sync();
    const before = w.mutations().length;
    const run = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    const result = run.execution.results.find((r) => r.item.dossierNumber === n)!;
    expect(result.status).toBe('conflict');
    expect(result.error).toContain('modifiée(s) à la main');
    expect(result.error).toContain(ANNOTATION_LABELS.eligibilite);
    expect(w.mutations().length).toBe(before);
    expect(w.sim.store.getDossier(n).annotations['a_eligibilite']).toBe(handValue);
    const journal = await w.db
      .selectFrom('mutation_journal')
      .selectAll()
      .where('idempotency_key', '=', result.key)
      .executeTakeFirstOrThrow();
    expect(journal.status).toBe('conflict');

    const forced = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true, force: true });
    expect(forced.execution.results.find((r) => r.item.dossierNumber === n)?.status).toBe('sent');
    expect(w.sim.store.getDossier(n).annotations['a_eligibilite']).toBe(pushed);
  });

  it('detects a hand edit made after the plan (fresh read before sending) and sends nothing', async () => {
    const n = all[4]!;
    await w.evaluate(n, { complet: true, eligible: 'oui', evaluatedAt: '2026-11-29T01:00:00Z' });
    const eligibilite = await w.annotationId(ANNOTATION_LABELS.eligibilite);
    // Mirror not synced: the planner still believes DS holds what was pushed ("À vérifier").
    w.sim.store.editAnnotation(n, eligibilite, 'Non');
    const before = w.mutations().length;
    const run = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    const result = run.execution.results.find((r) => r.item.dossierNumber === n)!;
    expect(result.status).toBe('conflict');
    expect(result.error).toContain(ANNOTATION_LABELS.eligibilite);
    expect(w.mutations().length).toBe(before);
    expect(w.sim.store.getDossier(n).annotations['a_eligibilite']).toBe('Non');
  });

  it('keeps going past a payload error and records which annotations DS refused (partial success)', async () => {
    const [a, b] = [all[5]!, all[6]!];
    const node = await w.readBack(a);
    const eligibilite = await w.annotationId(ANNOTATION_LABELS.eligibilite);
    const priorite = await w.annotationId('Ordre de priorité');
    const items: PlanItem[] = [
      {
        operation: 'modifierAnnotations',
        demarcheNumber: w.demarche.number,
        dossierNumber: a,
        dossierId: node.id,
        expectedStates: ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'],
        reason: 'test',
        payload: {
          annotations: [
            { id: priorite, label: 'Ordre de priorité', value: { integerNumber: 3 } },
            { id: eligibilite, label: ANNOTATION_LABELS.eligibilite, value: { dropDownList: 'Peut-être' } },
          ],
        },
      },
      {
        operation: 'modifierAnnotations',
        demarcheNumber: w.demarche.number,
        dossierNumber: b,
        dossierId: (await w.readBack(b)).id,
        expectedStates: ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'],
        reason: 'test',
        payload: { annotations: [{ id: priorite, label: 'Ordre de priorité', value: { integerNumber: 1 } }] },
      },
    ];
    const plan = await savePlan(w.db, 'annotate', items, 'test');
    const report = await executePlan(w.ctx(), plan, { apply: true });
    const [first, second] = report.results;
    expect(first?.status).toBe('failed');
    expect(first?.failedAnnotations).toEqual([ANNOTATION_LABELS.eligibilite]);
    expect(first?.error).toContain('ne fait pas partie des options');
    expect(second?.status).toBe('sent');
    expect(w.sim.store.getDossier(a).annotations['a_priorite']).toBe(3);
    const pushes = await w.db.selectFrom('annotation_pushes').selectAll().where('dossier_number', '=', a).execute();
    expect(pushes.find((p) => p.annotation_id === priorite)?.value_json).toBe('{"integerNumber":3}');
    // The refused value is not remembered as pushed.
    expect(pushes.find((p) => p.annotation_id === eligibilite)?.value_json).not.toContain('Peut-être');
    const journal = await w.db
      .selectFrom('mutation_journal')
      .selectAll()
      .where('idempotency_key', '=', first!.key)
      .executeTakeFirstOrThrow();
    expect(journal.status).toBe('failed');
    expect(journal.error_message).toContain('Annotations non écrites');
  });
});
