/**
 * How the jury workbook prints (many ARS print it from LibreOffice or Excel): A4 landscape, one
 * page wide, header row repeated on every page, footer « <démarche> — édité le jj/mm/aaaa hh:mm —
 * page N / M ». The footer is set once per workbook; each sheet takes it when it is created.
 */
import type ExcelJS from 'exceljs';

const footers = new WeakMap<object, string>();

/** `&` starts a code in Excel header/footer text: a literal one is written `&&`. */
function footerText(text: string): string {
  return text.replace(/&/g, '&&');
}

export function setPrintFooter(workbook: ExcelJS.stream.xlsx.WorkbookWriter, demarche: string, editedAt: string): void {
  footers.set(workbook, `&C${footerText(`${demarche} — édité le ${editedAt}`)} — page &P / &N`);
}

/** Worksheet options with the print setup added (only for workbooks given a footer). */
export function withPrintSetup(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  options: Partial<ExcelJS.AddWorksheetOptions> = {},
): Partial<ExcelJS.AddWorksheetOptions> {
  const footer = footers.get(workbook);
  if (footer === undefined) return options;
  return {
    ...options,
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0, // as many pages down as needed
      printTitlesRow: '1:1',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      ...options.pageSetup,
    },
    headerFooter: { oddFooter: footer, evenFooter: footer, firstFooter: footer, ...options.headerFooter },
  };
}

/** Prints the used range only (hidden technical columns stay out of print anyway). */
export function setPrintArea(sheet: ExcelJS.Worksheet, columns: number, rows: number): void {
  if (!sheet.pageSetup?.fitToPage || columns === 0) return;
  const last = sheet.getColumn(columns).letter;
  sheet.pageSetup.printArea = `A1:${last}${Math.max(1, rows)}`;
}

/** Line height of wrapped text in points (11 pt Calibri). */
const LINE_POINTS = 15;
const MAX_ROW_POINTS = 409; // Excel's limit

/**
 * Height of a row whose wrapped cells hold `texts` in columns of the given widths: the most lines
 * any cell needs (a column width is about as many average characters). LibreOffice and Excel do
 * not grow a row by themselves when the file gives no height, so wrapped lines overlap in print.
 */
export function wrappedRowHeight(cells: ReadonlyArray<{ text: string; width: number }>): number | undefined {
  let lines = 1;
  for (const { text, width } of cells) {
    const perLine = Math.max(1, Math.floor(width * 1.1) - 1);
    const needed = text.split('\n').reduce((n, part) => n + Math.max(1, Math.ceil(part.length / perLine)), 0);
    lines = Math.max(lines, needed);
  }
  return lines > 1 ? Math.min(MAX_ROW_POINTS, lines * LINE_POINTS) : undefined;
}
