import type { Db } from '../../db/database.ts';
import type { DigestRow } from '../../db/tables/reports-worker.table.ts';
import type { DigestPeriod, DigestSnapshot } from './digest-data.ts';

/**
 * The `digests` table as the digest uses it: a row 'sending' is written before the mail leaves
 * and turned 'sent' after; a unique index allows one 'sending'/'sent' row per Paris day.
 */

/** The last digest that went out (or may have: 'sending' left by a crash). */
export function lastDigest(db: Db): Promise<DigestRow | undefined> {
  return db
    .selectFrom('digests')
    .selectAll()
    .where('status', 'in', ['sending', 'sent'])
    .orderBy('period_end', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function parseSnapshot(row: DigestRow | undefined): DigestSnapshot | null {
  if (!row?.snapshot_json) return null;
  const value = JSON.parse(row.snapshot_json) as Partial<DigestSnapshot>;
  return { known: value.known ?? [], complets: value.complets ?? [] };
}

interface NewDigest {
  period: DigestPeriod;
  recipients: readonly string[];
  snapshot: DigestSnapshot;
  createdAt: string;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');
}

/** Claims the period; `null` when another run already claimed it (the unique index said no). */
export async function beginDigest(db: Db, digest: NewDigest): Promise<number | null> {
  try {
    const row = await db
      .insertInto('digests')
      .values({
        period_start: digest.period.since ?? '',
        period_end: digest.period.until,
        period_key: digest.period.key,
        created_at: digest.createdAt,
        status: 'sending',
        recipients: digest.recipients.join(', '),
        snapshot_json: JSON.stringify(digest.snapshot),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export async function markSent(db: Db, id: number, messageId: string): Promise<void> {
  await db.updateTable('digests').set({ status: 'sent', message_id: messageId }).where('id', '=', id).execute();
}

/** A failed send frees the period: the next run may try again. */
export async function markFailed(db: Db, id: number, message: string): Promise<void> {
  await db.updateTable('digests').set({ status: 'failed', error_message: message }).where('id', '=', id).execute();
}

export async function recordDryRun(db: Db, digest: NewDigest, emlPath: string): Promise<number> {
  const row = await db
    .insertInto('digests')
    .values({
      period_start: digest.period.since ?? '',
      period_end: digest.period.until,
      period_key: digest.period.key,
      created_at: digest.createdAt,
      status: 'dry_run',
      recipients: digest.recipients.join(', '),
      eml_path: emlPath,
      snapshot_json: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
