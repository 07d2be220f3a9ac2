import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DossierRepasserEnConstructionDocument } from '../src/generated/graphql.ts';
import { instruireDemarche } from '../src/pushback/instruire.ts';
import { createPushbackWorld, type PushbackWorld } from './support/pushback-world.ts';
import { dialects } from './support/postgres.ts';

describe.each(dialects)('ds-ars instruire against the simulator (%s)', (dialect) => {
  let w: PushbackWorld;
  let complete: number[];
  let incomplete: number[];
  const missing = [
    { ruleId: 'complet.piece_requise', severity: 'bloquant' as const, message: 'Pièce requise absente : Curriculum vitae' },
    { ruleId: 'complet.champ_requis', severity: 'bloquant' as const, message: 'Champ requis vide : Numéro RPPS' },
    { ruleId: 'id.rpps', severity: 'alerte' as const, message: 'Clé du numéro RPPS invalide' },
  ];

  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 31, dossiers: 16, dialect });
    const open = (await w.numbers('en_construction')).filter((n) => !w.sim.store.getDossier(n).pendingCorrection);
    complete = open.slice(0, 3);
    incomplete = open.slice(3, 5);
    for (const n of complete) await w.evaluate(n, { complet: true, eligible: 'oui' });
    for (const n of incomplete) await w.evaluate(n, { complet: false, eligible: 'non', findings: missing });
  });
  afterAll(async () => w?.close());

  it('does nothing while the call is open: the closing day itself belongs to the call (Europe/Paris)', async () => {
    const closing = w.demarcheConfig.session.closingDate;
    // 23:30 in Paris on the closing day (21:30 UTC in summer).
    const result = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: true, now: new Date(`${closing}T21:30:00Z`) });
    expect(result.transitions.closed).toBe(false);
    expect(result.execution.results).toEqual([]);
  });

  it('plans, then passes the complete dossiers en instruction and writes once to each incomplete one', async () => {
    const preview = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: false });
    expect(preview.transitions.closed).toBe(true);
    const planned = preview.execution.results.map((r) => [r.item.dossierNumber, r.item.operation]);
    expect(planned).toEqual(
      expect.arrayContaining([...complete.map((n) => [n, 'passerEnInstruction']), ...incomplete.map((n) => [n, 'envoyerMessage'])]),
    );
    // Dossiers without an evaluation are reported, never moved.
    expect(preview.transitions.notEvaluated.length).toBeGreaterThan(0);
    expect(planned.length).toBe(complete.length + incomplete.length);

    const run = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(run.execution.counts.sent).toBe(complete.length + incomplete.length);
    for (const n of complete) expect(w.sim.store.getDossier(n).state).toBe('en_instruction');
    for (const n of incomplete) {
      const snapshot = w.sim.store.getDossier(n);
      expect(snapshot.state).toBe('en_construction');
      const messages = snapshot.messages.filter((m) => m.body.includes('est incomplet'));
      expect(messages).toHaveLength(1);
      expect(messages[0]!.body).toContain('- Pièce requise absente : Curriculum vitae');
      expect(messages[0]!.body).toContain('- Champ requis vide : Numéro RPPS');
      // Alerts are not "missing pieces".
      expect(messages[0]!.body).not.toContain('Clé du numéro RPPS');
    }
  });

  it('sends nothing more on a rerun, before and after the next sync (journal, then the dossier’s messages)', async () => {
    const before = w.mutations().length;
    const again = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(again.execution.counts.sent).toBe(0);
    await w.sync();
    const synced = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(synced.execution.results).toEqual([]);
    expect(synced.transitions.alreadyTold.sort()).toEqual([...incomplete].sort());
    expect(w.mutations().length).toBe(before);
  });

  it('without messageIncomplets, incomplete dossiers get no message', async () => {
    const quiet = { ...w.demarcheConfig, instruction: { ...w.demarcheConfig.instruction, messageIncomplets: false } };
    const preview = await instruireDemarche(w.ctx(), quiet, { apply: false });
    expect(preview.execution.results.filter((r) => r.item.operation === 'envoyerMessage')).toEqual([]);
  });

  it('a dossier sent back en construction by an instructeur goes en instruction again on the next run', async () => {
    const n = complete[0]!;
    const node = await w.readBack(n);
    const instructeur = await w.db
      .selectFrom('instructeurs')
      .select('id')
      .where('email', '=', w.demarche.instructeurEmails[0]!)
      .executeTakeFirstOrThrow();
    await w.client.mutate(DossierRepasserEnConstructionDocument, { input: { dossierId: node.id, instructeurId: instructeur.id } });
    await w.sync();
    const run = await instruireDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(run.execution.results.map((r) => [r.item.dossierNumber, r.item.operation, r.status])).toEqual([
      [n, 'passerEnInstruction', 'sent'],
    ]);
    expect(w.mutations('dossierPasserEnInstruction').filter((m) => m.dossierNumber === n)).toHaveLength(2);
    expect(w.sim.store.getDossier(n).state).toBe('en_instruction');
  });
});
