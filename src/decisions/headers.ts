/**
 * Tolerant header matching: a jury member may retype a header ("decision", "DÉCISION ",
 * "Décision du jury"), so headers are compared after normalisation, never byte for byte.
 */
import { normalizeText } from '../shared/names.ts';

/** Lower case, accents and punctuation removed, runs of spaces as one: "N° Dossier " → "n dossier". */
export function normalizeHeader(text: string): string {
  return normalizeText(text);
}

export interface HeaderSpec<K extends string = string> {
  key: K;
  /** The header as written by the report, then accepted variants. The first one is shown in messages. */
  labels: readonly string[];
  required: boolean;
}

export interface HeaderMatch<K extends string> {
  /** 0-based index of the header row among the rows given. */
  rowIndex: number;
  /** 0-based column index of each key found. */
  columns: Map<K, number>;
  missing: HeaderSpec<K>[];
}

/**
 * Finds the header row among the first rows (a title line may sit above it) and the column of
 * each spec. The row that matches the most required headers wins; ties go to the first one.
 * Returns null when no row matches any required header.
 */
export function matchHeaders<K extends string>(
  rows: readonly (readonly string[])[],
  specs: readonly HeaderSpec<K>[],
  scanRows = 10,
): HeaderMatch<K> | null {
  const wanted = specs.map((spec) => ({ spec, labels: new Set(spec.labels.map(normalizeHeader)) }));
  let best: { rowIndex: number; columns: Map<K, number>; required: number } | null = null;
  rows.slice(0, scanRows).forEach((cells, rowIndex) => {
    const columns = new Map<K, number>();
    cells.forEach((cell, column) => {
      const text = normalizeHeader(cell);
      if (text === '') return;
      const hit = wanted.find((w) => !columns.has(w.spec.key) && w.labels.has(text));
      if (hit) columns.set(hit.spec.key, column);
    });
    const required = specs.filter((s) => s.required && columns.has(s.key)).length;
    if (required > 0 && (best === null || required > best.required)) best = { rowIndex, columns, required };
  });
  if (best === null) return null;
  const found: { rowIndex: number; columns: Map<K, number> } = best;
  return { rowIndex: found.rowIndex, columns: found.columns, missing: specs.filter((s) => s.required && !found.columns.has(s.key)) };
}

/** Excel column letters for a 0-based index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    out = String.fromCharCode(65 + rest) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
