/**
 * Issue #13, case 6, on `instruire` and `annotate`: the re-read just before sending compares the
 * dossier's dateDerniereModificationChamps with the version the check was computed on. A dossier
 * the candidate edited in DS since is not touched; the others go on. Simulator over HTTP, real
 * SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotateDemarche } from '../src/pushback/annotate.ts';
import { instruireDemarche } from '../src/pushback/instruire.ts';
import { requestCorrection } from './support/decisions-fixture.ts';
import { createPushbackWorld, type PushbackWorld } from './support/pushback-world.ts';
import { dialects } from './support/postgres.ts';

const STALE =
  /modifié dans DS depuis le contrôle du \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} : resynchronisez, relancez le contrôle et revoyez la décision/;

describe.each(dialects)('stale mirror: instruire and annotate re-check the dossier version before sending (%s)', (dialect) => {
  let w: PushbackWorld;
  let open: number[];

  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 23, dossiers: 14, dialect });
    open = (await w.numbers('en_construction')).filter((n) => !w.sim.store.getDossier(n).pendingCorrection);
  });
  afterAll(async () => w?.close());

  it('instruire: a complete dossier edited by the candidate after the check stays en construction', async () => {
    const [edited, untouched] = open;
    for (const n of [edited!, untouched!]) await w.evaluate(n, { complet: true, eligible: 'oui' });
    // The candidate changes an answer in DS after the check (and after the last sync).
    w.sim.store.editDossier(edited!);

    const run = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    const result = (n: number) =>
      run.execution.results.find((r) => r.item.dossierNumber === n && r.item.operation === 'passerEnInstruction');
    expect(result(edited!)).toMatchObject({ status: 'guarded' });
    expect(result(edited!)?.error).toMatch(STALE);
    expect(result(untouched!)).toMatchObject({ status: 'sent' });
    expect(w.sim.store.getDossier(edited!).state).toBe('en_construction');
    expect(w.sim.store.getDossier(untouched!).state).toBe('en_instruction');
    expect(w.mutations('dossierPasserEnInstruction').filter((m) => m.dossierNumber === edited)).toHaveLength(0);
    const journal = await w.db
      .selectFrom('mutation_journal')
      .select(['status', 'error_message'])
      .where('dossier_number', '=', edited!)
      .executeTakeFirstOrThrow();
    expect(journal.status).toBe('guarded');
  });

  it('annotate: the verdict of a dossier edited since the check is not written', async () => {
    const [, , edited, untouched] = open;
    for (const n of [edited!, untouched!])
      await w.evaluate(n, {
        complet: false,
        eligible: 'non',
        findings: [{ ruleId: 'complet.piece_requise', severity: 'bloquant', message: 'Pièce requise absente : Curriculum vitae' }],
      });
    w.sim.store.editDossier(edited!);

    const before = w.mutations('dossierModifierAnnotations').length;
    const run = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    const result = (n: number) => run.execution.results.find((r) => r.item.dossierNumber === n);
    expect(result(edited!)).toMatchObject({ status: 'guarded' });
    expect(result(edited!)?.error).toMatch(STALE);
    expect(result(untouched!)).toMatchObject({ status: 'sent' });
    const sent = w
      .mutations('dossierModifierAnnotations')
      .slice(before)
      .map((m) => m.dossierNumber);
    expect(sent).toContain(untouched);
    expect(sent).not.toContain(edited);
  });

  it('instruire (case 7): a complete dossier en attente de correction is flagged in the plan and never sent', async () => {
    const [, , , , waiting, ready] = open;
    for (const n of [waiting!, ready!]) await w.evaluate(n, { complet: true, eligible: 'oui' });
    // An instructeur asks the usager for a correction in DS; the nightly sync sees it.
    await requestCorrection(w, waiting!);
    expect(w.sim.store.getDossier(waiting!).pendingCorrection).toBe(true);
    await w.sync();
    for (const n of [waiting!, ready!]) await w.evaluate(n, { complet: true, eligible: 'oui' });

    const preview = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: false });
    const planned = preview.execution.results.find((r) => r.item.dossierNumber === waiting);
    expect(planned).toMatchObject({ status: 'guarded' });
    expect(planned?.error).toMatch(/en attente de correction/);

    const run = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(run.execution.results.find((r) => r.item.dossierNumber === waiting)).toMatchObject({ status: 'guarded' });
    expect(run.execution.results.find((r) => r.item.dossierNumber === ready)).toMatchObject({ status: 'sent' });
    expect(w.sim.stats.mutations.filter((m) => m.dossierNumber === waiting && m.operation === 'dossierPasserEnInstruction')).toHaveLength(
      0,
    );
  });
});
