import type ExcelJS from 'exceljs';
import { cellText, TEXT_FORMAT } from '../cell-text.ts';
import type { CellContent } from '../report-columns.ts';
import { setPrintArea, wrappedRowHeight } from './print-setup.ts';

/** A cell of a table sheet: plain content or a link (dossier number → its page in DS). */
export type TableCell = CellContent | { text: string; hyperlink: string };

export const DATE_FORMAT = 'dd/mm/yyyy';
export const DATETIME_FORMAT = 'dd/mm/yyyy hh:mm';

/** Light fills (ARGB) for what an instructor must see first. */
export const FILLS = {
  bloquant: 'FFF4CCCC',
  alerte: 'FFFCE5CD',
  ok: 'FFD9EAD3',
  editable: 'FFFFF2CC',
  header: 'FF1F4E79',
} as const;

const YIELD_EVERY = 500;

export interface SheetColumn<T> {
  header: string;
  width: number;
  /** Number format of the column; text columns use `@` so typed input stays text. */
  kind?: 'text' | 'number' | 'date' | 'datetime';
  hidden?: boolean;
  /** Left unlocked when the sheet is protected. */
  editable?: boolean;
  value(row: T): TableCell;
  /** ARGB fill for this row's cell, if any. */
  fill?(row: T): string | undefined;
}

function solid(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

const FORMATS = { text: TEXT_FORMAT, number: 'General', date: DATE_FORMAT, datetime: DATETIME_FORMAT } as const;

/** Text columns this wide wrap their text (and their rows get a height, see wrappedRowHeight). */
const WRAP_WIDTH = 30;

function columnStyle<T>(column: SheetColumn<T>): Partial<ExcelJS.Style> {
  const style: Partial<ExcelJS.Style> = {
    numFmt: FORMATS[column.kind ?? 'text'],
    alignment: { vertical: 'top', wrapText: column.width >= WRAP_WIDTH },
  };
  if (column.editable) {
    style.protection = { locked: false };
    style.fill = solid(FILLS.editable);
  }
  return style;
}

/**
 * The only way values enter a table cell: strings pass through `cellText` (never a formula
 * object), links keep a cleaned text. Anything else (numbers, dates, empty) goes as is.
 */
export function toCellValue(cell: TableCell): ExcelJS.CellValue {
  if (cell === null) return null;
  if (typeof cell === 'string') return cellText(cell);
  if (typeof cell === 'number' || cell instanceof Date) return cell;
  return { text: cellText(cell.text) ?? '', hyperlink: cell.hyperlink };
}

export const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true, color: { argb: 'FFFFFFFF' } },
  fill: solid(FILLS.header),
  alignment: { vertical: 'middle', wrapText: true },
  numFmt: TEXT_FORMAT,
};

const LINK_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF0563C1' }, underline: true };

const isEmpty = (cell: TableCell): boolean => cell === null || (typeof cell === 'string' && cell.trim() === '');

/**
 * A column no row fills (no « Traité le » while every dossier is in instruction, no « Ordre de
 * priorité » in a programme without one) is hidden, so it is not printed either; the jury's own
 * columns (editable) always show.
 */
function hideEmptyColumns<T>(columns: readonly SheetColumn<T>[], rows: Iterable<T>): readonly SheetColumn<T>[] {
  if (!Array.isArray(rows) || rows.length === 0) return columns;
  const list = rows as readonly T[];
  return columns.map((c) => (c.hidden || c.editable || list.some((row) => !isEmpty(c.value(row))) ? c : { ...c, hidden: true }));
}

/**
 * Writes a header row and one committed row per item (streaming: rows are not kept in memory),
 * then sets the autofilter over the whole table. Returns the number of data rows.
 */
export async function writeTable<T>(sheet: ExcelJS.Worksheet, givenColumns: readonly SheetColumn<T>[], rows: Iterable<T>): Promise<number> {
  const columns = hideEmptyColumns(givenColumns, rows);
  sheet.columns = columns.map((c) => ({ width: c.width, hidden: c.hidden ?? false, style: columnStyle(c) }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.height = 32;
  header.eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  header.commit();

  // One shared style object per variant: exceljs caches style ids by object identity, so this
  // avoids re-serialising a style for each of the ~250 000 cells of a large démarche.
  const base = columns.map((c) => ({ ...columnStyle(c) }));
  const variants = new Map<string, Partial<ExcelJS.Style>>();
  const styleFor = (index: number, value: ExcelJS.CellValue, fill: string | undefined): Partial<ExcelJS.Style> => {
    const column = columns[index];
    const date = value instanceof Date && column?.kind !== 'date' && column?.kind !== 'datetime';
    const link = value !== null && typeof value === 'object' && 'hyperlink' in value;
    if (!date && !link && !fill) return base[index] ?? {};
    const key = `${index}|${date ? 'd' : ''}|${link ? 'l' : ''}|${fill ?? ''}`;
    let style = variants.get(key);
    if (!style) {
      style = { ...base[index] };
      if (date) style.numFmt = DATE_FORMAT;
      if (link) style.font = LINK_FONT;
      if (fill) style.fill = solid(fill);
      variants.set(key, style);
    }
    return style;
  };

  const wrapped = columns.flatMap((c, index) => (c.width >= WRAP_WIDTH && !c.hidden ? [{ index, width: c.width }] : []));
  let count = 0;
  for (const item of rows) {
    const row = sheet.addRow(columns.map((c) => toCellValue(c.value(item))));
    columns.forEach((column, index) => {
      const cell = row.getCell(index + 1);
      cell.style = styleFor(index, cell.value, column.fill?.(item));
    });
    const height = wrappedRowHeight(wrapped.map(({ index, width }) => ({ text: String(row.getCell(index + 1).text ?? ''), width })));
    if (height !== undefined) row.height = height;
    row.commit();
    // Let the zip stream drain the committed XML; otherwise a whole sheet piles up in memory.
    if (++count % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: count + 1, column: columns.length } };
  // Up to the last visible column: hidden technical columns stay out of print.
  setPrintArea(sheet, columns.findLastIndex((c) => !c.hidden) + 1, count + 1);
  return count;
}

/** Frozen header row (and first column) for table sheets. */
export const FROZEN_HEADER: Partial<ExcelJS.AddWorksheetOptions> = {
  views: [{ state: 'frozen', xSplit: 1, ySplit: 1, topLeftCell: 'B2', activeCell: 'B2' }],
};
