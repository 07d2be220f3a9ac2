/**
 * Text written into workbook cells. Values come from dossiers typed by the public, so a champ
 * may hold `=HYPERLINK(...)`, `+33…`, `@SUM(...)` or a leading tab/CR. exceljs writes strings as
 * string cells (never formulas), and every text column carries the Text number format (`@`) so
 * that a jury member editing the cell in Excel or LibreOffice does not turn it into a formula.
 */

/** Excel refuses (with a "repair" prompt) cells longer than this. */
export const MAX_CELL_TEXT = 32_767;

/** Number format that makes spreadsheet programs keep typed input as text. */
export const TEXT_FORMAT = '@';

// Characters XML 1.0 forbids (exceljs drops most, but a lone surrogate breaks the file).
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what it removes.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text a spreadsheet (or a CSV export of it) could read as a formula. */
export function isFormulaLike(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}

/**
 * A cell-safe string: forbidden characters removed, line ends as `\n` (XML readers turn a bare CR
 * into LF anyway; doing it here keeps what is written equal to what is read), cut to Excel's limit.
 */
export function cellText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const clean = value.replace(FORBIDDEN, '').replace(/\r\n?/g, '\n');
  if (clean.length <= MAX_CELL_TEXT) return clean;
  return `${clean.slice(0, MAX_CELL_TEXT - 1)}…`;
}
