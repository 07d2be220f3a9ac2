/**
 * Layout of the *Décisions* sheet and of the workbook's hidden metadata. The bulk-decisions reader
 * (src/decisions/) imports these same definitions, so writer and reader cannot drift apart.
 * Changing a header or the column order means a new WORKBOOK_FORMAT.
 */

export const WORKBOOK_FORMAT = 'ds-ars/jury/1';

export const DECISIONS_SHEET = 'Décisions';
export const METADATA_SHEET = 'Métadonnées';

/** The jury's choices, as shown in the drop-down, and what the reader turns them into. */
export const DECISION_CHOICES = {
  Accepter: 'accepter',
  Refuser: 'refuser',
  'Classer sans suite': 'classer_sans_suite',
} as const;
export type DecisionLabel = keyof typeof DECISION_CHOICES;
export type DecisionAction = (typeof DECISION_CHOICES)[DecisionLabel];
export const DECISION_LABELS = Object.keys(DECISION_CHOICES) as DecisionLabel[];

export interface DecisionColumn {
  key: DecisionColumnKey;
  header: string;
  width: number;
  /** Cells the jury fills (unlocked in the protected sheet). */
  editable?: boolean;
  /** Technical columns: hidden, read back to bind a decision to the dossier version the jury saw. */
  hidden?: boolean;
}

export type DecisionColumnKey =
  | 'dossierNumber'
  | 'nom'
  | 'prenom'
  | 'etablissement'
  | 'ordrePriorite'
  | 'etat'
  | 'complet'
  | 'eligible'
  | 'decision'
  | 'motivation'
  | 'forcer'
  | 'dossierId'
  | 'demarcheNumber'
  | 'stateSeen'
  | 'champsModifiedAt';

/** Columns in order (A, B, …); row 1 holds the headers, one dossier per row from row 2. */
export const DECISION_COLUMNS: readonly DecisionColumn[] = [
  { key: 'dossierNumber', header: 'N° dossier', width: 12 },
  { key: 'nom', header: 'Nom', width: 22 },
  { key: 'prenom', header: 'Prénom', width: 18 },
  { key: 'etablissement', header: 'Établissement / structure', width: 36 },
  { key: 'ordrePriorite', header: 'Ordre de priorité', width: 12 },
  { key: 'etat', header: 'État', width: 18 },
  { key: 'complet', header: 'Complet', width: 10 },
  { key: 'eligible', header: 'Éligible', width: 12 },
  { key: 'decision', header: 'Décision', width: 20, editable: true },
  { key: 'motivation', header: 'Motivation', width: 60, editable: true },
  // « Oui » lets an acceptance contrary to the check through (docs/garde-fous.md). Optional when
  // read (columns are found by header), so workbooks made before it still apply: same format.
  { key: 'forcer', header: 'Forcer', width: 10, editable: true },
  { key: 'dossierId', header: 'Identifiant DS (technique)', width: 24, hidden: true },
  { key: 'demarcheNumber', header: 'N° démarche (technique)', width: 12, hidden: true },
  { key: 'stateSeen', header: 'État lu (technique)', width: 16, hidden: true },
  // dateDerniereModificationChamps, not dateDerniereModification: the tool's own annotation
  // writes bump the latter and must not make a reviewed workbook look stale.
  { key: 'champsModifiedAt', header: 'Champs modifiés le (technique)', width: 26, hidden: true },
];

export const DECISIONS_FIRST_ROW = 2;

/** 1-based column number of a key in the *Décisions* sheet. */
export function decisionColumnNumber(key: DecisionColumnKey): number {
  return DECISION_COLUMNS.findIndex((c) => c.key === key) + 1;
}

/** Keys of the rows of the hidden *Métadonnées* sheet (column A key, column B value). */
export const METADATA_KEYS = {
  format: 'format',
  workbookId: 'workbook_id',
  demarcheNumber: 'demarche_number',
  programme: 'programme',
  generatedAt: 'generated_at',
  dossiers: 'dossiers',
} as const;
export type MetadataKey = (typeof METADATA_KEYS)[keyof typeof METADATA_KEYS];

/** Defined names pointing at the metadata values (readable without knowing the sheet layout). */
export const DEFINED_NAMES = {
  workbookId: 'DSARS_WORKBOOK_ID',
  demarcheNumber: 'DSARS_DEMARCHE',
  generatedAt: 'DSARS_GENERATED_AT',
} as const;

/**
 * The *Décisions* sheet is protected without a password: protection only guards against slips
 * (typing over a dossier number); the workbook id and the hidden columns are what the reader trusts.
 */
export const SHEET_PASSWORD = '';

/** A dossier number from a cell value: a number, its text, or a hyperlink `{ text, hyperlink }`. */
export function dossierNumberFromCell(value: unknown): number | null {
  const text =
    typeof value === 'number'
      ? String(value)
      : typeof value === 'string'
        ? value
        : value !== null && typeof value === 'object' && 'text' in value && typeof value.text === 'string'
          ? value.text
          : null;
  if (text === null || !/^\s*\d+\s*$/.test(text)) return null;
  return Number(text.trim());
}
