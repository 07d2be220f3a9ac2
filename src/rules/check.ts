/**
 * `check`: rules on the mirror. Only stale dossiers are re-read and re-evaluated — changed since
 * their evaluation, or evaluated with another rule pack or configuration — plus those whose
 * duplicates changed; duplicate keys of the others are those stored with their evaluation.
 */
import { configHash } from '../config/file.ts';
import type { Config, DemarcheConfig } from '../config/file.schema.ts';
import { type Db, nowIso, rawSqlite, transaction } from '../db/database.ts';
import { storageError } from '../db/storage-errors.ts';
import { inNumberList } from '../db/dialect.ts';
import { toError } from '../errors.ts';
import type { DossierNode } from '../graphql/answers.ts';
import { getDescriptors } from '../mirror/mirror.repository.ts';
import { buildCandidature, type Candidature } from './candidature.ts';
import { type CandidateKeys, duplicateMatches, duplicateMessage } from './catalogue/doublon.ts';
import { ruleContextFor } from './context.ts';
import { type ReadDossier, readDossier, RULE_PACK_VERSION, verdictsOf } from './engine.ts';
import { forEachStoredNode } from './stored-nodes.ts';
import { evaluationFingerprint, loadEvaluations, loadFingerprints, saveEvaluations } from './findings.repository.ts';
import type { Eligibility, Severity } from './finding.ts';
import { descriptorsFromRows } from './mapping/descriptors.ts';
import { type ResolvedMapping, resolveMapping } from './mapping/resolve-mapping.ts';
import { findUnreachableMapping, type UnreachableMappingKey, unreachableMappingError } from './mapping/unreachable-mapping.ts';
import { type UncheckedRule, uncheckedRulesOf } from './unchecked.ts';

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
  /** Mapped keys found in no revision of the form: a configuration error, nothing was evaluated. */
  readonly unreachableMapping: readonly UnreachableMappingKey[];
  /** Rules that cannot run for any dossier of the démarche (« contrôles non effectués »), and why. */
  readonly unchecked: readonly UncheckedRule[];
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
    resolved: [...mapping.fields.values()].map((f) => [f.field, f.descriptorId, f.repetitionId, f.row?.descriptorId ?? null]),
    required: [...mapping.descriptors.values()]
      .filter((d) => d.required)
      .map((d) => d.id)
      .sort(),
  });
}

function emptyResult(demarche: DemarcheConfig): Omit<DemarcheCheckResult, 'status' | 'error'> {
  return {
    demarche: demarche.number,
    programme: demarche.programme,
    mappingProblems: [],
    unreachableMapping: [],
    unchecked: [],
    dossiers: 0,
    written: 0,
    unchanged: 0,
    unreadable: [],
    verdicts: { complet: 0, incomplet: 0, oui: 0, non: 0, a_verifier: 0 },
    rules: {},
  };
}

/**
 * Checks one démarche; the result says what went wrong. Only a storage failure (damaged, read-only
 * or full database) is thrown, in French: it is the installation's, not this démarche's (exit 2).
 */
export async function checkDemarche(db: Db, demarche: DemarcheConfig, options: CheckOptions = {}): Promise<DemarcheCheckResult> {
  try {
    return await runCheck(db, demarche, options);
  } catch (error) {
    const storage = storageError(error, rawSqlite(db)?.name);
    if (storage !== undefined) throw storage;
    return { ...emptyResult(demarche), status: 'failed', error: toError(error).message };
  }
}

async function runCheck(db: Db, demarche: DemarcheConfig, options: CheckOptions): Promise<DemarcheCheckResult> {
  const rows = await getDescriptors(db, demarche.number, 'champ');
  if (rows.length === 0) {
    return {
      ...emptyResult(demarche),
      status: 'failed',
      error: `Démarche ${demarche.number} absente du miroir local (formulaire inconnu) : lancez d’abord « ds-ars sync --demarche ${demarche.number} ».`,
    };
  }
  // A key that points nowhere would read as "champ absent" on every dossier: refuse before evaluating.
  const unreachable = await findUnreachableMapping(db, demarche);
  if (unreachable.length > 0) {
    const error = unreachableMappingError(demarche.number, unreachable, 'Aucun contrôle n’a été enregistré pour cette démarche.');
    return { ...emptyResult(demarche), status: 'failed', error: error.message, unreachableMapping: unreachable };
  }
  const { mapping, problems } = resolveMapping(demarche.mapping, descriptorsFromRows(rows));
  const mappingProblems = problems.map((p) => `mapping["${p.field}"] : ${p.message}`);
  const hash = rulesConfigHash(demarche, mapping);
  const ctx = ruleContextFor(demarche);

  // 1. Which dossiers are stale: no evaluation, or computed on another version, rule pack or configuration.
  const live = await db
    .selectFrom('dossiers')
    .select(['number', 'state', 'date_derniere_modification'])
    .where('demarche_number', '=', demarche.number)
    .where('deleted_at', 'is', null)
    .where('pending_deletion', '=', 0)
    .orderBy('number')
    .execute();
  const versions = new Map(live.map((r) => [r.number, r.date_derniere_modification]));
  const stored = await loadEvaluations(db, demarche.number);
  const isStale = (number: number) => {
    const previous = stored.get(number);
    return (
      options.all === true ||
      previous === undefined ||
      previous.candidateKeys === null ||
      previous.rulePackVersion !== RULE_PACK_VERSION ||
      previous.configHash !== hash ||
      previous.dossierVersion !== versions.get(number)
    );
  };
  const toRead = new Set(live.filter((r) => isStale(r.number)).map((r) => r.number));

  // 2. Stale dossiers are read and evaluated batch by batch; only what the duplicate rule needs
  // later (keys, evidence) and the single-dossier findings are kept, never the candidatures.
  // Duplicate keys of the others are those stored with their (up-to-date) evaluation.
  const read = new Map<number, ReadDossier>();
  const unreadable: Array<{ dossier: number; error: string }> = [];
  const readAndEvaluate = async (numbers: readonly number[]) => {
    await forEachStoredNode(db, numbers, (number, json) => {
      let c: Candidature;
      try {
        // The stored node was validated when sync received it (graphql/answers.ts): trusted here.
        c = buildCandidature(JSON.parse(json) as DossierNode, demarche, mapping);
      } catch (error) {
        unreadable.push({
          dossier: number,
          error: `Dossier illisible dans le miroir (${toError(error).message}). Relancez la synchronisation ; si le problème persiste, signalez-le.`,
        });
        return;
      }
      read.set(c.dossierNumber, readDossier(c, ctx));
    });
  };
  await readAndEvaluate([...toRead]);
  const others = live.filter((r) => !toRead.has(r.number)).map((r) => r.number);
  const keys: CandidateKeys[] = [];
  for (const r of live) {
    const done = read.get(r.number);
    if (done) keys.push(done.keys);
    else if (!toRead.has(r.number)) {
      // Not stale, so its stored keys were computed on this very version of the dossier. The deposit
      // date comes with them: selecting it above would defeat the covering index dossiers_live_idx.
      const previous = stored.get(r.number)?.candidateKeys;
      if (previous)
        keys.push({
          dossierNumber: r.number,
          state: r.state,
          dateDepot: previous.dateDepot,
          rpps: previous.rpps,
          identity: previous.identity,
          name: previous.name,
        });
    }
  }
  const matches = duplicateMatches(keys);

  // 3. An up-to-date dossier whose duplicates changed (a new or deleted partner) is re-read too.
  const expectedDuplicates = (number: number) => {
    const match = matches.get(number);
    return match ? [duplicateMessage(match)] : [];
  };
  const sameMessages = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((m, i) => m === b[i]);
  const partnersChanged = others.filter((n) => !sameMessages(expectedDuplicates(n), stored.get(n)?.duplicateMessages ?? []));
  await readAndEvaluate(partnersChanged);

  // 4. Verdicts of what was read (single-dossier findings plus duplicates); write what is stale or different.
  const evaluations = verdictsOf(read, matches);
  const fingerprints = await loadFingerprints(db, partnersChanged);
  const toWrite = evaluations.filter((e) => isStale(e.dossierNumber) || fingerprints.get(e.dossierNumber) !== evaluationFingerprint(e));
  const evaluatedAt = nowIso(options.now);
  if (toWrite.length > 0) {
    const items = toWrite.map((evaluation) => ({
      evaluation,
      candidateKeys: read.get(evaluation.dossierNumber)!.keys,
      stamp: {
        demarcheNumber: demarche.number,
        rulePackVersion: RULE_PACK_VERSION,
        configHash: hash,
        dossierVersion: versions.get(evaluation.dossierNumber)!,
        evaluatedAt,
      },
    }));
    await transaction(db, (trx) => saveEvaluations(trx, items));
  }

  // 5. Summary over every live dossier, from the stored results.
  const summary = await summarise(
    db,
    live.map((r) => r.number),
  );
  return {
    demarche: demarche.number,
    programme: demarche.programme,
    status: unreadable.length > 0 || mappingProblems.length > 0 ? 'partial' : 'ok',
    error: null,
    mappingProblems,
    unreachableMapping: [],
    unchecked: uncheckedRulesOf(ctx, mapping),
    dossiers: live.length,
    written: toWrite.length,
    unchanged: live.length - toWrite.length - unreadable.length,
    unreadable,
    ...summary,
  };
}

async function summarise(db: Db, liveNumbers: readonly number[]): Promise<Pick<DemarcheCheckResult, 'verdicts' | 'rules'>> {
  // The live dossiers are already known: bound once as JSON rather than re-selected by two subqueries.
  const isLive = inNumberList(db, 'dossier_number', liveNumbers);
  const verdictRows = await db
    .selectFrom('evaluations')
    .select(['complet', 'eligible', (eb) => eb.fn.countAll<number>().as('n')])
    .where(isLive)
    .groupBy(['complet', 'eligible'])
    .execute();
  const verdicts = { complet: 0, incomplet: 0, oui: 0, non: 0, a_verifier: 0 };
  for (const r of verdictRows) {
    const n = Number(r.n);
    verdicts[r.complet === 1 ? 'complet' : 'incomplet'] += n;
    verdicts[r.eligible] += n;
  }
  const ruleRows = await db
    .selectFrom('findings')
    .select(['rule_id', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where(isLive)
    .groupBy(['rule_id', 'severity'])
    .execute();
  const rules: Record<string, Record<Severity, number>> = {};
  for (const r of ruleRows) (rules[r.rule_id] ??= { bloquant: 0, alerte: 0, info: 0 })[r.severity] += Number(r.n);
  return { verdicts, rules };
}

/** Checks the configured démarches (all, or those listed), one after the other. */
export async function checkDemarches(
  db: Db,
  config: Config,
  demarches: readonly number[] | undefined,
  options: CheckOptions = {},
): Promise<DemarcheCheckResult[]> {
  const selected =
    demarches === undefined || demarches.length === 0 ? config.demarches : config.demarches.filter((d) => demarches.includes(d.number));
  const results: DemarcheCheckResult[] = [];
  for (const demarche of selected) results.push(await checkDemarche(db, demarche, options));
  return results;
}
