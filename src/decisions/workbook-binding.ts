import type ExcelJS from 'exceljs';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { METADATA_KEYS, METADATA_SHEET, WORKBOOK_FORMAT } from '../reports/decisions-sheet.ts';
import { cellText } from './read-workbook.ts';

/** What binds a reviewed workbook to its démarche: the report's hidden metadata. */
export interface WorkbookBinding {
  workbookId: string;
  demarcheNumber: number;
  generatedAt: string | null;
}

function refuse(path: string, why: string): never {
  throw new AppError('workbook', `Classeur refusé (${path}) : ${why}`);
}

/** Reads the very hidden metadata sheet written by `ds-ars report`. Refuses the file without it. */
export function readBinding(workbook: ExcelJS.Workbook, path: string): WorkbookBinding {
  const sheet = workbook.getWorksheet(METADATA_SHEET);
  if (sheet === undefined) {
    refuse(path, 'métadonnées absentes ; seul un classeur produit par « ds-ars report » peut être appliqué (copier les lignes dans un autre fichier les perd).');
  }
  const values = new Map<string, string>();
  sheet.eachRow((row) => {
    const key = cellText(row.getCell(1).value)?.trim();
    if (key) values.set(key, cellText(row.getCell(2).value)?.trim() ?? '');
  });
  const format = values.get(METADATA_KEYS.format);
  if (format !== WORKBOOK_FORMAT) {
    refuse(path, `format « ${format ?? 'inconnu'} » non pris en charge (attendu « ${WORKBOOK_FORMAT} ») ; refaites le rapport avec cette version de ds-ars.`);
  }
  const workbookId = values.get(METADATA_KEYS.workbookId) ?? '';
  const demarche = values.get(METADATA_KEYS.demarcheNumber) ?? '';
  if (workbookId === '' || !/^\d+$/.test(demarche)) refuse(path, 'métadonnées incomplètes (identifiant du classeur ou numéro de démarche) ; refaites le rapport.');
  return { workbookId, demarcheNumber: Number(demarche), generatedAt: values.get(METADATA_KEYS.generatedAt) || null };
}

/**
 * Checks the binding against the `workbooks` table (the id must be one this installation
 * produced, for the same démarche) and against the démarche asked for on the command line.
 */
export async function checkBinding(db: Db, binding: WorkbookBinding, path: string, expectedDemarche: number | undefined): Promise<void> {
  if (expectedDemarche !== undefined && expectedDemarche !== binding.demarcheNumber) {
    refuse(path, `il appartient à la démarche ${binding.demarcheNumber}, pas à la démarche ${expectedDemarche} demandée.`);
  }
  const known = await db.selectFrom('workbooks').select(['demarche_number']).where('id', '=', binding.workbookId).executeTakeFirst();
  if (known === undefined) {
    refuse(path, `identifiant « ${binding.workbookId} » inconnu de cette base ; appliquez le classeur sur l’installation qui l’a produit, ou refaites le rapport.`);
  }
  if (known.demarche_number !== binding.demarcheNumber) {
    refuse(path, `ses métadonnées indiquent la démarche ${binding.demarcheNumber} alors qu’il a été produit pour la démarche ${known.demarche_number} ; refaites le rapport.`);
  }
}
