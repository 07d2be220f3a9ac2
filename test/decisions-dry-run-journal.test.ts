/**
 * The dry run of `decisions apply` must say what `decisions plan` says (docs/decisions.md: both
 * plan from the same facts, the journal of what ds-ars already sent included). A dossier that
 * ds-ars passed en instruction since the last sync (instruire --apply, or a decisions run stopped
 * by Ctrl+C after « passer en instruction ») is en instruction in DS: accepting it is to do, not
 * blocked because the mirror still shows « en construction ».
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDecisions } from '../src/decisions/apply-decisions.ts';
import { loadDecisions } from '../src/decisions/load-decisions.ts';
import { dialects } from './support/postgres.ts';
import { createWorld, fillWorkbook, type DecisionsWorld } from './support/decisions-fixture.ts';

let world: DecisionsWorld;

describe.each(dialects)('decisions apply (dry run) after ds-ars changed a state since the last sync (%s)', (dialect) => {
  beforeAll(async () => {
    world = await createWorld({ dialect });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('previews the decision from the state the journal shows, like the plan', async () => {
    const [c] = await world.take('en_construction', 1);
    const report = await world.report();
    const file = await fillWorkbook(report, join(world.dir, 'jury.xlsx'), [
      { dossier: c!, decision: 'Accepter', motivation: 'Projet solide.' },
    ]);
    const ctx = { db: world.db, client: world.client, config: world.config };

    // Ctrl+C right after DS passed the dossier en instruction: the acceptance is not sent.
    const stop = new AbortController();
    const first = await applyDecisions(
      { ...ctx, hooks: { afterSend: () => stop.abort() } },
      await loadDecisions(world.db, world.config, { path: file, ignoreChanges: false }),
      { apply: true, signal: stop.signal },
    );
    expect(world.sim.store.getDossier(c!).state).toBe('en_instruction');
    expect(first.counts.applique).toBe(0);

    // No sync since: the mirror still says en construction, the journal says en instruction.
    const loaded = await loadDecisions(world.db, world.config, { path: file, ignoreChanges: false });
    const line = loaded.plan.lines.find((l) => l.dossierNumber === c)!;
    expect(line).toMatchObject({ status: 'a_faire', operations: ['accepter'] });
    const dry = await applyDecisions(ctx, loaded, { apply: false });
    expect(dry.results.find((r) => r.line.dossierNumber === c)?.outcome).toBe('simulation');
  });
});
