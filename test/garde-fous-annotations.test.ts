/**
 * Issue 13, case 1: the circuit breaker on annotation plans. The annotations are first filled
 * (normal, never refused); then a configuration mistake the mapping rail cannot see — the closing
 * date typed one year too early — turns most verdicts to « non ». `annotate` used to plan the
 * mass overwrite (exit 0) and the night sent it. Now the plan is refused (exit 2, French summary:
 * counts before → after, most common rule ids), nothing is sent, the worker's annotate step fails
 * and the digest says so; `--confirmer-masse` lets it go. CLI as a child process, simulator over HTTP.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardrailsWorld, type GuardrailsWorld } from './support/guardrails-world.ts';

let world: GuardrailsWorld;
const annotationMutations = () => world.sim.stats.mutations.filter((m) => m.ok && m.operation === 'dossierModifierAnnotations').length;
const verdicts = () =>
  world.withDb(async (db) => {
    const rows = await db.selectFrom('evaluations').select(['eligible']).where('demarche_number', '=', world.demarche.number).execute();
    return { oui: rows.filter((r) => r.eligible === 'oui').length, non: rows.filter((r) => r.eligible === 'non').length };
  });

/** The closing date one year earlier: every dossier is then « déposé hors délai ». */
const wrongClosingDate = (d: GuardrailsWorld['demarcheConfig']) => {
  const session = d['session'] as { closingDate: string };
  d['session'] = { ...session, closingDate: `${Number(session.closingDate.slice(0, 4)) - 1}${session.closingDate.slice(4)}` };
};

beforeAll(async () => {
  world = await createGuardrailsWorld({ dossiers: 40 });
}, 60_000);
afterAll(async () => world?.close());

describe('circuit breaker on annotation plans', () => {
  it('a first fill of empty annotations is normal and goes through', async () => {
    world.writeConfig();
    expect((await world.cli(['check'])).code).not.toBe(2);
    const run = await world.cli(['annotate', '--apply']);
    expect(run.err).not.toContain('garde-fou');
    expect([0, 1]).toContain(run.code);
    expect(annotationMutations()).toBeGreaterThanOrEqual(30);
  }, 120_000);

  it('refuses a plan that would turn the written verdicts of most dossiers to « non », and sends nothing', async () => {
    const before = await verdicts();
    expect(before.oui, 'enough eligible dossiers to flip').toBeGreaterThanOrEqual(10);
    world.writeConfig(wrongClosingDate);
    expect((await world.cli(['check'])).code).not.toBe(2);
    expect((await verdicts()).oui).toBe(0);
    await world.sync();
    const sent = annotationMutations();

    const plan = await world.cli(['annotate']);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain(`Garde-fou : plan refusé pour la démarche ${world.demarche.number}.`);
    expect(plan.out).toMatch(
      new RegExp(`en ferait passer ${before.oui} de « oui » à « non » \\(seuil : plus de 20 % des dossiers et au moins 10\\)`),
    );
    // Counts before → after on the eligibility annotation, and the rule that caused it.
    expect(plan.out).toMatch(new RegExp(`avant oui ${before.oui}, non ${before.non}.* → après oui 0, non 40`));
    expect(plan.out).toMatch(/Causes les plus fréquentes : [a-z_.]*delai[a-z_.]* \(\d+ dossiers\)/);
    expect(plan.err).toContain('Relancez avec --confirmer-masse si ce changement est voulu');

    const applied = await world.cli(['annotate', '--apply']);
    expect(applied.code).toBe(2);
    expect(annotationMutations()).toBe(sent);
  }, 120_000);

  it('the night run never confirms: its annotate step fails, sends nothing, and the digest says so', async () => {
    world.writeConfig(wrongClosingDate, { worker: { annotate: true } });
    const sent = annotationMutations();
    const run = await world.cli(['run-once']);
    expect(run.code).toBe(1);
    expect(annotationMutations()).toBe(sent);
    const step = await world.withDb((db) =>
      db
        .selectFrom('pipeline_runs')
        .select(['status', 'error_message'])
        .where('step', '=', 'annotate')
        .orderBy('started_at', 'desc')
        .executeTakeFirstOrThrow(),
    );
    expect(step.status).toBe('failed');
    expect(step.error_message).toContain('Garde-fou : plan refusé');
    expect(step.error_message).toContain(`ds-ars annotate --demarche ${world.demarche.number} --apply --confirmer-masse`);

    const digest = await world.cli(['digest', '--dry-run', '--to', 'instruction@ars.sante.fr']);
    expect(digest.code).toBe(0);
    const eml = /écrit dans (\S+\.eml)/.exec(digest.out)?.[1];
    expect(eml).toBeDefined();
    const mail = readFileSync(eml!, 'utf8').replace(/=\r?\n/g, '');
    expect(mail).toMatch(/annotate/);
    expect(mail).toMatch(/Garde-fou/);
  }, 180_000);

  it('--confirmer-masse lets the confirmed change go', async () => {
    world.writeConfig(wrongClosingDate);
    const sent = annotationMutations();
    const run = await world.cli(['annotate', '--apply', '--confirmer-masse']);
    expect([0, 1]).toContain(run.code);
    expect(annotationMutations()).toBeGreaterThan(sent);
  }, 120_000);
});
