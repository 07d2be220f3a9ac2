import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
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
  /** Every cell holding a formula (computed or not, shared or not), by 0-based column: never sent to DS. */
  formulas: FormulaCell[];
}

export interface FormulaCell {
  column: number;
  /** The formula as written ("=1+1"), or the master cell of a shared formula ("formule partagée de D2"). */
  text: string;
}

export interface RawSheet {
  name: string;
  rows: RawRow[];
}

/** The sheets kept while streaming a workbook, by name. */
export interface RawWorkbook {
  /** Every sheet name, in order (kept or not). */
  sheetNames: string[];
  sheets: Map<string, RawSheet>;
}

/**
 * Streams an .xlsx file and keeps the rows of the sheets `keep` accepts; the others (the jury
 * workbook's large Dossiers and Anomalies sheets) are never parsed, which makes reading
 * several times faster than loading the whole workbook. Formulas are never
 * evaluated.
 * A missing file is a usage error (exit 2), a file that is not an .xlsx a 'workbook' one.
 */
export async function readWorkbook(path: string, keep: (sheetName: string) => boolean): Promise<RawWorkbook> {
  try {
    await access(path, constants.R_OK);
  } catch (cause) {
    throw new AppError('usage', `Classeur introuvable ou illisible : ${path}. Vérifiez le chemin du fichier.`, { cause });
  }
  let result: RawWorkbook;
  try {
    result = await streamWorkbook(path, keep);
  } catch (streamFailure) {
    // exceljs's streaming reader needs xl/workbook.xml before the sheets it parses at once, and
    // fails on zips whose entries come in another order (written by other tools, or by exceljs
    // itself now and then): the whole-file reader, which reads the zip's directory, is the fallback.
    try {
      result = await loadWholeWorkbook(path, keep);
    } catch {
      throw new AppError(
        'workbook',
        `Le fichier ${path} n’est pas un classeur Excel (.xlsx) lisible. Enregistrez-le au format .xlsx puis recommencez.`,
        { cause: streamFailure },
      );
    }
  }
  if (result.sheetNames.length === 0) {
    throw new AppError(
      'workbook',
      `Le fichier ${path} n’est pas un classeur Excel (.xlsx) lisible. Enregistrez-le au format .xlsx puis recommencez.`,
    );
  }
  return result;
}

async function streamWorkbook(path: string, keep: (sheetName: string) => boolean): Promise<RawWorkbook> {
  const result: RawWorkbook = { sheetNames: [], sheets: new Map() };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles say which numbers are dates (a pasted date is a number with a date format).
    styles: 'cache',
    entries: 'ignore',
  });
  for await (const worksheet of reader) {
    // exceljs types the emitted reader as a Worksheet, but it is a WorksheetReader (async iterable of rows).
    const sheet = worksheet as unknown as { name: string | undefined; iterator: AsyncIterable<unknown> } & AsyncIterable<ExcelJS.Row>;
    // A sheet met before xl/workbook.xml has no name: this order needs the whole-file reader.
    if (typeof sheet.name !== 'string') throw new Error('worksheet before the workbook part');
    result.sheetNames.push(sheet.name);
    if (!keep(sheet.name)) {
      // Drained as raw bytes (no XML parsing), never left unread: exceljs deletes a buffered
      // sheet's temporary file right after yielding it, and an unread one fails with ENOENT.
      for await (const _chunk of sheet.iterator);
      continue;
    }
    const rows: RawRow[] = [];
    for await (const row of sheet) {
      const raw = rawRow(row);
      if (raw !== null) rows.push(raw);
    }
    result.sheets.set(sheet.name, { name: sheet.name, rows });
  }
  return result;
}

/** The same reading from the whole file loaded in memory (slower, larger, but order-proof). */
async function loadWholeWorkbook(path: string, keep: (sheetName: string) => boolean): Promise<RawWorkbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const result: RawWorkbook = { sheetNames: [], sheets: new Map() };
  for (const worksheet of workbook.worksheets) {
    result.sheetNames.push(worksheet.name);
    if (!keep(worksheet.name)) continue;
    const rows: RawRow[] = [];
    worksheet.eachRow({ includeEmpty: false }, (row) => {
      const raw = rawRow(row);
      if (raw !== null) rows.push(raw);
    });
    result.sheets.set(worksheet.name, { name: worksheet.name, rows });
  }
  return result;
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
  if (value instanceof Date) return excelDateText(value);
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

/**
 * A date cell as the jury saw it (« 01/03/2026 », « 01/03/2026 14:30 »), never an ISO instant: a date
 * pasted into Motivation is sent as written. Excel dates have no time zone; exceljs reads them as UTC.
 */
function excelDateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
  const time = date.getUTCHours() * 60 + date.getUTCMinutes();
  return time === 0 ? day : `${day} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`;
}

/** One row as text, or null when every cell is empty. */
function rawRow(row: ExcelJS.Row): RawRow | null {
  const cells: string[] = [];
  const uncomputed: number[] = [];
  const formulas: FormulaCell[] = [];
  row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
    const text = cellText(cell.value);
    cells[columnNumber - 1] = text ?? '';
    if (text === null) uncomputed.push(columnNumber - 1);
    const formula = formulaText(cell.value);
    if (formula !== null) formulas.push({ column: columnNumber - 1, text: formula });
  });
  for (let i = 0; i < cells.length; i++) cells[i] ??= '';
  return cells.some((c) => c.trim() !== '') || uncomputed.length > 0 || formulas.length > 0
    ? { rowNumber: row.number, cells, uncomputed, formulas }
    : null;
}

/** The formula a cell holds (exceljs: `{ formula, result }` or `{ sharedFormula, result }`), or null. */
export function formulaText(value: ExcelJS.CellValue): string | null {
  if (value === null || typeof value !== 'object' || value instanceof Date) return null;
  if ('formula' in value && typeof value.formula === 'string') return `=${value.formula.replace(/^=/, '')}`;
  if ('sharedFormula' in value && typeof value.sharedFormula === 'string') return `formule partagée de ${value.sharedFormula}`;
  return null;
}
