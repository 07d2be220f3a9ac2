import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase, transaction } from '../src/db/database.ts';
import { verdictOf } from '../src/rules/engine.ts';
import { saveEvaluations } from '../src/rules/findings.repository.ts';
import type { Finding } from '../src/rules/finding.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';

afterAll(dropTestDatabases);

let db: Db;

beforeEach(async () => {
  db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'ds-ars-findings-')), 'db.sqlite'));
});

afterEach(async () => {
  await db.destroy();
});

const f = (ruleId: string, severity: Finding['severity'], message: string): Finding => ({
  ruleId,
  severity,
  message,
  evidence: [{ label: 'Nom', champId: 'c1', value: 'Dupont' }],
});

// More dossiers than one multi-row statement holds, some without findings.
const items = (evaluatedAt: string, message: string) =>
  Array.from({ length: 130 }, (_, i) => ({
    evaluation: verdictOf(
      i + 1,
      i % 3 === 0 ? [] : [f('complet.champ_requis', 'bloquant', message), f('doublon.candidat', 'alerte', `double ${i}`)],
    ),
    stamp: { demarcheNumber: 7, rulePackVersion: 'p1', configHash: 'h1', dossierVersion: `v${i}`, evaluatedAt },
    candidateKeys: {
      rpps: i % 2 === 0 ? null : `1000${i}`,
      identity: `nom|prenom|${i}`,
      name: `Prénom Nom ${i}`,
      dateDepot: '2025-04-01T10:00:00Z',
    },
  }));

async function stored(from: Db = db) {
  const db = from;
  const evaluations = await db.selectFrom('evaluations').selectAll().orderBy('dossier_number').execute();
  const findings = await db.selectFrom('findings').selectAll().orderBy('id').execute();
  return { evaluations, findings: findings.map(({ id: _id, ...rest }) => rest) };
}

// One write path on both dialects (issue #18): the rows a transaction of saveEvaluations leaves,
// with first_seen_at kept for a finding already known (the digest announces only new ones).
async function saveTwice(target: Db) {
  for (const [at, message] of [
    ['2025-04-01T00:00:00Z', 'Champ manquant'],
    ['2025-04-02T00:00:00Z', 'Autre champ manquant'],
  ] as const) {
    await transaction(target, (trx) => saveEvaluations(trx, items(at, message)));
  }
  return stored(target);
}

describe.each(dialects)('saveEvaluations (%s)', (dialect) => {
  it('replaces the rows of the dossiers, keeping first_seen_at of findings already known', async () => {
    const target = dialect === 'sqlite' ? db : await openDatabase(await freshTarget('postgres'));
    try {
      const rows = await saveTwice(target);
      expect(rows.evaluations).toHaveLength(130);
      expect(rows.evaluations.every((e) => e.evaluated_at === '2025-04-02T00:00:00Z')).toBe(true);
      // 130 dossiers, one in three without findings: 86 with two findings each, in position order.
      expect(rows.findings).toHaveLength(172);
      expect(rows.findings.filter((r) => r.rule_id === 'doublon.candidat').every((r) => r.first_seen_at === '2025-04-01T00:00:00Z')).toBe(
        true,
      );
      const changed = rows.findings.filter((r) => r.rule_id === 'complet.champ_requis');
      expect(changed.every((r) => r.first_seen_at === '2025-04-02T00:00:00Z' && r.message === 'Autre champ manquant')).toBe(true);
      if (dialect === 'postgres') {
        // The same rows as on SQLite, value for value.
        expect(rows).toEqual(await saveTwice(db));
      }
    } finally {
      if (target !== db) await target.destroy();
    }
  });
});
