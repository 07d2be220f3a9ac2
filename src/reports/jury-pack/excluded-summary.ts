/**
 * What the CLI says about the pieces left out of the jury packs: one line per démarche (dossiers
 * concerned, pieces left out, by cause, each cause's remedy once), not one line per piece — a
 * mirror synced without files leaves out every piece. The detail stays on each candidate’s summary
 * page in the pack, in `--json` and, one line per piece, in the log at the debug level.
 */
import type { Logger } from '../../logger.ts';
import type { PackRunItem } from './configured-packs.ts';
import type { ExcludedPiece } from './jury-pack.ts';
import type { ExclusionCause } from './piece-file.ts';
import { plural } from '../../shared/plural.ts';

const CAUSES: ReadonlyArray<{ cause: ExclusionCause; label: readonly [one: string, many: string]; hint: string }> = [
  { cause: 'not_downloaded', label: ['jamais téléchargée', 'jamais téléchargées'], hint: ' (lancez « ds-ars sync --full --files »)' },
  {
    cause: 'to_resync',
    label: ['absente ou altérée', 'absentes ou altérées'],
    hint: ' dans le dossier local (relancez « ds-ars sync --files »)',
  },
  { cause: 'download_failed', label: ['en échec', 'en échec'], hint: ' de téléchargement' },
  { cause: 'not_embeddable', label: ['illisible', 'illisibles'], hint: ' ou de format non intégrable (à ouvrir dans DS)' },
];

function excludedOf(item: PackRunItem): ExcludedPiece[] {
  return (item.result?.packs ?? []).flatMap((pack) => pack.excluded);
}

/** One French line per démarche with pieces left out; none when every piece is in. */
export function excludedSummaryLines(items: readonly PackRunItem[]): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const excluded = excludedOf(item);
    if (excluded.length === 0) continue;
    const dossiers = new Set(excluded.map((e) => e.dossierNumber)).size;
    const byCause = CAUSES.map(({ cause, label, hint }) => ({ label, hint, count: excluded.filter((e) => e.cause === cause).length }))
      .filter((c) => c.count > 0)
      .map((c) => `${plural(c.count, ...c.label)}${c.hint}`);
    lines.push(
      `Démarche ${item.demarche} : ${plural(excluded.length, 'pièce non incluse', 'pièces non incluses')} dans le dossier du jury, pour ${plural(dossiers, 'dossier')} — ${byCause.join(', ')}. ` +
        'Détail sur la fiche de chaque candidat dans le PDF, et avec --json.',
    );
  }
  return lines;
}

/** Each piece left out, at the debug level (DS_ARS_LOG_LEVEL=debug). */
export function logExcludedPieces(logger: Logger, items: readonly PackRunItem[]): void {
  for (const item of items) {
    for (const e of excludedOf(item)) {
      logger.debug(
        { demarche: item.demarche, dossier: e.dossierNumber, piece: e.filename, cause: e.cause },
        `Dossier ${e.dossierNumber}, pièce non incluse : ${e.filename}, ${e.reason}`,
      );
    }
  }
}
