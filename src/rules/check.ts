/**
 * `check`: rules on the mirror. Every live dossier of a démarche is read (duplicates need them
 * all), but only dossiers whose evaluation is stale — changed since, or computed with another rule
 * pack or configuration — or whose result changed (a new duplicate) are written.
 */
import { configHash } from '../config/file.ts';
import type { Config, DemarcheConfig } from '../config/file.schema.ts';
import { type Db, nowIso, transaction } from '../db/database.ts';
import { toError } from '../errors.ts';
import { getDescriptors, listLiveDossiers } from '../sync/mirror.repository.ts';
import { buildCandidature, type Candidature } from './candidature.ts';
import { ruleContextFor } from './context.ts';
import { type DossierEvaluation, evaluateDemarche, RULE_PACK_VERSION } from './engine.ts';
import { evaluationFingerprint, loadEvaluations, saveEvaluation } from './findings.repository.ts';
import type { Eligibility, Severity } from './finding.ts';
import { descriptorsFromRows } from './mapping/descriptors.ts';
import { type ResolvedMapping, resolveMapping } from './mapping/resolve-mapping.ts';

export interface CheckOptions {
  /** Re-evaluate and rewrite every dossier, even up-to-date ones. */
  readonly all?: boolean;
  readonly now?: Date;
}

export interface DemarcheCheckResult {
  readonly demarche: number;
  readonly programme: string;
  /** ok; partial when a dossier could not be read or the mapping has problems; failed when nothing ran. */
  readonly status: 'ok' | 'partial' | 'failed';
  readonly error: string | null;
  /** French problems of the configuration mapping (fields then read as "not on the form"). */
  readonly mappingProblems: readonly string[];
  readonly dossiers: number;
  /** Evaluations written (stale, forced or changed). */
  readonly written: number;
  readonly unchanged: number;
  readonly unreadable: ReadonlyArray<{ dossier: number; error: string }>;
  readonly verdicts: { complet: number; incomplet: number } & Record<Eligibility, number>;
  readonly rules: Readonly<Record<string, Record<Severity, number>>>;
}

/**
 * Hash of what the rules of a démarche depend on: its configuration and the form it was resolved
 * against (descriptor ids and DS `required` flags). Changing either re-evaluates every dossier.
 */
export function rulesConfigHash(demarche: DemarcheConfig, mapping: ResolvedMapping): string {
  const { number, programme, session, mapping: entries, requiredPieces, pdfOnly } = demarche;
  return configHash({
    demarche: { number, programme, session, mapping: entries, requiredPieces, pdfOnly },
    resolved: [...mapping.fields.values()].map((f) => [f.field, f.descriptorId, f.repetitionId]),
    required: [...mapping.descriptors.values()].filter((d) => d.required).map((d) => d.id).sort(),
  });
}

function emptyResult(demarche: DemarcheConfig): Omit<DemarcheCheckResult, 'status' | 'error'> {
  return {
    demarche: demarche.number,
    programme: demarche.programme,
    mappingProblems: [],
    dossiers: 0,
    written: 0,
    unchanged: 0,
    unreadable: [],
    verdicts: { complet: 0, incomplet: 0, oui: 0, non: 0, a_verifier: 0 },
    rules: {},
  };
}

/** Checks one démarche; never throws, the result says what went wrong. */
export async function checkDemarche(db: Db, demarche: DemarcheConfig, options: CheckOptions = {}): Promise<DemarcheCheckResult> {
  try {
    return await runCheck(db, demarche, options);
  } catch (error) {
    return { ...emptyResult(demarche), status: 'failed', error: toError(error).message };
  }
}

async function runCheck(db: Db, demarche: DemarcheConfig, options: CheckOptions): Promise<DemarcheCheckResult> {
  const rows = await getDescriptors(db, demarche.number, 'champ');
  if (rows.length === 0) {
    return {
      ...emptyResult(demarche),
      status: 'failed',
      error: `Démarche ${demarche.number} absente du miroir local (formulaire inconnu) : lancez d'abord « ds-ars sync --demarche ${demarche.number} ».`,
    };
  }
  const { mapping, problems } = resolveMapping(demarche.mapping, descriptorsFromRows(rows));
  const mappingProblems = problems.map((p) => `mapping["${p.field}"] : ${p.message}`);
  const hash = rulesConfigHash(demarche, mapping);

  const dossiers = await listLiveDossiers(db, demarche.number);
  const candidatures: Candidature[] = [];
  const versions = new Map<number, string>();
  const unreadable: Array<{ dossier: number; error: string }> = [];
  for (const row of dossiers) {
    try {
      candidatures.push(buildCandidature(JSON.parse(row.raw_json), demarche, mapping));
      versions.set(row.number, row.date_derniere_modification);
    } catch (error) {
      unreadable.push({ dossier: row.number, error: toError(error).message });
    }
  }

  const evaluations = evaluateDemarche(candidatures, ruleContextFor(demarche));
  const stored = await loadEvaluations(db, demarche.number);
  const toWrite: DossierEvaluation[] = [];
  for (const evaluation of evaluations.values()) {
    const previous = stored.get(evaluation.dossierNumber);
    const stale =
      options.all === true ||
      previous === undefined ||
      previous.rulePackVersion !== RULE_PACK_VERSION ||
      previous.configHash !== hash ||
      previous.dossierVersion !== versions.get(evaluation.dossierNumber);
    if (stale || previous.fingerprint !== evaluationFingerprint(evaluation)) toWrite.push(evaluation);
  }

  const evaluatedAt = nowIso(options.now);
  if (toWrite.length > 0) {
    await transaction(db, async (trx) => {
      for (const evaluation of toWrite) {
        await saveEvaluation(trx, evaluation, {
          demarcheNumber: demarche.number,
          rulePackVersion: RULE_PACK_VERSION,
          configHash: hash,
          dossierVersion: versions.get(evaluation.dossierNumber)!,
          evaluatedAt,
        });
      }
    });
  }

  const verdicts = { complet: 0, incomplet: 0, oui: 0, non: 0, a_verifier: 0 };
  const rules: Record<string, Record<Severity, number>> = {};
  for (const e of evaluations.values()) {
    verdicts[e.complet ? 'complet' : 'incomplet']++;
    verdicts[e.eligible]++;
    for (const f of e.findings) {
      const counts = (rules[f.ruleId] ??= { bloquant: 0, alerte: 0, info: 0 });
      counts[f.severity]++;
    }
  }
  return {
    demarche: demarche.number,
    programme: demarche.programme,
    status: unreadable.length > 0 || mappingProblems.length > 0 ? 'partial' : 'ok',
    error: null,
    mappingProblems,
    dossiers: dossiers.length,
    written: toWrite.length,
    unchanged: evaluations.size - toWrite.length,
    unreadable,
    verdicts,
    rules,
  };
}

/** Checks the configured démarches (all, or those listed), one after the other. */
export async function checkDemarches(db: Db, config: Config, demarches: readonly number[] | undefined, options: CheckOptions = {}): Promise<DemarcheCheckResult[]> {
  const selected = demarches === undefined || demarches.length === 0 ? config.demarches : config.demarches.filter((d) => demarches.includes(d.number));
  const results: DemarcheCheckResult[] = [];
  for (const demarche of selected) results.push(await checkDemarche(db, demarche, options));
  return results;
}
