/** The semantic fields of a candidature as rules read them (built by candidature.ts, MappedField). */
import type { FieldKind } from '../domain/programmes/types.ts';
import type { CalendarDate } from '../shared/dates.ts';

/**
 * - `absent_du_formulaire`: not mapped, or the champ is not in the answer (DS omits champs hidden
 *   by a condition);
 * - `vide`: present but empty (an unticked checkbox counts as empty);
 * - `rempli`: present with a value.
 */
export type FieldStatus = 'absent_du_formulaire' | 'vide' | 'rempli';

export interface FileRef {
  readonly filename: string;
  readonly contentType: string;
  readonly byteSize: number;
  readonly checksum: string;
}

/**
 * Why a key read from one row of a repetition block (mapping `ligne`) has no value: no row says the
 * configured value, or several do (never the first one silently).
 */
export interface RowLookupProblem {
  readonly problem: 'aucune_ligne' | 'plusieurs_lignes';
  /** Label of the repetition block, of the selector cell and the value looked for. */
  readonly block: string;
  readonly selector: string;
  readonly value: string | number;
  /** Row numbers (from 1, in the dossier's order) that claim the value (`plusieurs_lignes`). */
  readonly rows: readonly number[];
}

/** A semantic field read from a dossier, with every typed reading of its value. */
export interface FieldValue extends Omit<Reading, 'filled'> {
  readonly field: string;
  readonly kind: FieldKind;
  readonly status: FieldStatus;
  /** Label on the form, or the programme's name for the field when it is not on the form. */
  readonly label: string;
  /** Descriptor id of the champ (stable across revisions); null when not mapped. */
  readonly champId: string | null;
  readonly mapped: boolean;
  /** DS champ type on the form ('Text', 'YesNo'…); null when not mapped. */
  readonly type: string | null;
  /** DS's own `required` flag for the champ. */
  readonly required: boolean;
  /** The reading that matches the field's kind. */
  readonly value: string | number | boolean | readonly string[] | readonly FileRef[] | null;
  /** Set (with status `absent_du_formulaire`) when the row the mapping selects is missing or claimed twice. */
  readonly rowProblem?: RowLookupProblem;
}

/** Every typed reading of a champ's value. */
export interface Reading {
  readonly filled: boolean;
  readonly raw: string | null;
  readonly text: string | null;
  readonly date: CalendarDate | null;
  readonly number: number | null;
  readonly percent: number | null;
  readonly boolean: boolean | null;
  readonly values: readonly string[];
  readonly files: readonly FileRef[];
}
