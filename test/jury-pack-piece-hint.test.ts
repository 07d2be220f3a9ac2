/**
 * A piece never downloaded (mirror synced without --files) is only fetched by a full pass:
 * docs/sync.md, « Pièces jointes » — an incremental `sync --files` downloads the files of the
 * dossiers it re-reads, so the hint shown in the jury pack must name `sync --full --files`.
 */
import { describe, expect, it } from 'vitest';
import { loadPiece } from '../src/reports/jury-pack/piece-file.ts';

describe('piece left out of the jury pack', () => {
  it('tells to run a full sync with files when the piece was never downloaded', async () => {
    const loaded = await loadPiece({
      filename: 'cv.pdf',
      contentType: 'application/pdf',
      checksum: 'x',
      localPath: null,
      downloadError: null,
    });
    expect(loaded).toEqual({
      kind: 'excluded',
      reason: 'fichier non téléchargé (lancez « ds-ars sync --full --files »)',
      cause: 'not_downloaded',
    });
  });
});
