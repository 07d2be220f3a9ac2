/** Deterministic file bytes (minimal valid PDF, JPEG, DOCX-like), DS checksums and signed URLs. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FileSpec } from './model.ts';

export interface FileBytes {
  bytes: Buffer;
  checksum: string;
}

export function md5Base64(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

const PDF_SLOT = 64;

/** A one-page PDF built once; each file differs by a fixed-width comment, so offsets never move. */
const PDF_TEMPLATE = ((): { bytes: Buffer; slotAt: number } => {
  const stream = 'BT /F1 12 Tf 72 720 Td (Piece justificative - dossier ARS) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const head = '%PDF-1.4\n%';
  let body = `${head}${' '.repeat(PDF_SLOT)}\n`;
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return { bytes: Buffer.from(body, 'latin1'), slotAt: head.length };
})();

function minimalPdf(label: string): Buffer {
  const bytes = Buffer.from(PDF_TEMPLATE.bytes);
  const ascii = label.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').slice(0, PDF_SLOT).padEnd(PDF_SLOT, ' ');
  bytes.write(ascii, PDF_TEMPLATE.slotAt, 'latin1');
  return bytes;
}

function minimalJpeg(seedText: string): Buffer {
  const filler = createHash('sha256').update(seedText).digest();
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    Buffer.from([0xff, 0xfe, 0x00, filler.length + 2]),
    filler,
    Buffer.from([0xff, 0xd9]),
  ]);
}

function zipLike(seedText: string): Buffer {
  // A local file header is enough for sniffers that check "PK\x03\x04" (the .docx signature).
  const name = Buffer.from('word/document.xml');
  const content = Buffer.from(`<w:document><w:body><w:p><w:t>${seedText}</w:t></w:p></w:body></w:document>`);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(content.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name, content]);
}

/** Identity of one attached file: its bytes, checksum and URL derive from it. */
export const fileIdentity = (dossier: number, stableId: number, index: number): string => `${dossier}-${stableId}-${index}`;

const summaries = new Map<string, { checksum: string; byteSize: number }>();
// DS keeps each blob's checksum from the upload; the memo plays that part (bounded for long test runs).
const MAX_SUMMARIES = 200_000;

/** Checksum and size without keeping the bytes. */
export function fileSummary(spec: FileSpec, identity: string): { checksum: string; byteSize: number } {
  const key = `${identity}|${spec.filename}|${spec.contentType}`;
  let found = summaries.get(key);
  if (!found) {
    const { bytes, checksum } = fileBytes(spec, identity);
    found = { checksum, byteSize: bytes.length };
    if (summaries.size >= MAX_SUMMARIES) summaries.clear();
    summaries.set(key, found);
  }
  return found;
}

/** The bytes follow the file name's extension; the content type may lie (invalid cases). */
export function fileBytes(spec: FileSpec, identity: string): FileBytes {
  const lower = spec.filename.toLowerCase();
  const label = `${spec.filename} - ${identity}`;
  const bytes = lower.endsWith('.pdf') && spec.contentType === 'application/pdf'
    ? minimalPdf(label)
    : lower.endsWith('.docx')
      ? zipLike(label)
      : minimalJpeg(label);
  return { bytes, checksum: md5Base64(bytes) };
}

export const URL_LIFETIME_MS = 3_600_000;

/** HMAC of path and expiry, like ActiveStorage's signed URLs. */
export function sign(secret: string, path: string, expires: number): string {
  return signUncached(secret, path, expires);
}

function signUncached(secret: string, path: string, expires: number): string {
  return createHmac('sha256', secret).update(`${path}|${expires}`).digest('base64url').slice(0, 32);
}

export function verifySignature(secret: string, path: string, expires: number, sig: string): boolean {
  const expected = Buffer.from(sign(secret, path, expires));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
