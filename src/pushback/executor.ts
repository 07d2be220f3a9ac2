/**
 * The one mutation executor of the product: every write to DS (annotations, transitions, bulk
 * decisions, the worker) goes through `executePlan`. For each plan item, in order:
 * journal check (already sent → skipped), acting instructeur, state guard on the freshest view,
 * journal 'sending' (committed), send, journal outcome. A row left 'sending' by a crash is
 * settled by re-reading the dossier from DS, never by resending blindly.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { AppError, DsApiError, frenchMessage, toError } from '../errors.ts';
import type { DsClient } from '../graphql/client.ts';
import type { Logger } from '../logger.ts';
import { instructeurFor, resolveActingInstructeur, type ActingInstructeur } from './acting-instructeur.ts';
import { dossierViewFromNode, sameAnnotationValue, type DossierView } from './dossier-view.ts';
import { fetchDossier, sendMutation, uploadJustificatif, type MutationOutcome } from './ds-gateway.ts';
import { idempotencyKey, stableJson } from './idempotency.ts';
import {
  findJournalEntry,
  findUncertainEntries,
  markFinished,
  markSending,
  recordAnnotationPushes,
  recordUnsent,
  type JournalEntryInput,
} from './journal.repository.ts';
import { mirrorDossierView } from './mirror.reader.ts';
import { loadPlan, markPlanApplied, type AnnotationValue, type PlanItem, type SavedPlan } from './plan.ts';
import {
  explainTerminerRefusal,
  isMisleadingTerminerError,
  loadRequiredAnnotations,
  type RequiredAnnotation,
} from './required-annotations.ts';
import { effectPresent, guardItem, TARGET_STATE } from './state-guard.ts';
import { frenchDateTimeOrUnknown } from '../shared/french-format.ts';

// `ds-ars journal` reads it from here.

/**
 * What happened to one item, as the journal records it: 'sent' (row 'sent'), 'skipped' (already
 * done: an earlier 'sent' row, or DS already shows the effect), 'not_attempted' (the run stopped
 * before it: Ctrl-C or a fatal error; no row written), 'guarded'/'conflict' (row says so),
 * 'failed' (row 'failed'), 'uncertain' (row left 'sending': DS may have applied it, the next run
 * re-reads the dossier before deciding), 'dry_run' (a plan, nothing journaled).
 */
export type ItemStatus = 'sent' | 'skipped' | 'not_attempted' | 'guarded' | 'conflict' | 'failed' | 'uncertain' | 'dry_run';
export const ITEM_STATUSES: readonly ItemStatus[] = [
  'sent',
  'skipped',
  'not_attempted',
  'guarded',
  'conflict',
  'failed',
  'uncertain',
  'dry_run',
];

export interface ItemResult {
  item: PlanItem;
  /** Idempotency key (also the clientMutationId). */
  key: string;
  status: ItemStatus;
  /** Why it was not sent or failed, in French; DS's own text for payload errors. */
  error?: string;
  /** Extra information in French (e.g. "déjà envoyé le …"). */
  detail?: string;
  /** modifierAnnotations: labels of the annotations DS did not write (partial success). */
  failedAnnotations?: string[];
}

export interface ExecutionReport {
  planId: number | null;
  runId: string;
  apply: boolean;
  results: ItemResult[];
  counts: Record<ItemStatus, number>;
  /** Stopped early by the AbortSignal (after the mutation in flight). */
  interrupted: boolean;
  /** A failure that stops every write (read-only or expired token…), in French. */
  fatal?: string;
}

export interface ExecutorHooks {
  /**
   * Called right after DS answered a mutation, before the journal records the outcome. Tests
   * throw from it to simulate a crash that leaves the row 'sending'.
   */
  afterSend?: (info: { item: PlanItem; key: string; sentCount: number }) => void | Promise<void>;
}

export interface ExecutorContext {
  db: Db;
  client: DsClient;
  logger?: Logger;
  /** Email of the acting instructeur for a démarche (from the configuration). */
  instructeurEmail: (demarcheNumber: number) => string | undefined;
  runId?: string;
  now?: () => Date;
  hooks?: ExecutorHooks;
}

export interface ProgressEvent {
  done: number;
  total: number;
  result: ItemResult;
}

export interface ExecuteOptions {
  /** Without it nothing is sent and nothing is journaled: each item is previewed ('dry_run'). */
  apply: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Asks to stop after the mutation in flight (SIGTERM in the worker). */
  signal?: AbortSignal;
}

const UNCERTAIN_AFTER_SENDING =
  'Réponse de DS perdue : la modification a peut-être été appliquée. La prochaine exécution relira le dossier avant de décider (jamais de renvoi à l’aveugle) ; le détail est dans « ds-ars journal --essais ».';

/** Failures that would hit every following mutation the same way: stop the run. */
const FATAL_CODES = new Set(['auth', 'token_expired', 'forbidden_network', 'read_only']);

export function newRunId(now: Date = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/**
 * An annotation write is "from these values to those": a value set back later (Oui → Non → Oui)
 * is a new write, not a repeat of the first one. Other mutations are keyed by their payload.
 */
export function itemKey(item: PlanItem): string {
  if (item.operation === 'modifierAnnotations' && item.annotationsBefore !== undefined) {
    return idempotencyKey(item.operation, item.dossierNumber, { payload: item.payload, before: item.annotationsBefore });
  }
  if (item.basis !== undefined) return idempotencyKey(item.operation, item.dossierNumber, { payload: item.payload, basis: item.basis });
  return idempotencyKey(item.operation, item.dossierNumber, item.payload);
}

/**
 * Executes a saved plan (by id or as returned by `savePlan`) or bare items (then the mirror is
 * always re-checked against DS before a mutation). Returns one result per item, in order.
 */
export async function executePlan(
  ctx: ExecutorContext,
  plan: number | SavedPlan | readonly PlanItem[],
  options: ExecuteOptions,
): Promise<ExecutionReport> {
  const now = ctx.now ?? (() => new Date());
  const saved = typeof plan === 'number' ? await loadPlan(ctx.db, plan) : Array.isArray(plan) ? undefined : (plan as SavedPlan);
  const items: readonly PlanItem[] = saved ? saved.items : (plan as readonly PlanItem[]);
  const planId = saved?.id ?? null;
  // Bare items have no snapshot date: the mirror is then always older than "the plan".
  const planCreatedAt = saved?.createdAt ?? nowIso(now());
  const runId = ctx.runId ?? newRunId(now());
  const logger = ctx.logger?.child({ run: runId, plan: planId });
  const run = new Run(ctx, {
    planId,
    planCreatedAt,
    runId,
    apply: options.apply,
    now,
    ...(logger ? { logger } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });

  // Configuration problems (no instructeur for a démarche) surface before anything is sent.
  for (const demarcheNumber of new Set(items.map((i) => i.demarcheNumber))) await run.actingFor(demarcheNumber);

  const results: ItemResult[] = [];
  let interrupted = false;
  let fatal: string | undefined;
  for (const item of items) {
    let result: ItemResult;
    if (fatal !== undefined) {
      result = { item, key: itemKey(item), status: 'not_attempted', error: `Non envoyé : ${fatal}` };
    } else if (options.signal?.aborted) {
      interrupted = true;
      result = notAttempted(item, itemKey(item));
    } else {
      try {
        result = await run.executeItem(item);
        // Ctrl-C during the reads before sending: that item was not attempted either.
        if (result.status === 'not_attempted') interrupted = true;
      } catch (error) {
        if (error instanceof FatalError) {
          fatal = error.message;
          result = error.result;
        } else {
          throw error;
        }
      }
    }
    results.push(result);
    options.onProgress?.({ done: results.length, total: items.length, result });
  }
  if (options.apply && planId !== null && !interrupted && fatal === undefined) await markPlanApplied(ctx.db, planId, now());

  const counts = countByStatus(results);
  logger?.info({ counts, interrupted, apply: options.apply }, 'plan exécuté');
  return { planId, runId, apply: options.apply, results, counts, interrupted, ...(fatal !== undefined ? { fatal } : {}) };
}

/** How many results of each status (every status present, zero included). */
export function countByStatus(results: readonly Pick<ItemResult, 'status'>[]): Record<ItemStatus, number> {
  const counts = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
  for (const r of results) counts[r.status] += 1;
  return counts;
}

/** Stopped on request before this item was sent: nothing journaled, the next run sends it. */
function notAttempted(item: PlanItem, key: string): ItemResult {
  return { item, key, status: 'not_attempted', error: 'Arrêt demandé : non envoyé, il le sera à la prochaine exécution.' };
}

/**
 * A DS refusal that stops the whole plan (token, network: FATAL_CODES), with the result of the
 * item it stopped at. Caught by executePlan, which reports it as the plan's `fatal` message.
 */
class FatalError extends DsApiError {
  constructor(
    error: AppError,
    readonly result: ItemResult,
  ) {
    super(error.code as ConstructorParameters<typeof DsApiError>[0], error.message, { cause: error });
  }
}

interface RunState {
  planId: number | null;
  planCreatedAt: string;
  runId: string;
  apply: boolean;
  now: () => Date;
  logger?: Logger;
  signal?: AbortSignal;
}

class Run {
  private readonly acting = new Map<number, ActingInstructeur>();
  /** Required private annotations by démarche (from the mirrored form), read once per run. */
  readonly required = new Map<number, RequiredAnnotation[]>();
  /** Dossiers this run already wrote to: the mirror no longer describes them. */
  private readonly touched = new Set<number>();
  private sentCount = 0;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly state: RunState,
  ) {}

  async executeItem(item: PlanItem): Promise<ItemResult> {
    const key = itemKey(item);
    const base = { item, key };
    const existing = await findJournalEntry(this.ctx.db, key);
    if (existing?.status === 'sent') {
      return { ...base, status: 'skipped', detail: `Déjà envoyé le ${frenchDateTimeOrUnknown(existing.finished_at ?? existing.sent_at)}.` };
    }
    const acting = await this.actingFor(item.demarcheNumber);
    const entry = this.entry(item, key, null);

    if (item.conflict !== undefined) {
      if (this.state.apply) {
        if (await this.settleEarlierUncertainSend(item)) {
          return {
            ...base,
            status: 'skipped',
            detail: 'Envoi interrompu lors d’une exécution précédente, mais déjà pris en compte par DS : non renvoyé.',
          };
        }
        await recordUnsent(this.ctx.db, entry, 'conflict', item.conflict);
      }
      return { ...base, status: 'conflict', error: item.conflict };
    }

    const mirror = await mirrorDossierView(this.ctx.db, item.dossierNumber);
    await this.requiredFor(item.demarcheNumber);
    if (!this.state.apply)
      return this.preview(item, key, mirror === undefined ? undefined : await withJournalState(this.ctx.db, mirror), acting);

    // A crash may have left this mutation in flight: only DS knows whether it took effect.
    const uncertain = existing?.status === 'sending';
    const stale = mirror === undefined || mirror.syncedAt < this.state.planCreatedAt || this.touched.has(item.dossierNumber);
    let view: DossierView;
    try {
      view =
        uncertain || stale
          ? dossierViewFromNode(await fetchDossier(this.ctx.client, item.dossierNumber, this.state.signal), 'ds')
          : mirror!;
    } catch (error) {
      // Unable to verify an earlier send: the row stays 'sending' (never 'failed', DS may have it).
      if (uncertain) return this.stillUncertain(item, key, error);
      if (this.state.signal?.aborted) return notAttempted(item, key);
      return this.failBeforeSending(item, key, entry, error);
    }

    if (uncertain && effectPresent(item, view)) {
      await this.markReconciled([key], item, view);
      return {
        ...base,
        status: 'skipped',
        detail: 'Envoi interrompu lors d’une exécution précédente, mais déjà pris en compte par DS : non renvoyé.',
      };
    }

    const access = instructeurFor(acting, item.dossierNumber, { id: view.groupeInstructeurId, label: view.groupeInstructeurLabel });
    if (!access.ok) {
      await recordUnsent(this.ctx.db, entry, 'guarded', access.message);
      return { ...base, status: 'guarded', error: access.message };
    }
    const withInstructeur = { ...entry, instructeurId: access.instructeurId };

    const conflict = annotationConflict(item, view);
    if (conflict !== undefined) {
      await recordUnsent(this.ctx.db, withInstructeur, 'conflict', conflict);
      return { ...base, status: 'conflict', error: conflict };
    }

    const verdict = guardItem(item, view, await this.requiredFor(item.demarcheNumber));
    if (!verdict.ok) {
      if (verdict.status === 'guarded') {
        await recordUnsent(this.ctx.db, withInstructeur, 'guarded', verdict.message);
        return { ...base, status: 'guarded', error: verdict.message };
      }
      return { ...base, status: 'skipped', detail: verdict.message };
    }

    let signedBlobId: string | undefined;
    if ('justificatif' in item.payload && item.payload.justificatif !== undefined) {
      try {
        signedBlobId = await uploadJustificatif(this.ctx.client, item.dossierId, item.payload.justificatif, this.state.signal);
      } catch (error) {
        if (this.state.signal?.aborted) return notAttempted(item, key);
        return this.failBeforeSending(item, key, withInstructeur, error);
      }
    }

    await markSending(this.ctx.db, { ...withInstructeur, now: nowIso(this.state.now()) });
    this.touched.add(item.dossierNumber);
    let outcome: MutationOutcome;
    try {
      outcome = await sendMutation(this.ctx.client, {
        item,
        instructeurId: access.instructeurId,
        clientMutationId: key,
        ...(signedBlobId !== undefined ? { signedBlobId } : {}),
      });
    } catch (thrown) {
      return this.failAfterSending(item, key, thrown);
    }
    this.sentCount += 1;
    await this.ctx.hooks?.afterSend?.({ item, key, sentCount: this.sentCount });
    return this.recordOutcome(item, key, outcome);
  }

  /** Dry run: what would happen, from the mirror alone (no request to DS, nothing journaled). */
  private preview(item: PlanItem, key: string, mirror: DossierView | undefined, acting: ActingInstructeur): ItemResult {
    const base = { item, key };
    if (mirror === undefined)
      return { ...base, status: 'dry_run', detail: 'Dossier absent du miroir : il sera relu dans DS avant l’envoi.' };
    const access = instructeurFor(acting, item.dossierNumber, { id: mirror.groupeInstructeurId, label: mirror.groupeInstructeurLabel });
    if (!access.ok) return { ...base, status: 'guarded', error: access.message };
    const verdict = guardItem(item, mirror, this.required.get(item.demarcheNumber) ?? []);
    if (!verdict.ok)
      return verdict.status === 'guarded'
        ? { ...base, status: 'guarded', error: verdict.message }
        : { ...base, status: 'skipped', detail: verdict.message };
    return { ...base, status: 'dry_run' };
  }

  private async recordOutcome(item: PlanItem, key: string, outcome: MutationOutcome): Promise<ItemResult> {
    const at = nowIso(this.state.now());
    const base = { item, key };
    const resultJson = JSON.stringify(outcome.result);
    if (item.operation === 'modifierAnnotations') {
      const written = outcome.errors.length === 0 ? item.payload.annotations.map((a) => a.id) : (outcome.writtenAnnotationIds ?? []);
      if (written.length > 0) await this.recordPushes(item, written, undefined, at);
      if (outcome.errors.length > 0) {
        const failed = item.payload.annotations.filter((a) => !written.includes(a.id)).map((a) => a.label);
        const error = `${failed.length > 0 ? `Annotations non écrites : ${failed.join(', ')}. ` : ''}DS : ${outcome.errors.join(' ; ')}`;
        await markFinished(this.ctx.db, key, 'failed', { now: at, resultJson, error });
        return { ...base, status: 'failed', error, failedAnnotations: failed };
      }
    }
    if (outcome.errors.length > 0) {
      // DS's « Le dossier est déjà en instruction » to a decision means a required annotation (NOTES §3).
      const error = outcome.errors
        .map((e) => (isMisleadingTerminerError(item.operation, e) ? explainTerminerRefusal(e, []) : e))
        .join(' ; ');
      await markFinished(this.ctx.db, key, 'failed', { now: at, resultJson, error });
      this.state.logger?.warn({ dossier: item.dossierNumber, op: item.operation }, 'mutation refusée par DS');
      return { ...base, status: 'failed', error };
    }
    await markFinished(this.ctx.db, key, 'sent', { now: at, resultJson });
    return { ...base, status: 'sent' };
  }

  /**
   * The plan saw a hand edit in the mirror; but an earlier send of these very values (forced over
   * that edit, under another key) may have reached DS with its answer lost. DS says: when it holds
   * them, that send is settled as 'sent' and nothing is a conflict. Unverifiable: false (conflict).
   */
  private async settleEarlierUncertainSend(item: PlanItem): Promise<boolean> {
    const payload = stableJson(item.payload);
    const earlier = (await findUncertainEntries(this.ctx.db, item.operation, item.dossierNumber)).filter(
      (row) => row.payload_json === payload,
    );
    if (earlier.length === 0) return false;
    let view: DossierView;
    try {
      view = dossierViewFromNode(await fetchDossier(this.ctx.client, item.dossierNumber, this.state.signal), 'ds');
    } catch {
      return false;
    }
    this.touched.add(item.dossierNumber);
    if (!effectPresent(item, view)) return false;
    await this.markReconciled(
      earlier.map((row) => row.idempotency_key),
      item,
      view,
    );
    return true;
  }

  /** Sends DS already holds (their answer was lost): journaled as sent, annotations remembered as pushed. */
  private async markReconciled(keys: readonly string[], item: PlanItem, view: DossierView): Promise<void> {
    const at = nowIso(this.state.now());
    for (const key of keys)
      await markFinished(this.ctx.db, key, 'sent', { now: at, runId: this.state.runId, resultJson: JSON.stringify({ reconciled: true }) });
    if (item.operation === 'modifierAnnotations')
      await this.recordPushes(
        item,
        item.payload.annotations.map((a) => a.id),
        view,
        at,
      );
  }

  /**
   * Remembers what was written, with DS's dateDerniereModificationAnnotations right after, so a
   * later hand edit (a newer date and another value) can be told from the adapter's own write.
   */
  private async recordPushes(item: PlanItem, ids: readonly string[], view: DossierView | undefined, at: string): Promise<void> {
    if (item.operation !== 'modifierAnnotations') return;
    let modifiedAt: string | null = view?.dateDerniereModificationAnnotations ?? null;
    if (view === undefined) {
      try {
        modifiedAt = (await fetchDossier(this.ctx.client, item.dossierNumber, this.state.signal)).dateDerniereModificationAnnotations;
      } catch (error) {
        // Without the date, the next plan trusts the values alone; never a reason to fail the write.
        this.state.logger?.warn({ dossier: item.dossierNumber, err: frenchMessage(toError(error)) }, 'relecture après écriture impossible');
      }
    }
    const values = item.payload.annotations
      .filter((a) => ids.includes(a.id))
      .map((a) => ({ annotationId: a.id, valueJson: stableJson(a.value) }));
    await recordAnnotationPushes(this.ctx.db, item.dossierNumber, values, at, modifiedAt);
  }

  private async failBeforeSending(item: PlanItem, key: string, entry: JournalEntryInput, thrown: unknown): Promise<ItemResult> {
    const error = toError(thrown);
    const result: ItemResult = { item, key, status: 'failed', error: error.message };
    await recordUnsent(this.ctx.db, entry, 'failed', error.message);
    if (error instanceof AppError && FATAL_CODES.has(error.code)) throw new FatalError(error, result);
    if (!(error instanceof AppError)) throw error;
    return result;
  }

  /**
   * A row left 'sending' whose dossier could not be re-read: nothing is sent, the row keeps
   * 'sending' (with this run's error) so the next run verifies again.
   */
  private async stillUncertain(item: PlanItem, key: string, thrown: unknown): Promise<ItemResult> {
    const error = toError(thrown);
    if (!(error instanceof AppError)) throw error;
    const message = `Envoi précédent non vérifié (relecture du dossier impossible : ${error.message}). Il sera vérifié à la prochaine exécution, sans renvoi à l’aveugle.`;
    await this.ctx.db
      .updateTable('mutation_journal')
      .set({ error_message: error.message, finished_at: nowIso(this.state.now()), run_id: this.state.runId })
      .where('idempotency_key', '=', key)
      .where('status', '=', 'sending')
      .execute();
    const result: ItemResult = { item, key, status: 'uncertain', error: message };
    if (FATAL_CODES.has(error.code)) throw new FatalError(error, result);
    return result;
  }

  private async failAfterSending(item: PlanItem, key: string, thrown: unknown): Promise<ItemResult> {
    const error = toError(thrown);
    const at = nowIso(this.state.now());
    if (error instanceof AppError && error.details?.ambiguous === true) {
      // DS may have applied it: leave the row 'sending' so the next run re-reads before deciding.
      await this.ctx.db
        .updateTable('mutation_journal')
        .set({ error_message: error.message, finished_at: at })
        .where('idempotency_key', '=', key)
        .execute();
      return { item, key, status: 'uncertain', error: UNCERTAIN_AFTER_SENDING };
    }
    const result: ItemResult = { item, key, status: 'failed', error: error.message };
    await markFinished(this.ctx.db, key, 'failed', { now: at, error: error.message });
    if (error instanceof AppError && FATAL_CODES.has(error.code)) throw new FatalError(error, result);
    if (!(error instanceof AppError)) throw error;
    return result;
  }

  private entry(item: PlanItem, key: string, instructeurId: string | null): JournalEntryInput {
    return {
      key,
      planId: this.state.planId,
      runId: this.state.runId,
      operation: item.operation,
      demarcheNumber: item.demarcheNumber,
      dossierNumber: item.dossierNumber,
      dossierId: item.dossierId,
      instructeurId,
      payloadJson: stableJson(item.payload),
      reason: item.reason,
      now: nowIso(this.state.now()),
    };
  }

  async requiredFor(demarcheNumber: number): Promise<RequiredAnnotation[]> {
    let known = this.required.get(demarcheNumber);
    if (known === undefined) {
      known = await loadRequiredAnnotations(this.ctx.db, demarcheNumber);
      this.required.set(demarcheNumber, known);
    }
    return known;
  }

  async actingFor(demarcheNumber: number): Promise<ActingInstructeur> {
    const known = this.acting.get(demarcheNumber);
    if (known) return known;
    const email = this.ctx.instructeurEmail(demarcheNumber);
    if (email === undefined) {
      throw new AppError(
        'config',
        `Aucun instructeur configuré pour la démarche ${demarcheNumber} : renseignez « instructeurEmail » de la démarche (ou « instance.instructeurEmail ») dans la configuration.`,
      );
    }
    const acting = await resolveActingInstructeur(this.ctx.db, demarcheNumber, email);
    this.acting.set(demarcheNumber, acting);
    return acting;
  }
}

/** An annotation whose DS value is neither what the planner saw nor what we want: edited by hand since. */
/**
 * The mirror's view with the state DS is in after the last state change ds-ars sent since that
 * sync (journal), so a dry run previews like `decisions plan` and like the real run (which
 * rereads DS), instead of guarding against a state the dossier has already left.
 */
async function withJournalState(db: Db, mirror: DossierView & { syncedAt: string }): Promise<DossierView & { syncedAt: string }> {
  const sent = await db
    .selectFrom('mutation_journal')
    .select(['operation', 'finished_at', 'sent_at'])
    .where('dossier_number', '=', mirror.number)
    .where('status', '=', 'sent')
    .where('operation', 'in', Object.keys(TARGET_STATE))
    .execute();
  const latest = sent
    .map((s) => ({ operation: s.operation, at: s.finished_at ?? s.sent_at ?? '' }))
    .filter((s) => s.at > mirror.syncedAt)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .at(-1);
  const state = latest === undefined ? undefined : TARGET_STATE[latest.operation as keyof typeof TARGET_STATE];
  return state === undefined ? mirror : { ...mirror, state };
}

function annotationConflict(item: PlanItem, view: DossierView): string | undefined {
  if (item.operation !== 'modifierAnnotations' || item.annotationsBefore === undefined) return undefined;
  const before = item.annotationsBefore;
  const edited = item.payload.annotations.filter((a) => {
    if (!(a.id in before)) return false;
    const current = view.annotations.get(a.id) ?? null;
    return !sameOrBothEmpty(current, before[a.id] ?? null) && !sameAnnotationValue(current, a.value);
  });
  if (edited.length === 0) return undefined;
  return `Annotation(s) modifiée(s) dans DS depuis le plan : ${edited.map((a) => `« ${a.label} »`).join(', ')}. Rien n’a été écrit ; relancez « ds-ars sync » puis « ds-ars annotate » (--force pour écraser).`;
}

function sameOrBothEmpty(current: AnnotationValue | null, expected: AnnotationValue | null): boolean {
  if (expected !== null) return sameAnnotationValue(current, expected);
  // An unticked checkbox reads back as false, never as empty.
  return current === null || ('checkbox' in current && current.checkbox === false);
}
