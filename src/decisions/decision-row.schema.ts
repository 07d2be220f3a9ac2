import { z } from 'zod';
import { DOSSIER_STATES, type DossierState } from '../pushback/plan.ts';
import { DECISION_CHOICES, type DecisionAction, type DecisionColumnKey } from '../reports/decisions-sheet.ts';
import { normalizeHeader } from './headers.ts';

/** A jury decision, named after the DS mutation it leads to. */
export type Decision = 'accepter' | 'refuser' | 'classerSansSuite';

const DECISION_BY_ACTION: Record<DecisionAction, Decision> = {
  accepter: 'accepter',
  refuser: 'refuser',
  classer_sans_suite: 'classerSansSuite',
};

/** What each decision is called in the workbook's drop-down (the report's own labels). */
export const DECISION_LABELS = Object.fromEntries(
  (Object.entries(DECISION_CHOICES) as [string, DecisionAction][]).map(([label, action]) => [DECISION_BY_ACTION[action], label]),
) as Record<Decision, string>;

/**
 * Spellings accepted in the decision column besides the drop-down labels, compared after
 * normalisation (case, accents, punctuation, spaces): the past participles DS shows ("Accepté",
 * "Refusé", "Classé sans suite") and the jury vocabulary of the MGVH decision tab
 * ("Avis favorable" / "Avis défavorable", seed 001). Anything else, e.g. "Favorable avec
 * réserves" or "Ajourné", is an error: a decision is never guessed.
 */
const SPELLINGS: Record<Decision, readonly string[]> = {
  accepter: ['accepter', 'accepte', 'acceptee', 'acceptation', 'favorable', 'avis favorable'],
  refuser: ['refuser', 'refuse', 'refusee', 'refus', 'defavorable', 'avis defavorable'],
  classerSansSuite: ['classer sans suite', 'classe sans suite', 'classee sans suite', 'sans suite'],
};

const DECISION_BY_SPELLING = new Map<string, Decision>([
  ...(Object.entries(SPELLINGS) as [Decision, readonly string[]][]).flatMap(([decision, spellings]) =>
    spellings.map((s) => [s, decision] as const),
  ),
  ...(Object.entries(DECISION_LABELS) as [Decision, string][]).map(([decision, label]) => [normalizeHeader(label), decision] as const),
]);

/** The decision a cell means, `null` for an empty cell, `undefined` when not recognised. */
export function parseDecision(text: string): Decision | null | undefined {
  const normalized = normalizeHeader(text);
  if (normalized === '') return null;
  return DECISION_BY_SPELLING.get(normalized);
}

/** The fields of a decisions row this module reads. */
export const ROW_FIELDS = [
  'dossierNumber',
  'decision',
  'motivation',
  'forcer',
  'dossierId',
  'demarcheNumber',
  'stateSeen',
  'champsModifiedAt',
] as const satisfies readonly DecisionColumnKey[];
export type RowField = (typeof ROW_FIELDS)[number];

/** Cell texts of one row by field; a field whose column is absent is undefined. */
export type RowInput = Partial<Record<RowField, string>>;

const DECISION_LIST = Object.values(DECISION_LABELS).join(', ');

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()));

const dossierNumber = z
  .string({ error: 'numéro de dossier manquant' })
  .transform((v) => v.replace(/[\s\u00A0\u202F]/g, ''))
  .pipe(z.string().min(1, 'numéro de dossier manquant').regex(/^\d+$/, 'numéro de dossier invalide (un nombre entier est attendu)'))
  .transform(Number);

const demarcheNumber = optionalText.pipe(
  z.string().regex(/^\d+$/, 'numéro de démarche invalide (colonne technique modifiée ?)').transform(Number).nullable(),
);

const stateSeen = optionalText.pipe(
  z
    .string()
    .refine(
      (v): v is DossierState => (DOSSIER_STATES as readonly string[]).includes(v),
      'état technique illisible (colonne technique modifiée ?)',
    )
    .nullable(),
);

/** « Forcer » cell: « Oui » (or X, Vrai, 1) forces an acceptance contrary to the check; empty, « Non » do not. */
const FORCE_YES = new Set(['oui', 'x', 'vrai', '1', 'forcer']);
const FORCE_NO = new Set(['non', 'faux', '0']);
const forcer = optionalText.transform((v, ctx) => {
  if (v === null) return false;
  const normalized = normalizeHeader(v);
  if (FORCE_YES.has(normalized)) return true;
  if (normalized === '' || FORCE_NO.has(normalized)) return false;
  ctx.addIssue({
    code: 'custom',
    message: `valeur « ${v} » non reconnue dans « Forcer » : écrivez « Oui » pour forcer, ou laissez la cellule vide`,
  });
  return z.NEVER;
});

const champsModifiedAt = optionalText.pipe(
  z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), 'date de modification technique illisible (colonne technique modifiée ?)')
    .nullable(),
);

/**
 * One row of the Décisions sheet, validated. Issues carry the field as path so the caller can
 * name the column. The motivation is required for Refuser and Classer sans suite (DS requires
 * it, NOTES.md §3) and checked here so the whole row is judged at once.
 */
export const decisionRowSchema = z
  .object({
    dossierNumber,
    decision: optionalText.transform((v, ctx) => {
      if (v === null) return null;
      const decision = parseDecision(v);
      if (decision === undefined) {
        ctx.addIssue({ code: 'custom', message: `décision « ${v} » non reconnue ; valeurs possibles : ${DECISION_LIST} (ou vide)` });
        return z.NEVER;
      }
      return decision;
    }),
    motivation: optionalText,
    forcer,
    dossierId: optionalText,
    demarcheNumber,
    stateSeen,
    champsModifiedAt,
  })
  .superRefine((row, ctx) => {
    if ((row.decision === 'refuser' || row.decision === 'classerSansSuite') && row.motivation === null) {
      ctx.addIssue({ code: 'custom', path: ['motivation'], message: `motivation obligatoire pour « ${DECISION_LABELS[row.decision]} »` });
    }
  });

export type DecisionRow = z.output<typeof decisionRowSchema>;
