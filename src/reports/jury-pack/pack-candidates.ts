/**
 * Which dossiers go into a jury pack, in which order, split by jury, and the pieces of each in
 * the programme's order.
 */
import type { Db } from '../../db/database.ts';
import { getProgramme } from '../../domain/programmes/index.ts';
import { juryGroupDimension, juryOrder, verdictOf } from '../jury-order.ts';
import { DIMENSIONS, dimensionValue, type Dimension } from '../report-columns.ts';
import type { DossierReportRow, ReportData, ReportDemarche } from '../report-data.ts';
import type { PieceRecord } from './piece-file.ts';

import type { PackScope, PackSplit, PackVerdict } from './pack-options.ts';

export type { PackScope, PackSplit, PackVerdict } from './pack-options.ts';

export interface CandidateFilter {
  /** `en_instruction` (default) or every live dossier. */
  scope: PackScope;
  /** Only these verdicts (éligibilité), when given. */
  verdicts?: readonly PackVerdict[] | undefined;
}

export { verdictOf };

/** The dimension a jury is made of: `--par`, else spécialité when mapped, else groupe instructeur. */
export function juryDimension(demarche: ReportDemarche, split: PackSplit | undefined): Dimension {
  if (split) return DIMENSIONS.find((d) => d.id === split) as Dimension;
  return juryGroupDimension(demarche);
}

/** Candidates of the pack, in jury order (src/reports/jury-order.ts). */
export function selectCandidates(data: ReportData, filter: CandidateFilter): DossierReportRow[] {
  const chosen = data.dossiers
    .filter((row) => filter.scope === 'tous' || row.state === 'en_instruction')
    .filter((row) => !filter.verdicts || filter.verdicts.length === 0 || filter.verdicts.includes(verdictOf(row)));
  return juryOrder(chosen, data.demarche);
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** One pack per jury (value of the split), or a single one; order inside each is kept. */
export function splitByJury(
  data: ReportData,
  rows: readonly DossierReportRow[],
  split: PackSplit | undefined,
): Array<{ jury: string | null; rows: DossierReportRow[] }> {
  if (!split) return [{ jury: null, rows: [...rows] }];
  const dimension = juryDimension(data.demarche, split);
  const groups = new Map<string, DossierReportRow[]>();
  for (const row of rows) {
    const value = dimensionValue(dimension, row);
    groups.set(value, [...(groups.get(value) ?? []), row]);
  }
  return [...groups.entries()].sort(([a], [b]) => collator.compare(a, b)).map(([jury, list]) => ({ jury, rows: list }));
}

export interface CandidatePiece extends PieceRecord {
  /** The programme's name of the piece, else the champ's label in the form. */
  label: string;
}

/**
 * The files of one dossier, in the programme's list of pieces (its `piece` fields, in order);
 * files of champs the programme does not name come after, in the form's order.
 */
export async function candidatePieces(db: Db, demarche: ReportDemarche, dossierNumber: number): Promise<CandidatePiece[]> {
  const pieceFields = getProgramme(demarche.programme).fields.filter((f) => f.spec.kind === 'piece');
  const rankByDescriptor = new Map<string, { rank: number; label: string }>();
  pieceFields.forEach((f, rank) => {
    const descriptor = demarche.mapping[f.spec.key];
    if (descriptor !== undefined && !rankByDescriptor.has(descriptor)) rankByDescriptor.set(descriptor, { rank, label: f.spec.label });
  });
  const files = await db
    .selectFrom('files as f')
    .leftJoin('champs as c', (join) => join.onRef('c.dossier_number', '=', 'f.dossier_number').onRef('c.champ_id', '=', 'f.champ_id'))
    .select([
      'f.descriptor_id',
      'f.position',
      'f.filename',
      'f.content_type',
      'f.checksum',
      'f.local_path',
      'f.download_error',
      'c.label',
      'c.position as champ_position',
    ])
    .where('f.dossier_number', '=', dossierNumber)
    .execute();
  const seen = new Set<string>();
  return files
    .map((f) => ({ f, known: rankByDescriptor.get(f.descriptor_id) }))
    .sort(
      (a, b) =>
        (a.known?.rank ?? pieceFields.length) - (b.known?.rank ?? pieceFields.length) ||
        (a.f.champ_position ?? 0) - (b.f.champ_position ?? 0) ||
        a.f.position - b.f.position,
    )
    .filter(({ f }) => {
      // A champ seen twice through the join (repetition rows) keeps one entry per file.
      const key = `${f.descriptor_id}|${f.position}|${f.checksum}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ f, known }) => ({
      label: known?.label ?? f.label ?? 'Pièce jointe',
      filename: f.filename,
      contentType: f.content_type,
      checksum: f.checksum,
      localPath: f.local_path,
      downloadError: f.download_error,
    }));
}
