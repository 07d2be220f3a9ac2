import { DECISION_COLUMNS } from '../reports/decisions-sheet.ts';
import { ROW_FIELDS, type RowField } from './decision-row.schema.ts';
import type { HeaderSpec } from './headers.ts';

/**
 * Headers a jury member might retype, beyond the report's own (which always comes first).
 * Compared after normalisation, so case, accents and spacing never matter.
 */
const ALIASES: Partial<Record<RowField, readonly string[]>> = {
  dossierNumber: ['Numéro de dossier', 'Numéro dossier', 'N° de dossier', 'No dossier', 'Dossier'],
  decision: ['Décision du jury', 'Avis', 'Avis du jury'],
  motivation: ['Motif', 'Motivation de la décision', 'Motivation du jury'],
};

/** The jury fills these; the technical columns may be missing (then the version is unknown). */
const REQUIRED: ReadonlySet<RowField> = new Set(['dossierNumber', 'decision', 'motivation']);

/** Header specs of the Décisions sheet, from the report's own column definitions. */
export const DECISIONS_HEADER_SPECS: readonly HeaderSpec<RowField>[] = DECISION_COLUMNS.flatMap((column) => {
  if (!(ROW_FIELDS as readonly string[]).includes(column.key)) return [];
  const key = column.key as RowField;
  return [{ key, labels: [column.header, ...(ALIASES[key] ?? []), column.key], required: REQUIRED.has(key) }];
});
