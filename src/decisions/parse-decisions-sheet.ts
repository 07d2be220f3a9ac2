import { AppError } from '../errors.ts';
import { decisionRowSchema, type RowField, type RowInput } from './decision-row.schema.ts';
import { columnLetter, type HeaderSpec, matchHeaders } from './headers.ts';
import { type ColumnRef, locate, type ParsedRow, type ParsedSheet } from './plan-decisions.ts';
import type { RawSheet } from './read-workbook.ts';

/**
 * Validates every row of the Décisions sheet. Headers are found tolerantly; a missing required
 * column refuses the whole file (code 'workbook'). Row problems never throw: they are located
 * messages on the row, and the other rows carry on.
 */
export function parseDecisionsSheet(raw: RawSheet, specs: readonly HeaderSpec<RowField>[]): ParsedSheet {
  const match = matchHeaders(
    raw.rows.map((r) => r.cells),
    specs,
  );
  const expected = specs.filter((s) => s.required).map((s) => `« ${s.labels[0] ?? s.key} »`);
  if (match === null) {
    throw new AppError(
      'workbook',
      `Feuille « ${raw.name} » : ligne d’en-têtes introuvable (colonnes attendues : ${expected.join(', ')}). Utilisez le classeur produit par « ds-ars report ».`,
    );
  }
  if (match.missing.length > 0) {
    const missing = match.missing.map((s) => `« ${s.labels[0] ?? s.key} »`).join(', ');
    throw new AppError(
      'workbook',
      `Feuille « ${raw.name} » : colonne(s) ${missing} introuvable(s) dans les en-têtes. Ne renommez ni ne supprimez ces colonnes.`,
    );
  }

  const columns: Partial<Record<RowField, ColumnRef>> = {};
  const fieldByColumn = new Map<number, RowField>();
  for (const [field, index] of match.columns) {
    const header = raw.rows[match.rowIndex]?.cells[index]?.trim() ?? '';
    columns[field] = { header: header || (specs.find((s) => s.key === field)?.labels[0] ?? field), letter: columnLetter(index) };
    fieldByColumn.set(index, field);
  }

  const rows: ParsedRow[] = [];
  for (const rawRow of raw.rows.slice(match.rowIndex + 1)) {
    const input: RowInput = {};
    for (const [field, index] of match.columns) input[field] = rawRow.cells[index] ?? '';
    const at = (field: RowField | undefined) => locate(raw.name, rawRow.rowNumber, field === undefined ? undefined : columns[field]);
    const decisionText = (input.decision ?? '').trim();
    const motivationText = (input.motivation ?? '').trim();
    const numberText = (input.dossierNumber ?? '').replace(/[\s\u00A0\u202F]/g, '');
    const parsed: ParsedRow = {
      rowNumber: rawRow.rowNumber,
      dossierNumber: /^\d+$/.test(numberText) ? Number(numberText) : null,
      decisionText,
      motivationText,
      row: null,
      errors: [],
      notes: [],
    };
    rows.push(parsed);

    // A formula is never sent to DS, computed or not: its displayed result (« 2 » for =1+1,
    // « Cliquez ici » for =HYPERLINK(…)) is not what the jury typed. The whole row is refused.
    const formulaErrors = rawRow.formulas.flatMap((f) => {
      const field = fieldByColumn.get(f.column);
      if (field !== 'decision' && field !== 'motivation' && field !== 'forcer') return [];
      const cell = `${columnLetter(f.column)}${rawRow.rowNumber}`;
      return [
        `${at(field)} : la cellule ${cell} contient une formule (${f.text}) ; ds-ars n’envoie jamais le résultat d’une formule. Remplacez-la par le texte voulu (copier puis « collage spécial : valeurs »). Rien n’est envoyé pour cette ligne.`,
      ];
    });
    if (formulaErrors.length > 0) {
      parsed.errors.push(...formulaErrors);
      // The plan and the result workbook show the formula itself, never its result.
      for (const f of rawRow.formulas) {
        const field = fieldByColumn.get(f.column);
        if (field === 'decision') parsed.decisionText = f.text;
        if (field === 'motivation') parsed.motivationText = f.text;
      }
      continue;
    }
    if (decisionText === '') {
      if (motivationText !== '') parsed.notes.push(`${at('decision')} : motivation sans décision ; ligne ignorée.`);
      continue;
    }
    const result = decisionRowSchema.safeParse(input);
    if (result.success) {
      parsed.row = result.data;
      continue;
    }
    for (const issue of result.error.issues) {
      const field = issue.path[0];
      parsed.errors.push(`${at(typeof field === 'string' ? (field as RowField) : undefined)} : ${issue.message}.`);
    }
  }
  return { name: raw.name, columns, rows };
}
