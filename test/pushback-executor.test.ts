import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DossierPasserEnInstructionDocument } from '../src/generated/graphql.ts';
import { annotateDemarche } from '../src/pushback/annotate.ts';
import { executePlan, itemKey } from '../src/pushback/executor.ts';
import { markSending } from '../src/pushback/journal.repository.ts';
import { savePlan, type PlanItem } from '../src/pushback/plan.ts';
import { createPushbackWorld, type PushbackWorld } from './support/pushback-world.ts';
import { dialects } from './support/postgres.ts';

describe.each(dialects)('mutation executor against the simulator (%s)', (dialect) => {
  let w: PushbackWorld;
  let pool: number[];
  const take = (k: number) => {
    if (pool.length < k) throw new Error(`only ${pool.length} dossier(s) left en construction, ${k} wanted`);
    return pool.splice(0, k);
  };

  async function passer(numbers: number[]): Promise<PlanItem[]> {
    const items: PlanItem[] = [];
    for (const n of numbers) {
      const row = await w.db.selectFrom('dossiers').select('id').where('number', '=', n).executeTakeFirstOrThrow();
      items.push({
        operation: 'passerEnInstruction',
        demarcheNumber: w.demarche.number,
        dossierNumber: n,
        dossierId: row.id,
        expectedStates: ['en_construction'],
        reason: 'test',
        payload: { disableNotification: true },
      });
    }
    return items;
  }

  const sentFor = (n: number, operation: string) => w.mutations(operation).filter((m) => m.dossierNumber === n).length;

  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 23, dossiers: 60, dialect });
    // Dossiers the simulator lets go en instruction (no pending correction).
    pool = (await w.numbers('en_construction')).filter((n) => !w.sim.store.getDossier(n).pendingCorrection);
  });
  afterAll(async () => w?.close());

  it('guards on the state: a decision on a dossier en construction is not sent, and is journaled as such', async () => {
    const [n] = take(1);
    const row = await w.db.selectFrom('dossiers').select('id').where('number', '=', n!).executeTakeFirstOrThrow();
    const plan = await savePlan(w.db, 'decisions', [
      {
        operation: 'accepter',
        demarcheNumber: w.demarche.number,
        dossierNumber: n!,
        dossierId: row.id,
        expectedStates: ['en_instruction'],
        reason: 'Décision du jury',
        payload: { motivation: 'Dossier retenu' },
      },
    ]);
    const before = w.sim.stats.mutations.length;
    const report = await executePlan(w.ctx(), plan.id, { apply: true });
    expect(report.results[0]?.status).toBe('guarded');
    expect(report.results[0]?.error).toContain('« en construction »');
    expect(report.results[0]?.error).toContain('exige l’état « en instruction »');
    expect(w.sim.stats.mutations.length).toBe(before);
    expect(w.sim.store.getDossier(n!).state).toBe('en_construction');
    const journal = await w.db.selectFrom('mutation_journal').selectAll().where('dossier_number', '=', n!).executeTakeFirstOrThrow();
    expect(journal.status).toBe('guarded');
  });

  it('re-reads the dossier when the mirror is older than the plan: a state already reached is skipped, not resent', async () => {
    const [n] = take(1);
    const items = await passer([n!]);
    // Someone passes it en instruction in DS after the last sync.
    const instructeurs = await w.db
      .selectFrom('instructeurs')
      .select('id')
      .where('email', '=', w.demarche.instructeurEmails[0]!)
      .executeTakeFirstOrThrow();
    await w.client.mutate(DossierPasserEnInstructionDocument, {
      input: { dossierId: items[0]!.dossierId, instructeurId: instructeurs.id },
    });
    const before = sentFor(n!, 'dossierPasserEnInstruction');
    const report = await executePlan(w.ctx(), await savePlan(w.db, 'instruire', items), { apply: true });
    expect(report.results[0]?.status).toBe('skipped');
    expect(report.results[0]?.detail).toContain('déjà « en instruction »');
    expect(sentFor(n!, 'dossierPasserEnInstruction')).toBe(before);
  });

  it('after a crash mid-run (a row left "sending"), a rerun sends every mutation exactly once', async () => {
    const numbers = take(4);
    const plan = await savePlan(w.db, 'instruire', await passer(numbers));
    const crash = new Error('simulated crash');
    await expect(
      executePlan(
        w.ctx({
          hooks: {
            afterSend: ({ sentCount }) => {
              if (sentCount === 2) throw crash;
            },
          },
        }),
        plan.id,
        { apply: true },
      ),
    ).rejects.toBe(crash);
    const rows = await w.db
      .selectFrom('mutation_journal')
      .select(['dossier_number', 'status'])
      .where('plan_id', '=', plan.id)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { dossier_number: numbers[0], status: 'sent' },
      { dossier_number: numbers[1], status: 'sending' },
    ]);

    const rerun = await executePlan(w.ctx(), plan.id, { apply: true });
    expect(rerun.results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'sent', 'sent']);
    expect(rerun.results[1]?.detail).toContain('déjà pris en compte par DS');
    for (const n of numbers) {
      expect(sentFor(n, 'dossierPasserEnInstruction')).toBe(1);
      expect(w.sim.store.getDossier(n).state).toBe('en_instruction');
    }
    const after = await w.db.selectFrom('mutation_journal').select('status').where('plan_id', '=', plan.id).execute();
    expect(after.every((r) => r.status === 'sent')).toBe(true);
    const applied = await w.db.selectFrom('plans').select('applied_at').where('id', '=', plan.id).executeTakeFirstOrThrow();
    expect(applied.applied_at).not.toBeNull();

    // A third run sends nothing at all.
    const total = w.mutations().length;
    const third = await executePlan(w.ctx(), plan.id, { apply: true });
    expect(third.counts.skipped).toBe(4);
    expect(w.mutations().length).toBe(total);
  });

  it('a row left "sending" whose mutation never reached DS is sent once after re-reading the dossier', async () => {
    const [n] = take(1);
    const [item] = await passer([n!]);
    await markSending(w.db, {
      key: itemKey(item!),
      planId: null,
      runId: 'crashed-run',
      operation: item!.operation,
      demarcheNumber: item!.demarcheNumber,
      dossierNumber: n!,
      dossierId: item!.dossierId,
      instructeurId: null,
      payloadJson: '{}',
      reason: 'test',
      now: new Date().toISOString(),
    });
    const report = await executePlan(w.ctx(), [item!], { apply: true });
    expect(report.results[0]?.status).toBe('sent');
    expect(sentFor(n!, 'dossierPasserEnInstruction')).toBe(1);
    const row = await w.db
      .selectFrom('mutation_journal')
      .selectAll()
      .where('idempotency_key', '=', itemKey(item!))
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(2);
    expect(row.status).toBe('sent');
  });

  it('a connection cut during a mutation leaves it uncertain ("sending"); the rerun re-reads DS and sends it once', async () => {
    const [n] = take(1);
    // A plan older than the mirror: the executor trusts the mirror, so the mutation is the first request.
    const plan = await savePlan(w.db, 'instruire', await passer([n!]), null, { now: new Date('2020-01-01T00:00:00Z') });
    w.sim.setFaults({ resetRate: 1 });
    let first: Awaited<ReturnType<typeof executePlan>>;
    try {
      first = await executePlan(w.ctx(), plan.id, { apply: true });
    } finally {
      w.sim.setFaults({ resetRate: 0 });
    }
    expect(first.results[0]?.status).toBe('uncertain');
    expect(first.results[0]?.error).toContain('peut-être été appliquée');
    const row = await w.db
      .selectFrom('mutation_journal')
      .selectAll()
      .where('idempotency_key', '=', first.results[0]!.key)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('sending');

    const rerun = await executePlan(w.ctx(), plan.id, { apply: true });
    expect(rerun.results[0]?.status).toBe('sent');
    expect(sentFor(n!, 'dossierPasserEnInstruction')).toBe(1);
    // Every step is kept, the first attempt's error included (the row only shows the last one).
    const steps = await w.db.selectFrom('mutation_journal_events').selectAll().where('journal_id', '=', row.id).orderBy('id').execute();
    expect(steps.map((e) => [e.status, e.attempt, e.run_id])).toEqual([
      ['sending', 1, first.runId],
      ['sending', 1, first.runId],
      ['sending', 2, rerun.runId],
      ['sent', 2, rerun.runId],
    ]);
    expect(steps[1]?.error_message).toContain('Résultat incertain');
    expect(steps[3]?.error_message).toBeNull();
  });

  it('annotations: a crash after sending is settled from the values DS holds, without resending', async () => {
    const numbers = pool.splice(-3);
    for (const n of numbers) await w.evaluate(n, { complet: true, eligible: 'oui', evaluatedAt: '2026-11-26T22:00:00Z' });
    const ctxCrash = w.ctx({
      hooks: {
        afterSend: () => {
          throw new Error('kill -9');
        },
      },
    });
    const demarche = { ...w.demarcheConfig, annotations: { eligibilite: { label: 'Éligibilité' } } };
    // Only the three evaluated dossiers have evaluations of their own in this world.
    await expect(annotateDemarche(ctxCrash, demarche, { apply: true })).rejects.toThrow('kill -9');
    const again = await annotateDemarche(w.ctx(), demarche, { apply: true });
    expect(again.execution.results.map((r) => r.status)).toEqual(['skipped', 'sent', 'sent']);
    expect(again.execution.results[0]?.detail).toContain('déjà pris en compte par DS');
    for (const n of numbers) expect(sentFor(n, 'dossierModifierAnnotations')).toBe(1);
  });

  it('stops after the mutation in flight when asked (AbortSignal), the rest waits for the next run', async () => {
    const numbers = take(3);
    const controller = new AbortController();
    const report = await executePlan(w.ctx(), await savePlan(w.db, 'instruire', await passer(numbers)), {
      apply: true,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 1) controller.abort();
      },
    });
    expect(report.interrupted).toBe(true);
    expect(report.results.map((r) => r.status)).toEqual(['sent', 'not_attempted', 'not_attempted']);
    expect(report.results[1]?.error).toContain('Arrêt demandé');
    expect(numbers.map((n) => sentFor(n, 'dossierPasserEnInstruction'))).toEqual([1, 0, 0]);
  });

  it('an instructeur without access to a dossier’s groupe gets a clear error for that dossier; the others are sent', async () => {
    // The second instructeur belongs to the first groupe only.
    const email = w.demarche.instructeurEmails[1]!;
    const numbers = take(6);
    const groupes = new Map(numbers.map((n) => [n, w.sim.store.getDossier(n).groupe]));
    expect(new Set(groupes.values()).size).toBe(2);
    const report = await executePlan(w.ctx({ instructeurEmail: email }), await savePlan(w.db, 'instruire', await passer(numbers)), {
      apply: true,
    });
    for (const r of report.results) {
      const groupe = groupes.get(r.item.dossierNumber)!;
      if (r.status === 'guarded') {
        expect(r.error).toContain(`L’instructeur « ${email} » n’a pas accès au groupe « ${groupe} » du dossier n° ${r.item.dossierNumber}`);
        expect(sentFor(r.item.dossierNumber, 'dossierPasserEnInstruction')).toBe(0);
      } else {
        expect(r.status).toBe('sent');
      }
    }
    expect(report.counts.guarded).toBeGreaterThan(0);
    expect(report.counts.sent).toBeGreaterThan(0);
  });

  it('an unknown instructeur email is a configuration error, before anything is sent', async () => {
    const items = await passer(take(1));
    const before = w.sim.stats.mutations.length;
    await expect(executePlan(w.ctx({ instructeurEmail: 'inconnu@ars.sante.fr' }), items, { apply: true })).rejects.toMatchObject({
      code: 'config',
      message: expect.stringContaining('n’appartient à aucun groupe instructeur'),
    });
    expect(w.sim.stats.mutations.length).toBe(before);
  });

  it('a read-only token gives a clear French error and stops the run; nothing is written', async () => {
    const numbers = take(3);
    const before = w.mutations().length;
    const report = await executePlan(
      w.ctx({ client: w.clientWith(w.sim.tokens.readOnly) }),
      await savePlan(w.db, 'instruire', await passer(numbers)),
      {
        apply: true,
      },
    );
    expect(report.fatal).toContain('lecture seule');
    expect(report.results.map((r) => r.status)).toEqual(['failed', 'not_attempted', 'not_attempted']);
    expect(report.results[1]?.error).toContain('Non envoyé');
    // One refused attempt reached DS, then the run stopped.
    expect(w.sim.stats.mutations.filter((m) => numbers.includes(m.dossierNumber ?? -1)).length).toBe(1);
    expect(w.mutations().length).toBe(before);
    for (const n of numbers) expect(w.sim.store.getDossier(n).state).toBe('en_construction');
  });

  it('refuses a blank motivation for refuser and classer sans suite (DS requires one)', async () => {
    const [n] = take(1);
    const base = {
      demarcheNumber: w.demarche.number,
      dossierNumber: n!,
      dossierId: 'x',
      expectedStates: ['en_instruction' as const],
      reason: 'jury',
    };
    await expect(savePlan(w.db, 'decisions', [{ ...base, operation: 'refuser', payload: { motivation: '   ' } }])).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('motivation obligatoire'),
    });
    await expect(
      savePlan(w.db, 'decisions', [{ ...base, operation: 'classerSansSuite', payload: { motivation: '' } }]),
    ).rejects.toMatchObject({ code: 'usage' });
  });

  it('accepts with a justificatif: direct upload, PUT of the bytes, then the decision, without notification', async () => {
    const [n] = take(1);
    const dir = mkdtempSync(join(tmpdir(), 'ds-ars-justif-'));
    try {
      const path = join(dir, 'decision.pdf');
      const bytes = Buffer.from('%PDF-1.4 décision du jury\n');
      writeFileSync(path, bytes);
      const justificatif = {
        path,
        filename: 'decision.pdf',
        contentType: 'application/pdf',
        byteSize: bytes.byteLength,
        checksum: createHash('md5').update(bytes).digest('base64'),
      };
      const [passage] = await passer([n!]);
      const items: PlanItem[] = [
        passage!,
        {
          operation: 'accepter',
          demarcheNumber: w.demarche.number,
          dossierNumber: n!,
          dossierId: passage!.dossierId,
          expectedStates: ['en_instruction'],
          reason: 'Décision du jury',
          payload: { motivation: 'Candidature retenue', disableNotification: true, justificatif },
        },
      ];
      const report = await executePlan(w.ctx(), await savePlan(w.db, 'decisions', items, 'jury.xlsx'), { apply: true });
      expect(report.results.map((r) => r.status)).toEqual(['sent', 'sent']);
      const snapshot = w.sim.store.getDossier(n!);
      expect(snapshot.state).toBe('accepte');
      expect(snapshot.motivation).toBe('Candidature retenue');
      expect(w.mutations('createDirectUpload').filter((m) => m.dossierNumber === n).length).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a dry run sends nothing and journals nothing, but shows what the guard would do', async () => {
    const [n] = take(1);
    const items = await passer([n!]);
    const accept: PlanItem = { ...items[0]!, operation: 'accepter', expectedStates: ['en_instruction'], payload: {} };
    const before = w.sim.stats.requests;
    const report = await executePlan(w.ctx(), await savePlan(w.db, 'decisions', [items[0]!, accept]), { apply: false });
    expect(report.results.map((r) => r.status)).toEqual(['dry_run', 'guarded']);
    expect(w.sim.stats.requests).toBe(before);
    const rows = await w.db.selectFrom('mutation_journal').select('id').where('dossier_number', '=', n!).execute();
    expect(rows).toEqual([]);
  });
});
