import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { AppError } from '../errors.ts';

/** One non-empty line of a sheet, as text. */
export interface RawRow {
  /** Excel row number (1-based), as the user sees it. */
  rowNumber: number;
  /** Cell texts by 0-based column index ('' for an empty cell). */
  cells: string[];
  /** 0-based columns holding a formula without a cached result (never evaluated here). */
  uncomputed: number[];
}

export interface RawSheet {
  name: string;
  rows: RawRow[];
}

/** Opens an .xlsx file; a missing or unreadable file is a usage error (exit 2). */
export async function loadWorkbook(path: string): Promise<ExcelJS.Workbook> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (cause) {
    throw new AppError('usage', `Classeur introuvable ou illisible : ${path}. Vérifiez le chemin du fichier.`, { cause });
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its Buffer parameter against an older @types/node.
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (cause) {
    throw new AppError('workbook', `Le fichier ${path} n’est pas un classeur Excel (.xlsx) lisible. Enregistrez-le au format .xlsx puis recommencez.`, { cause });
  }
  return workbook;
}

/**
 * Text of a cell as the user saw it. Formulas are never evaluated: their cached result is used,
 * and `null` is returned for a formula Excel never computed (the caller reports it).
 */
export function cellText(value: ExcelJS.CellValue): string | null {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'VRAI' : 'FAUX';
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    return result === undefined ? null : cellText(result);
  }
  if ('hyperlink' in value) {
    // exceljs may put rich text inside a hyperlink's text.
    const text = value.text as unknown;
    return typeof text === 'string' ? text : cellText(text as ExcelJS.CellValue);
  }
  if ('error' in value) return value.error;
  return '';
}

/** Every non-empty row of a sheet, cells as text. */
export function readSheet(sheet: ExcelJS.Worksheet): RawSheet {
  const rows: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const uncomputed: number[] = [];
    row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
      const text = cellText(cell.value);
      cells[columnNumber - 1] = text ?? '';
      if (text === null) uncomputed.push(columnNumber - 1);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    if (cells.some((c) => c.trim() !== '') || uncomputed.length > 0) rows.push({ rowNumber, cells, uncomputed });
  });
  return { name: sheet.name, rows };
}
