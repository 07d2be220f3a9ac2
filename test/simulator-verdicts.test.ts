/**
 * The simulator's expected verdicts are the oracle of the rules engine: sync the five démarches
 * over HTTP, map each form as `ds-ars init` would, check, and compare dossier by dossier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/file.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { checkDemarche } from '../src/rules/check.ts';
import { formFromMirror } from '../src/rules/mapping/form-descriptors.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';
import type { Db } from '../src/db/database.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';

describe('simulator: expected verdicts agree with the rules engine', () => {
  let fx: SyncFixture;
  let db: Db;

  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 1, dossiersPerDemarche: 40, rateLimitPerMinute: 0 });
    db = await fx.openDb();
    await runSync({ db, client: fx.client() }, { demarches: fx.sim.demarches.map((d) => d.number) });
  });
  afterAll(async () => fx?.close());

  it('gives every dossier of every programme the verdict and the rules its scenario expects', async () => {
    const demarches = [];
    for (const d of fx.sim.demarches) {
      const form = await formFromMirror(db, d.number);
      if (!form) throw new Error(`démarche ${d.number} not mirrored`);
      const match = matchLabels(PROGRAMMES[d.programme], form.champs);
      expect(
        match.unmatched.filter((u) => u.required),
        d.programme,
      ).toEqual([]);
      demarches.push({ number: d.number, programme: d.programme, session: d.session, mapping: match.mapping });
    }
    const config = parseConfig({ demarches }, 'test');
    const mismatches: string[] = [];
    for (const demarche of config.demarches) {
      const result = await checkDemarche(db, demarche);
      expect(result.status, String(demarche.number)).toBe('ok');
      const evaluations = await db.selectFrom('evaluations').selectAll().where('demarche_number', '=', demarche.number).execute();
      const fired = await db
        .selectFrom('findings')
        .select(['dossier_number', 'rule_id', 'severity'])
        .where('severity', 'in', ['bloquant', 'alerte'])
        .execute();
      expect(evaluations.length).toBe(40);
      for (const evaluation of evaluations) {
        const expected = fx.sim.store.expectedVerdict(evaluation.dossier_number);
        const rules = [...new Set(fired.filter((f) => f.dossier_number === evaluation.dossier_number).map((f) => f.rule_id))].sort();
        const actual = { complet: Boolean(evaluation.complet), eligible: evaluation.eligible, rules };
        const wanted = { complet: expected.complet, eligible: expected.eligible, rules: expected.rules };
        if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
          mismatches.push(
            `${demarche.programme} ${evaluation.dossier_number} (${expected.scenario}): ${JSON.stringify(actual)} ≠ ${JSON.stringify(wanted)}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

// Issue #16 § 3: the ASR form whose time split is one repetition row per year (« Année » cell),
// a démarche of its own so the five démarches above keep their counts. Mapped as `ds-ars init`
// would (row selectors by the « Année » cell), its rows are read by year, not by position.
describe('simulator: the per-year time split form gives the verdicts its scenarios expect', () => {
  let fx: SyncFixture;
  let db: Db;

  beforeAll(async () => {
    fx = await startSyncFixture({
      seed: 1,
      programmes: [],
      variants: ['quotites_par_annee'],
      dossiersPerDemarche: 60,
      rateLimitPerMinute: 0,
    });
    db = await fx.openDb();
    await runSync({ db, client: fx.client() }, { demarches: fx.sim.demarches.map((d) => d.number) });
  });
  afterAll(async () => fx?.close());

  it('maps the block by its « Année » cell and agrees with the table, year 2 listed first included', async () => {
    const [d] = fx.sim.demarches;
    expect(d).toMatchObject({ number: 131208, programme: 'asr' });
    const form = await formFromMirror(db, d!.number);
    const match = matchLabels(PROGRAMMES.asr, form!.champs);
    expect(match.unmatched.filter((u) => u.required)).toEqual([]);
    expect(match.mapping['quotite.chu.annee2']).toMatchObject({ ligne: { valeur: 2 } });
    const config = parseConfig(
      { demarches: [{ number: d!.number, programme: 'asr', session: d!.session, mapping: match.mapping }] },
      'test',
    );
    const result = await checkDemarche(db, config.demarches[0]!);
    expect(result.status).toBe('ok');
    const evaluations = await db.selectFrom('evaluations').selectAll().where('demarche_number', '=', d!.number).execute();
    const fired = await db
      .selectFrom('findings')
      .select(['dossier_number', 'rule_id', 'severity'])
      .where('severity', 'in', ['bloquant', 'alerte'])
      .execute();
    const scenarios = new Set<string>();
    const mismatches: string[] = [];
    for (const evaluation of evaluations) {
      const expected = fx.sim.store.expectedVerdict(evaluation.dossier_number);
      scenarios.add(expected.scenario);
      const rules = [...new Set(fired.filter((f) => f.dossier_number === evaluation.dossier_number).map((f) => f.rule_id))].sort();
      const actual = { complet: Boolean(evaluation.complet), eligible: evaluation.eligible, rules };
      const wanted = { complet: expected.complet, eligible: expected.eligible, rules: expected.rules };
      if (JSON.stringify(actual) !== JSON.stringify(wanted))
        mismatches.push(`${evaluation.dossier_number} (${expected.scenario}): ${JSON.stringify(actual)} ≠ ${JSON.stringify(wanted)}`);
    }
    expect(scenarios).toContain('quotites_annee_2_listee_en_premier');
    expect(scenarios).toContain('quotites_deux_lignes_annee_2');
    expect(mismatches).toEqual([]);
  });
});
