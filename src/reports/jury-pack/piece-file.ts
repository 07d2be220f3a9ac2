/**
 * One downloaded piece as the pack can use it: PDF pages, a JPEG or PNG image, or the reason it
 * is left out (« pièce non incluse »). The file is read again and its MD5 checked against DS's
 * checksum, so a copy altered since `sync --files` is not shown to the jury as the candidate's.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EncryptedPDFError, PDFDocument } from 'pdf-lib';

export interface PieceRecord {
  filename: string;
  contentType: string;
  /** DS's checksum: base64 MD5 of the bytes. */
  checksum: string;
  localPath: string | null;
  downloadError: string | null;
}

export type LoadedPiece =
  | { kind: 'pdf'; doc: PDFDocument }
  | { kind: 'jpeg' | 'png'; bytes: Buffer }
  | { kind: 'excluded'; reason: string; cause: ExclusionCause };

/**
 * Why a piece is left out, as the CLI counts them: never downloaded (`sync --full --files`), a
 * failed download, a local copy gone or altered (`sync --files`), or a file the pack cannot embed.
 */
export type ExclusionCause = 'not_downloaded' | 'download_failed' | 'to_resync' | 'not_embeddable';

const excluded = (reason: string, cause: ExclusionCause = 'not_embeddable'): LoadedPiece => ({ kind: 'excluded', reason, cause });

/** What the bytes are, whatever the name or the announced type say (a .pdf may be a photo). */
export function sniff(bytes: Buffer): 'pdf' | 'jpeg' | 'png' | 'docx' | 'other' {
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'docx';
  return 'other';
}

function formatName(filename: string, contentType: string): string {
  const dot = filename.lastIndexOf('.');
  const ext = dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
  return ext !== '' ? `format .${ext}` : `format ${contentType}`;
}

/** A piece never downloaded: only a full pass fetches it (docs/sync.md, « Pièces jointes »). */
const NOT_DOWNLOADED_REASON = 'fichier non téléchargé (lancez « ds-ars sync --full --files »)';

export async function loadPiece(piece: PieceRecord): Promise<LoadedPiece> {
  if (piece.localPath === null) {
    return piece.downloadError
      ? excluded(`téléchargement en échec (${piece.downloadError})`, 'download_failed')
      : excluded(NOT_DOWNLOADED_REASON, 'not_downloaded');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(piece.localPath);
  } catch {
    return excluded('fichier absent du dossier local (relancez « ds-ars sync --files »)', 'to_resync');
  }
  if (createHash('md5').update(bytes).digest('base64') !== piece.checksum) {
    return excluded('somme de contrôle différente de celle de DS (fichier altéré ; relancez « ds-ars sync --files »)', 'to_resync');
  }
  const kind = sniff(bytes);
  switch (kind) {
    case 'jpeg':
    case 'png':
      return { kind, bytes };
    case 'pdf':
      try {
        const doc = await PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false });
        if (doc.getPageCount() === 0) return excluded('PDF sans page');
        return { kind: 'pdf', doc };
      } catch (error) {
        if (error instanceof EncryptedPDFError) return excluded('PDF protégé par mot de passe');
        return excluded('PDF illisible (fichier tronqué ou endommagé)');
      }
    default:
      return excluded(`${formatName(piece.filename, piece.contentType)} non intégrable (ouvrir le fichier dans DS)`);
  }
}
