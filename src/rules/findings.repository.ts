/**
 * Stored evaluations and findings: plain functions taking `db` first. Each evaluation records the
 * rule-pack version, configuration hash and dossier version it was computed on.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import { inNumberList } from '../db/dialect.ts';
import type { Database } from '../db/schema.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import type { DossierEvaluation } from './engine.ts';
import type { Finding } from './finding.ts';

export interface StoredEvaluation {
  readonly dossierNumber: number;
  readonly rulePackVersion: string;
  readonly configHash: string;
  readonly dossierVersion: string;
  /** Duplicate keys of the dossier when it was evaluated; null when not recorded. */
  readonly candidateKeys: StoredCandidateKeys | null;
  /** Messages of the stored duplicate findings (to notice a dossier whose duplicates changed). */
  readonly duplicateMessages: readonly string[];
}

/** What identifies the candidate of an evaluated dossier (see CandidateKeys). */
export interface StoredCandidateKeys {
  readonly rpps: string | null;
  readonly identity: string | null;
  /** The candidate's name as typed (« Jeanne Dupont »), for the other dossier's duplicate message. */
  readonly name: string | null;
  /** When the dossier was filed: kept here so check never reads it off the dossiers table. */
  readonly dateDepot: string;
}

export interface EvaluationStamp {
  readonly demarcheNumber: number;
  readonly rulePackVersion: string;
  readonly configHash: string;
  readonly dossierVersion: string;
  readonly evaluatedAt: string;
}

const DUPLICATE_RULE_ID = 'doublon.candidat';

const findingKey = (f: { ruleId: string; severity: string; message: string }) => `${f.ruleId}\u0000${f.severity}\u0000${f.message}`;

/** Same verdicts and same findings (in order) ⇒ same fingerprint. */
export function evaluationFingerprint(e: Pick<DossierEvaluation, 'complet' | 'eligible' | 'findings'>): string {
  return [String(e.complet), e.eligible, ...e.findings.map(findingKey)].join('\u0001');
}

function parseKeys(json: string | null): StoredCandidateKeys | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    // Keys stored before the name and deposit date were kept (2 items) are unknown: the dossier is re-read once.
    if (
      Array.isArray(value) &&
      value.length === 4 &&
      value.every((v) => v === null || typeof v === 'string') &&
      typeof value[3] === 'string'
    ) {
      return {
        rpps: value[0] as string | null,
        identity: value[1] as string | null,
        name: value[2] as string | null,
        dateDepot: value[3] as string,
      };
    }
  } catch {
    // unreadable: unknown keys, the dossier is re-read
  }
  return null;
}

/**
 * The evaluations of a démarche: stamps, duplicate keys and duplicate messages (two light
 * queries; the other findings are read only where needed, see loadFingerprints).
 */
export async function loadEvaluations(db: Db, demarche: number): Promise<Map<number, StoredEvaluation>> {
  const evaluations = await db
    .selectFrom('evaluations')
    .select(['dossier_number', 'rule_pack_version', 'config_hash', 'dossier_version', 'candidate_keys'])
    .where('demarche_number', '=', demarche)
    .execute();
  const duplicates = await db
    .selectFrom('findings')
    .select(['dossier_number', 'message'])
    .where('demarche_number', '=', demarche)
    .where('rule_id', '=', DUPLICATE_RULE_ID)
    .execute();
  const messages = new Map<number, string[]>();
  for (const f of duplicates) {
    const list = messages.get(f.dossier_number);
    if (list) list.push(f.message);
    else messages.set(f.dossier_number, [f.message]);
  }
  return new Map(
    evaluations.map((e) => [
      e.dossier_number,
      {
        dossierNumber: e.dossier_number,
        rulePackVersion: e.rule_pack_version,
        configHash: e.config_hash,
        dossierVersion: e.dossier_version,
        candidateKeys: parseKeys(e.candidate_keys),
        duplicateMessages: (messages.get(e.dossier_number) ?? []).sort(),
      },
    ]),
  );
}

/** Fingerprints (see evaluationFingerprint) of the stored results of these dossiers. */
export async function loadFingerprints(db: Db, dossiers: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < dossiers.length; i += BATCH) {
    const slice = dossiers.slice(i, i + BATCH);
    const evaluations = await db
      .selectFrom('evaluations')
      .select(['dossier_number', 'complet', 'eligible'])
      .where('dossier_number', 'in', slice)
      .execute();
    const findings = await db
      .selectFrom('findings')
      .select(['dossier_number', 'rule_id', 'severity', 'message'])
      .where('dossier_number', 'in', slice)
      .orderBy('dossier_number')
      .orderBy('position')
      .execute();
    const byDossier = new Map<number, Finding[]>();
    for (const f of findings) {
      const list = byDossier.get(f.dossier_number) ?? [];
      list.push({ ruleId: f.rule_id, severity: f.severity, message: f.message, evidence: [] });
      byDossier.set(f.dossier_number, list);
    }
    for (const e of evaluations) {
      out.set(
        e.dossier_number,
        evaluationFingerprint({ complet: e.complet === 1, eligible: e.eligible, findings: byDossier.get(e.dossier_number) ?? [] }),
      );
    }
  }
  return out;
}

const SUMMARY_MAX = 2000;

/** Short French text for the workbook: blocking then warning messages. */
export function evaluationSummary(e: DossierEvaluation): string {
  const lines = e.findings.filter((f) => f.severity !== 'info').map((f) => f.message);
  const text = lines.join(' ; ');
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

type SaveItem = { evaluation: DossierEvaluation; stamp: EvaluationStamp; candidateKeys?: StoredCandidateKeys };

function evaluationRowOf({ evaluation: e, stamp, candidateKeys }: SaveItem) {
  return {
    dossier_number: e.dossierNumber,
    demarche_number: stamp.demarcheNumber,
    rule_pack_version: stamp.rulePackVersion,
    config_hash: stamp.configHash,
    dossier_version: stamp.dossierVersion,
    evaluated_at: stamp.evaluatedAt,
    complet: e.complet ? 1 : 0,
    eligible: e.eligible,
    bloquants: e.counts.bloquant,
    alertes: e.counts.alerte,
    infos: e.counts.info,
    summary: evaluationSummary(e),
    candidate_keys:
      candidateKeys === undefined
        ? null
        : JSON.stringify([candidateKeys.rpps, candidateKeys.identity, candidateKeys.name, candidateKeys.dateDepot]),
  };
}

/** The findings rows of these evaluations; `firstSeen` holds the stored `first_seen_at` by dossier and finding key. */
function findingRowsOf(items: readonly SaveItem[], firstSeen: ReadonlyMap<string, string>) {
  return items.flatMap(({ evaluation: e, stamp }) =>
    e.findings.map((f, position) => ({
      dossier_number: e.dossierNumber,
      demarche_number: stamp.demarcheNumber,
      position,
      rule_id: f.ruleId,
      severity: f.severity,
      message: f.message,
      champ_label: f.evidence[0]?.label ?? null,
      champ_value: f.evidence[0]?.value ?? null,
      evidence_json: JSON.stringify(f.evidence),
      rule_pack_version: stamp.rulePackVersion,
      config_hash: stamp.configHash,
      dossier_version: stamp.dossierVersion,
      first_seen_at: firstSeen.get(`${e.dossierNumber}\u0002${findingKey(f)}`) ?? stamp.evaluatedAt,
    })),
  );
}

const FINDING_COLUMNS = [
  'dossier_number',
  'demarche_number',
  'position',
  'rule_id',
  'severity',
  'message',
  'champ_label',
  'champ_value',
  'evidence_json',
  'rule_pack_version',
  'config_hash',
  'dossier_version',
  'first_seen_at',
] as const;
const EVALUATION_COLUMNS = [
  'dossier_number',
  'demarche_number',
  'rule_pack_version',
  'config_hash',
  'dossier_version',
  'evaluated_at',
  'complet',
  'eligible',
  'bloquants',
  'alertes',
  'infos',
  'summary',
  'candidate_keys',
] as const;

// Rows per multi-row statement, well under SQLite's limit on bound parameters.
const BATCH = 400;

/**
 * Replaces the evaluations and findings of these dossiers, in batches (call inside a
 * transaction). A finding already present (same rule, severity and message) keeps its
 * `first_seen_at`, so the digest only announces new ones. The one write path of findings, on both
 * dialects: the full check writes every dossier, so the rows go through bulkInsert (statements
 * prepared once on SQLite; COPY or one JSON value on PostgreSQL), never kysely's builder.
 */
export async function saveEvaluations(trx: Kysely<Database>, items: readonly SaveItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    const slice = items.slice(i, i + BATCH);
    const numbers = slice.map((s) => s.evaluation.dossierNumber);
    // The old findings are removed and read in one statement: their first_seen_at carries over.
    const previous = await trx
      .deleteFrom('findings')
      .where(inNumberList(trx, 'dossier_number', numbers))
      .returning(['dossier_number', 'rule_id', 'severity', 'message', 'first_seen_at'])
      .execute();
    const firstSeen = new Map(
      previous.map((f) => [
        `${f.dossier_number}\u0002${findingKey({ ruleId: f.rule_id, severity: f.severity, message: f.message })}`,
        f.first_seen_at,
      ]),
    );
    await bulkInsert(trx, 'findings', FINDING_COLUMNS, findingRowsOf(slice, firstSeen));
    await bulkInsert(trx, 'evaluations', EVALUATION_COLUMNS, slice.map(evaluationRowOf), {
      conflict: 'dossier_number',
      update: EVALUATION_COLUMNS.slice(1),
    });
  }
}
