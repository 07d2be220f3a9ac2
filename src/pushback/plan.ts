import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { PlanTable } from '../db/tables/journal.table.ts';
import { AppError, DatabaseError } from '../errors.ts';

export const DOSSIER_STATES = ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

export const OPERATIONS = [
  'passerEnInstruction',
  'repasserEnConstruction',
  'repasserEnInstruction',
  'accepter',
  'refuser',
  'classerSansSuite',
  'modifierAnnotations',
  'envoyerMessage',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export type PlanKind = PlanTable['kind'];

const state = z.enum(DOSSIER_STATES);

/** A file sent as justificatif of a decision: uploaded with createDirectUpload just before the mutation. */
export const justificatifSchema = z.object({
  path: z.string().min(1),
  filename: z.string().min(1),
  contentType: z.string().min(1),
  byteSize: z.number().int().nonnegative(),
  /** MD5, base64, as DS's direct upload wants it; part of the payload hash. */
  checksum: z.string().min(1),
});
export type Justificatif = z.infer<typeof justificatifSchema>;

/** One value of `AnnotationValueInput` (@oneOf): exactly one key set. */
export const annotationValueSchema = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ textarea: z.string() }).strict(),
  z.object({ checkbox: z.boolean() }).strict(),
  z.object({ yesNo: z.boolean() }).strict(),
  z.object({ date: z.iso.date() }).strict(),
  z.object({ datetime: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ dropDownList: z.string() }).strict(),
  z.object({ multipleDropDownList: z.array(z.string()) }).strict(),
  z.object({ integerNumber: z.number().int() }).strict(),
  z.object({ decimalNumber: z.number() }).strict(),
]);
export type AnnotationValue = z.infer<typeof annotationValueSchema>;

const base = {
  demarcheNumber: z.number().int().positive(),
  dossierNumber: z.number().int().positive(),
  dossierId: z.string().min(1),
  /** States the dossier must be in for the mutation to be sent (checked on the mirror or a fresh read). */
  expectedStates: z.array(state).min(1),
  /** Why, in French, shown in the plan table and the journal. */
  reason: z.string(),
  /** A conflict found while planning (e.g. an annotation edited by hand): journaled, never sent. */
  conflict: z.string().optional(),
  /**
   * What the plan was based on, e.g. the date of the dossier's last traitement. Part of the
   * idempotency key: the same transition planned again after the dossier went back (a
   * correction) is a new mutation, while a rerun of the same plan is not.
   */
  basis: z.string().optional(),
  /**
   * The version of the dossier the decision or verdict was based on (its dateDerniereModificationChamps,
   * or an upper bound of it, and when that was checked). A later change of the champs in DS blocks
   * the item just before sending. Not part of the idempotency key.
   */
  version: z.object({ champsModifiedAt: z.string(), since: z.string() }).optional(),
};

const transitionPayload = z.object({ disableNotification: z.boolean().optional() });
// DS requires a motivation to refuse or classer sans suite (NOTES §3); a blank one is refused here.
const requiredMotivation = z
  .string()
  .trim()
  .min(1, 'motivation obligatoire pour refuser ou classer sans suite (DS l’exige) : elle ne peut pas être vide');
const decisionPayload = z.object({
  motivation: z.string().optional(),
  disableNotification: z.boolean().optional(),
  justificatif: justificatifSchema.optional(),
});

export const planItemSchema = z.discriminatedUnion('operation', [
  z.object({ operation: z.literal('passerEnInstruction'), ...base, payload: transitionPayload }),
  z.object({ operation: z.literal('repasserEnConstruction'), ...base, payload: transitionPayload }),
  z.object({ operation: z.literal('repasserEnInstruction'), ...base, payload: transitionPayload }),
  z.object({ operation: z.literal('accepter'), ...base, payload: decisionPayload }),
  z.object({ operation: z.literal('refuser'), ...base, payload: decisionPayload.extend({ motivation: requiredMotivation }) }),
  z.object({ operation: z.literal('classerSansSuite'), ...base, payload: decisionPayload.extend({ motivation: requiredMotivation }) }),
  z.object({
    operation: z.literal('modifierAnnotations'),
    ...base,
    payload: z.object({
      annotations: z.array(z.object({ id: z.string().min(1), label: z.string(), value: annotationValueSchema })).min(1),
    }),
    /**
     * The values the planner believed DS held (by annotation id, null = empty). If DS shows
     * another value just before sending, someone edited it since: conflict, nothing is sent.
     */
    annotationsBefore: z.record(z.string(), annotationValueSchema.nullable()).optional(),
  }),
  z.object({
    operation: z.literal('envoyerMessage'),
    ...base,
    payload: z.object({
      body: z.string().min(1),
      correction: z.enum(['incomplete', 'incorrect', 'outdated']).optional(),
    }),
  }),
]);

/** One mutation the product intends to send: what, to which dossier, why. */
export type PlanItem = z.infer<typeof planItemSchema>;
export type PlanItemOf<O extends Operation> = Extract<PlanItem, { operation: O }>;

export interface SavedPlan {
  id: number;
  kind: PlanKind;
  createdAt: string;
  source: string | null;
  demarcheNumber: number | null;
  items: PlanItem[];
  appliedAt: string | null;
}

/** Saves a plan before anything is sent, so every write can be traced back to it. */
export async function savePlan(
  db: Db,
  kind: PlanKind,
  items: readonly PlanItem[],
  source: string | null = null,
  options: { demarcheNumber?: number | null; now?: Date } = {},
): Promise<SavedPlan> {
  const createdAt = nowIso(options.now);
  const parsed = items.map((item) => {
    const result = planItemSchema.safeParse(item);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw new AppError(
      'usage',
      `Élément de plan invalide (dossier n° ${item.dossierNumber}, ${item.operation}) : ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  });
  const row = await db
    .insertInto('plans')
    .values({
      kind,
      demarche_number: options.demarcheNumber ?? null,
      created_at: createdAt,
      source,
      items_json: JSON.stringify(parsed),
      applied_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, kind, createdAt, source, demarcheNumber: options.demarcheNumber ?? null, items: parsed, appliedAt: null };
}

export async function loadPlan(db: Db, id: number): Promise<SavedPlan> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined)
    throw new AppError('usage', `Le plan n° ${id} n’existe pas dans la base. Listez les plans avec « ds-ars journal ».`);
  const items = z.array(planItemSchema).safeParse(JSON.parse(row.items_json));
  if (!items.success) {
    throw new DatabaseError(
      'database',
      `Le plan n° ${id} est illisible (${items.error.issues[0]?.message ?? 'format inconnu'}). Refaites le plan.`,
    );
  }
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.created_at,
    source: row.source,
    demarcheNumber: row.demarche_number,
    items: items.data,
    appliedAt: row.applied_at,
  };
}

export async function markPlanApplied(db: Db, id: number, now: Date = new Date()): Promise<void> {
  await db
    .updateTable('plans')
    .set({ applied_at: nowIso(now) })
    .where('id', '=', id)
    .execute();
}
