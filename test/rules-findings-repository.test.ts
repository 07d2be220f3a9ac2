import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase, transaction } from '../src/db/database.ts';
import { verdictOf } from '../src/rules/engine.ts';
import { saveEvaluations, saveEvaluationsDirect } from '../src/rules/findings.repository.ts';
import type { Finding } from '../src/rules/finding.ts';
import { dropTestDatabases, freshTarget, postgresSkipReason } from './support/postgres.ts';

afterAll(dropTestDatabases);

let db: Db;

beforeEach(async () => {
  db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'ds-ars-findings-')), 'db.sqlite'));
});

afterEach(async () => {
  await db.destroy();
});

const f = (ruleId: string, severity: Finding['severity'], message: string): Finding => ({ ruleId, severity, message, evidence: [{ label: 'Nom', champId: 'c1', value: 'Dupont' }] });

// More dossiers than one multi-row statement holds, some without findings.
const items = (evaluatedAt: string, message: string) =>
  Array.from({ length: 130 }, (_, i) => ({
    evaluation: verdictOf(i + 1, i % 3 === 0 ? [] : [f('complet.champ_requis', 'bloquant', message), f('doublon.candidat', 'alerte', `double ${i}`)]),
    stamp: { demarcheNumber: 7, rulePackVersion: 'p1', configHash: 'h1', dossierVersion: `v${i}`, evaluatedAt },
    candidateKeys: { rpps: i % 2 === 0 ? null : `1000${i}`, identity: `nom|prenom|${i}`, name: `Prénom Nom ${i}`, dateDepot: '2025-04-01T10:00:00Z' },
  }));

async function stored(from: Db = db) {
  const db = from;
  const evaluations = await db.selectFrom('evaluations').selectAll().orderBy('dossier_number').execute();
  const findings = await db.selectFrom('findings').selectAll().orderBy('id').execute();
  return { evaluations, findings: findings.map(({ id: _id, ...rest }) => rest) };
}

describe('saveEvaluationsDirect', () => {
  it('writes the same rows as saveEvaluations, keeping first_seen_at of findings already known', async () => {
    const run = async (save: (batch: ReturnType<typeof items>) => Promise<void>) => {
      await save(items('2025-04-01T00:00:00Z', 'Champ manquant'));
      await save(items('2025-04-02T00:00:00Z', 'Autre champ manquant'));
      const out = await stored();
      await db.deleteFrom('findings').execute();
      await db.deleteFrom('evaluations').execute();
      return out;
    };
    const direct = await run(async (batch) => void saveEvaluationsDirect(db, batch));
    const viaKysely = await run((batch) => transaction(db, (trx) => saveEvaluations(trx, batch)));
    expect(direct).toEqual(viaKysely);
    expect(direct.evaluations).toHaveLength(130);
    expect(direct.findings.filter((r) => r.rule_id === 'doublon.candidat').every((r) => r.first_seen_at === '2025-04-01T00:00:00Z')).toBe(true);
    expect(direct.findings.filter((r) => r.rule_id === 'complet.champ_requis').every((r) => r.first_seen_at === '2025-04-02T00:00:00Z')).toBe(true);
  });
});

describe.skipIf(postgresSkipReason !== undefined)('saveEvaluations on PostgreSQL', () => {
  it('writes the rows the SQLite direct path writes, first_seen_at kept, and needs no raw handle', async () => {
    const pg = await openDatabase(await freshTarget('postgres'));
    try {
      expect(saveEvaluationsDirect(pg, items('2025-04-01T00:00:00Z', 'x'))).toBe(false);
      for (const [at, message] of [['2025-04-01T00:00:00Z', 'Champ manquant'], ['2025-04-02T00:00:00Z', 'Autre champ manquant']] as const) {
        saveEvaluationsDirect(db, items(at, message));
        await transaction(pg, (trx) => saveEvaluations(trx, items(at, message)));
      }
      const onPostgres = await stored(pg);
      expect(onPostgres).toEqual(await stored());
      expect(onPostgres.evaluations).toHaveLength(130);
      expect(onPostgres.findings.filter((r) => r.rule_id === 'doublon.candidat').every((r) => r.first_seen_at === '2025-04-01T00:00:00Z')).toBe(true);
    } finally {
      await pg.destroy();
    }
  });
});
