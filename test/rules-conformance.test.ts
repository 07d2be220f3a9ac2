/**
 * End to end on forms the rules were not written against: the simulator's five démarches are
 * synchronised into a real SQLite mirror, the mapping is proposed by the label matcher (as
 * `ds-ars init` does), and every dossier's verdict must match the simulator's expected one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/file.ts';
import type { DemarcheConfig } from '../src/config/file.schema.ts';
import type { Db } from '../src/db/database.ts';
import { checkDemarche } from '../src/rules/check.ts';
import { formFromMirror } from '../src/rules/mapping/form-descriptors.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';
import { syncDemarche } from '../src/sync/sync-runner.ts';
import { type SyncFixture, startSyncFixture } from './sync-fixtures.ts';

let fx: SyncFixture;
let db: Db;

beforeAll(async () => {
  fx = await startSyncFixture({ seed: 7, dossiersPerDemarche: 60 });
  db = await fx.openDb();
  for (const d of fx.sim.demarches) {
    await syncDemarche({ db, client: fx.client() }, d.number, { demarches: [d.number], origin: '2000-01-01T00:00:00Z' });
  }
}, 120_000);

afterAll(async () => {
  await fx.close();
});

async function configFor(number: number): Promise<{ demarche: DemarcheConfig; unmatched: string[] }> {
  const info = fx.sim.demarches.find((d) => d.number === number)!;
  const form = await formFromMirror(db, number);
  const match = matchLabels(PROGRAMMES[info.programme], form!.champs);
  const config = parseConfig(
    {
      demarches: [
        {
          number,
          programme: info.programme,
          session: {
            closingDate: info.session.closingDate,
            startDates: info.session.startDates,
            durationsYears: info.session.durationsYears ?? [],
          },
          mapping: match.mapping,
        },
      ],
    },
    'conformance',
  );
  return { demarche: config.demarches[0]!, unmatched: match.unmatched.filter((u) => u.required).map((u) => u.field) };
}

describe('rules against the simulator (mapping proposed from labels)', () => {
  it.each(['aumg', 'asp', 'mgvh', 'asr', 'asap'] as const)('%s: every verdict matches the expected one', async (programme) => {
    const info = fx.sim.demarches.find((d) => d.programme === programme)!;
    const { demarche, unmatched } = await configFor(info.number);
    expect(unmatched).toEqual([]);
    const result = await checkDemarche(db, demarche);
    expect(result.status).toBe('ok');
    expect(result.dossiers).toBeGreaterThan(40);

    const evaluations = await db.selectFrom('evaluations').selectAll().where('demarche_number', '=', info.number).execute();
    const findings = await db
      .selectFrom('findings')
      .select(['dossier_number', 'rule_id', 'severity'])
      .where('demarche_number', '=', info.number)
      .execute();
    const mismatches: string[] = [];
    for (const e of evaluations) {
      const expected = fx.sim.store.expectedVerdict(e.dossier_number);
      const rules = [
        ...new Set(findings.filter((f) => f.dossier_number === e.dossier_number && f.severity !== 'info').map((f) => f.rule_id)),
      ].sort();
      const actual = { complet: e.complet === 1, eligible: e.eligible, rules };
      const wanted = { complet: expected.complet, eligible: expected.eligible, rules: expected.rules };
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        mismatches.push(`${e.dossier_number} (${expected.scenario}): attendu ${JSON.stringify(wanted)}, obtenu ${JSON.stringify(actual)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The démarche exercises every verdict, so matching them is not vacuous.
    expect(new Set(evaluations.map((e) => e.eligible))).toEqual(new Set(['oui', 'non', 'a_verifier']));
    expect(evaluations.some((e) => e.complet === 0)).toBe(true);
  });
});
