import type { Db } from '../db/database.ts';
import { WorkbookError } from '../errors.ts';
import { METADATA_KEYS, WORKBOOK_FORMAT } from '../reports/decisions-sheet.ts';
import type { RawSheet } from './read-workbook.ts';

/** What binds a reviewed workbook to its démarche: the report's hidden metadata. */
export interface WorkbookBinding {
  workbookId: string;
  demarcheNumber: number;
  generatedAt: string | null;
}

function refuse(path: string, why: string): never {
  throw new WorkbookError('workbook', `Classeur refusé (${path}) : ${why}`);
}

/** Reads the very hidden metadata sheet written by `ds-ars report` (key in A, value in B). Refuses the file without it. */
export function readBinding(sheet: RawSheet | undefined, path: string): WorkbookBinding {
  if (sheet === undefined) {
    refuse(
      path,
      'métadonnées absentes ; seul un classeur produit par « ds-ars report » peut être appliqué (copier les lignes dans un autre fichier les perd).',
    );
  }
  const values = new Map<string, string>();
  for (const row of sheet.rows) {
    const key = row.cells[0]?.trim();
    if (key) values.set(key, row.cells[1]?.trim() ?? '');
  }
  const format = values.get(METADATA_KEYS.format);
  if (format !== WORKBOOK_FORMAT) {
    refuse(
      path,
      `format « ${format ?? 'inconnu'} » non pris en charge (attendu « ${WORKBOOK_FORMAT} ») ; refaites le rapport avec cette version de ds-ars.`,
    );
  }
  const workbookId = values.get(METADATA_KEYS.workbookId) ?? '';
  const demarche = values.get(METADATA_KEYS.demarcheNumber) ?? '';
  if (workbookId === '' || !/^\d+$/.test(demarche))
    refuse(path, 'métadonnées incomplètes (identifiant du classeur ou numéro de démarche) ; refaites le rapport.');
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
    refuse(
      path,
      `identifiant « ${binding.workbookId} » inconnu de cette base ; appliquez le classeur sur l’installation qui l’a produit, ou refaites le rapport.`,
    );
  }
  if (known.demarche_number !== binding.demarcheNumber) {
    refuse(
      path,
      `ses métadonnées indiquent la démarche ${binding.demarcheNumber} alors qu’il a été produit pour la démarche ${known.demarche_number} ; refaites le rapport.`,
    );
  }
}
