import type ExcelJS from 'exceljs';
import { DEFINED_NAMES, METADATA_KEYS, METADATA_SHEET, WORKBOOK_FORMAT, type MetadataKey } from '../decisions-sheet.ts';

export interface WorkbookMetadata {
  workbookId: string;
  demarcheNumber: number;
  programme: string;
  generatedAt: string;
  dossiers: number;
}

/**
 * A very hidden sheet binding the workbook to its démarche and to the `workbooks` row, plus
 * defined names pointing at the values. The decisions reader refuses a workbook without them.
 */
export function writeMetadataSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, meta: WorkbookMetadata): void {
  const sheet = workbook.addWorksheet(METADATA_SHEET, { state: 'veryHidden' });
  sheet.columns = [{ width: 20 }, { width: 40 }];
  const entries: Array<[MetadataKey, string | number]> = [
    [METADATA_KEYS.format, WORKBOOK_FORMAT],
    [METADATA_KEYS.workbookId, meta.workbookId],
    [METADATA_KEYS.demarcheNumber, meta.demarcheNumber],
    [METADATA_KEYS.programme, meta.programme],
    [METADATA_KEYS.generatedAt, meta.generatedAt],
    [METADATA_KEYS.dossiers, meta.dossiers],
  ];
  entries.forEach(([key, value], index) => {
    sheet.addRow([key, value]).commit();
    const name =
      key === METADATA_KEYS.workbookId
        ? DEFINED_NAMES.workbookId
        : key === METADATA_KEYS.demarcheNumber
          ? DEFINED_NAMES.demarcheNumber
          : key === METADATA_KEYS.generatedAt
            ? DEFINED_NAMES.generatedAt
            : null;
    if (name) workbook.definedNames.add(`'${METADATA_SHEET}'!$B$${index + 1}`, name);
  });
  sheet.commit();
}
