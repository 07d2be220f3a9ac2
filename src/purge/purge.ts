import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { compactAfterErase } from '../db/dialect.ts';
import type { Db } from '../db/database.ts';
import { AppError, toError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parisDateOf } from '../shared/dates.ts';

/** Written in place of personal data kept out of the journal. */
export const REDACTED = '[supprimé]';

// Decided dossiers (accepté, refusé, classé sans suite): the only live dossiers a purge may remove.
const TERMINAL_STATES = new Set(['accepte', 'refuse', 'sans_suite']);
// DS démarche states of a campaign that no longer takes applications.
const CLOSED_DEMARCHE_STATES = new Set(['close', 'depubliee']);
// Journal keys that identify a mutation without saying anything about the person.
const KEPT_KEYS = new Set([
  'operation',
  'dossierId',
  'instructeurId',
  'demarcheNumber',
  'dossierNumber',
  'expectedStates',
  'state',
  'id',
  'disableNotification',
]);
// SQLite caps bound parameters per statement; delete in slices.
const CHUNK = 500;

export interface PurgeOptions {
  /** 'YYYY-MM-DD': dossiers whose last activity (Paris calendar day) is strictly before it. */
  before: string;
  demarche?: number;
  now?: Date;
}

export interface PurgeCounts {
  dossiers: number;
  champs: number;
  files: number;
  localFiles: number;
  labels: number;
  findings: number;
  evaluations: number;
  annotationPushes: number;
  journalEntries: number;
  plans: number;
  workbooks: number;
}

export interface PurgePlan {
  before: string;
  demarche: number | undefined;
  dossierNumbers: number[];
  /** Per démarche, the dossiers by DS state (`supprime` for those DS itself deleted). */
  byDemarche: { demarche: number; dossiers: number; byState: Record<string, number> }[];
  counts: PurgeCounts;
  localPaths: string[];
  workbooks: { id: string; path: string }[];
  /** What is kept of each purged dossier so the sync never brings it back (nothing personal). */
  tombstones: { number: number; demarche_number: number; state: string; date_traitement: string | null }[];
}

export interface PurgeResult extends PurgePlan {
  /** Local files (attachments, workbooks) that could not be removed from disk. */
  fileErrors: { path: string; message: string }[];
}

/**
 * Which dossiers the retention rule removes (issue 13: never live data). A dossier goes when its
 * last activity (decision, deletion or last change, Paris day) is before `before` and either
 * - it is decided (accepté, refusé, classé sans suite) and its démarche is closed (on DS, or past
 *   its closing date) or its traitement is itself before `before`; or
 * - DS itself deleted it (it no longer exists there).
 * En construction / en instruction dossiers are never purged, nor are those only pending deletion
 * (the usager can still restore them). `before` may not be in the future.
 */
export async function planPurge(db: Db, options: PurgeOptions): Promise<PurgePlan> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.before) || parisDateOf(`${options.before}T12:00:00Z`) !== options.before) {
    throw new AppError('usage', `Date « ${options.before} » invalide pour --before : format attendu AAAA-MM-JJ, par exemple 2024-01-01.`);
  }
  const now = (options.now ?? new Date()).getTime();
  const today = parisDateOf(new Date(now).toISOString());
  if (today !== null && options.before > today) {
    throw new AppError(
      'usage',
      `Date « ${options.before} » dans le futur pour --before (nous sommes le ${today.split('-').reverse().join('/')}) : la purge ne supprime que des dossiers dont la dernière activité est passée. Indiquez la date limite de conservation, par exemple ${Number(today.slice(0, 4)) - 1}${today.slice(4)}.`,
    );
  }
  const demarches = await db.selectFrom('demarches').select(['number', 'state', 'date_fermeture']).execute();
  const closedDemarches = new Set(
    demarches
      .filter((d) => CLOSED_DEMARCHE_STATES.has(d.state) || (d.date_fermeture !== null && Date.parse(d.date_fermeture) <= now))
      .map((d) => d.number),
  );
  let query = db
    .selectFrom('dossiers')
    .select(['number', 'demarche_number', 'state', 'date_traitement', 'deleted_at', 'date_derniere_modification']);
  if (options.demarche !== undefined) query = query.where('demarche_number', '=', options.demarche);
  const selected = (await query.orderBy('number').execute()).filter((d) => {
    const last = lastActivityDay([d.date_traitement, d.deleted_at, d.date_derniere_modification]);
    if (last === null || last >= options.before) return false;
    if (d.deleted_at !== null) return true;
    const decided = lastActivityDay([d.date_traitement]);
    return TERMINAL_STATES.has(d.state) && (closedDemarches.has(d.demarche_number) || (decided !== null && decided < options.before));
  });
  const numbers = selected.map((d) => d.number);
  const perDemarche = new Map<number, number>();
  const statesOf = new Map<number, Record<string, number>>();
  for (const d of selected) {
    perDemarche.set(d.demarche_number, (perDemarche.get(d.demarche_number) ?? 0) + 1);
    const states = statesOf.get(d.demarche_number) ?? {};
    const state = d.deleted_at !== null ? 'supprime' : d.state;
    states[state] = (states[state] ?? 0) + 1;
    statesOf.set(d.demarche_number, states);
  }
  const tombstones = selected.map((d) => ({
    number: d.number,
    demarche_number: d.demarche_number,
    state: d.state,
    date_traitement: d.date_traitement,
  }));

  const count = async (
    table: 'champs' | 'files' | 'dossier_labels' | 'findings' | 'evaluations' | 'annotation_pushes' | 'mutation_journal',
  ) => {
    let total = 0;
    for (const slice of chunks(numbers)) {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('dossier_number', 'in', slice)
        .executeTakeFirst();
      total += Number(row?.n ?? 0);
    }
    return total;
  };
  const localPaths: string[] = [];
  for (const slice of chunks(numbers)) {
    const rows = await db
      .selectFrom('files')
      .select('local_path')
      .where('dossier_number', 'in', slice)
      .where('local_path', 'is not', null)
      .execute();
    for (const row of rows) if (row.local_path) localPaths.push(row.local_path);
  }
  const plans = numbers.length === 0 ? [] : await plansTouching(db, new Set(numbers));
  // A workbook lists every dossier of its démarche: it goes once the whole démarche is purged.
  const fullyPurged = [...perDemarche.keys()].filter((n) => closedDemarches.has(n));
  const workbooks = [];
  for (const demarche of fullyPurged) {
    const remaining = await db
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('demarche_number', '=', demarche)
      .executeTakeFirst();
    if (Number(remaining?.n ?? 0) !== perDemarche.get(demarche)) continue;
    const rows = await db.selectFrom('workbooks').select(['id', 'path', 'created_at']).where('demarche_number', '=', demarche).execute();
    workbooks.push(...rows.filter((w) => (parisDateOf(w.created_at) ?? '') < options.before).map(({ id, path }) => ({ id, path })));
  }

  return {
    before: options.before,
    demarche: options.demarche,
    dossierNumbers: numbers,
    byDemarche: [...perDemarche]
      .map(([demarche, dossiers]) => ({ demarche, dossiers, byState: statesOf.get(demarche) ?? {} }))
      .sort((a, b) => a.demarche - b.demarche),
    tombstones,
    counts: {
      dossiers: numbers.length,
      champs: await count('champs'),
      files: await count('files'),
      localFiles: localPaths.length,
      labels: await count('dossier_labels'),
      findings: await count('findings'),
      evaluations: await count('evaluations'),
      annotationPushes: await count('annotation_pushes'),
      journalEntries: await count('mutation_journal'),
      plans: plans.length,
      workbooks: workbooks.length,
    },
    localPaths,
    workbooks,
  };
}

export interface ApplyPurgeOptions {
  /** DS_ARS_FILES_DIR: each purged dossier's folder there is removed too (partial downloads). */
  filesDir?: string;
  logger?: Logger;
  now?: Date;
}

/**
 * Deletes the planned dossiers and everything attached to them in one transaction, redacts their
 * journal entries (kept: operation, dossier, instructeur, dates, status), then removes the local
 * files and compacts the database (VACUUM, WAL truncated) so the data is not left in free pages.
 */
export async function applyPurge(db: Db, plan: PurgePlan, options: ApplyPurgeOptions = {}): Promise<PurgeResult> {
  const numbers = new Set(plan.dossierNumbers);
  const purgedAt = (options.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    // The sync never writes a purged dossier back, and `status` counts it: the mirror knows what it lacks.
    for (const slice of chunks(plan.tombstones)) {
      await trx
        .insertInto('purged_dossiers')
        .values(slice.map((t) => ({ ...t, purged_at: purgedAt })))
        .onConflict((oc) =>
          oc.column('number').doUpdateSet((eb) => ({
            state: eb.ref('excluded.state'),
            date_traitement: eb.ref('excluded.date_traitement'),
            purged_at: eb.ref('excluded.purged_at'),
          })),
        )
        .execute();
    }
    for (const slice of chunks(plan.dossierNumbers)) {
      for (const table of ['champs', 'files', 'dossier_labels', 'findings', 'evaluations', 'annotation_pushes'] as const) {
        await trx.deleteFrom(table).where('dossier_number', 'in', slice).execute();
      }
      await trx.deleteFrom('dossiers').where('number', 'in', slice).execute();
      const entries = await trx
        .selectFrom('mutation_journal')
        .select(['id', 'payload_json', 'result_json', 'reason', 'error_message'])
        .where('dossier_number', 'in', slice)
        .execute();
      for (const entry of entries) {
        await trx
          .updateTable('mutation_journal')
          .set({
            payload_json: redactJsonText(entry.payload_json) ?? '{}',
            result_json: redactJsonText(entry.result_json),
            reason: entry.reason === null ? null : REDACTED,
            error_message: entry.error_message === null ? null : REDACTED,
          })
          .where('id', '=', entry.id)
          .execute();
      }
      if (entries.length > 0) {
        await trx
          .updateTable('mutation_journal_events')
          .set({ error_message: REDACTED })
          .where(
            'journal_id',
            'in',
            entries.map((e) => e.id),
          )
          .where('error_message', 'is not', null)
          .execute();
      }
    }
    for (const planRow of await plansTouching(trx, numbers)) {
      await trx.updateTable('plans').set({ items_json: planRow.itemsJson }).where('id', '=', planRow.id).execute();
    }
    for (const slice of chunks(plan.workbooks.map((w) => w.id))) {
      await trx.deleteFrom('workbooks').where('id', 'in', slice).execute();
    }
  });

  const fileErrors: PurgeResult['fileErrors'] = [];
  const remove = async (path: string, how: () => Promise<void>) => {
    try {
      await how();
    } catch (caught) {
      const error = toError(caught) as NodeJS.ErrnoException;
      if (error.code === 'ENOENT') return;
      fileErrors.push({ path, message: error.message });
      options.logger?.error({ path, err: error }, `Fichier non supprimé : ${path} (${error.message}).`);
    }
  };
  for (const path of plan.localPaths) await remove(path, () => unlink(path));
  for (const workbook of plan.workbooks) await remove(workbook.path, () => unlink(workbook.path));
  if (options.filesDir) {
    for (const number of plan.dossierNumbers) {
      const folder = join(options.filesDir, String(number));
      await remove(folder, () => rm(folder, { recursive: true, force: true }));
    }
  }

  if (plan.dossierNumbers.length > 0) {
    await compactAfterErase(db);
  }
  return { ...plan, fileErrors };
}

interface RedactedPlan {
  id: number;
  itemsJson: string;
}

/** Plans holding items of purged dossiers, with those items redacted (the others are left as they are). */
async function plansTouching(db: Db, numbers: Set<number>): Promise<RedactedPlan[]> {
  const rows = await db.selectFrom('plans').select(['id', 'items_json']).execute();
  const touched: RedactedPlan[] = [];
  for (const row of rows) {
    const items = parseJson(row.items_json);
    // Plans are written by the adapter as an array of items; anything else names no dossier.
    if (!Array.isArray(items)) continue;
    let changed = false;
    const redacted = items.map((item: unknown) => {
      const number = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).dossierNumber : undefined;
      if (typeof number !== 'number' || !numbers.has(number)) return item;
      changed = true;
      return redactValue(item);
    });
    if (changed) touched.push({ id: row.id, itemsJson: JSON.stringify(redacted) });
  }
  return touched;
}

/**
 * Keeps the shape of a payload and the keys that identify the mutation; every other text (names,
 * motivations, annotation values, dates of birth) becomes "[supprimé]". Numbers and booleans are
 * kept: they say what was done (a checkbox ticked), not who it was about.
 */
export function redactValue(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && KEPT_KEYS.has(key) ? value : REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  }
  return value;
}

function redactJsonText(text: string | null): string | null {
  if (text === null) return null;
  // Text that is not JSON cannot be sorted into kept and removed parts: all of it goes.
  const value = parseJson(text);
  return JSON.stringify(value === NOT_JSON ? REDACTED : redactValue(value));
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // JSON.parse throws nothing but SyntaxError: the text is simply not JSON.
    return NOT_JSON;
  }
}

/** The Paris calendar day of the latest of the given instants (null when none parses). */
function lastActivityDay(instants: (string | null)[]): string | null {
  let latest: number | null = null;
  for (const instant of instants) {
    const ms = instant === null ? Number.NaN : Date.parse(instant);
    if (!Number.isNaN(ms) && (latest === null || ms > latest)) latest = ms;
  }
  return latest === null ? null : parisDateOf(new Date(latest).toISOString());
}

function chunks<T>(values: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) result.push(values.slice(i, i + CHUNK));
  return result;
}
