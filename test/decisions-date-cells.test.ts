/**
 * A date pasted into a jury cell (Motivation) reaches DS as the jury saw it, never as an ISO instant
 * nor a serial number (issue #13: what is sent is what the jury wrote).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readWorkbook } from '../src/decisions/read-workbook.ts';

const dir = mkdtempSync(join(tmpdir(), 'ds-ars-date-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('date cells of a filled workbook', () => {
  it('read as « jj/mm/aaaa », with the time only when the cell has one', async () => {
    const path = join(dir, 'dates.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Décisions');
    sheet.addRow(['N° dossier', 'Décision', 'Motivation']);
    const day = sheet.addRow([101, 'Refuser', new Date(Date.UTC(2026, 2, 1))]);
    day.getCell(3).numFmt = 'dd/mm/yyyy';
    const withTime = sheet.addRow([102, 'Refuser', new Date(Date.UTC(2026, 11, 24, 14, 30))]);
    withTime.getCell(3).numFmt = 'dd/mm/yyyy hh:mm';
    await workbook.xlsx.writeFile(path);

    const read = await readWorkbook(path, () => true);
    const rows = read.sheets.get('Décisions')?.rows ?? [];
    expect(rows.map((r) => r.cells)).toEqual([
      ['N° dossier', 'Décision', 'Motivation'],
      ['101', 'Refuser', '01/03/2026'],
      ['102', 'Refuser', '24/12/2026 14:30'],
    ]);
  });
});
