/**
 * Deterministic file bytes (valid PDFs of 1 to 3 pages, now and then one cut short; JPEG and PNG
 * scans; DOCX-like), DS checksums and signed URLs.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { FileSpec } from './model.ts';

export interface FileBytes {
  bytes: Buffer;
  checksum: string;
}

export function md5Base64(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

const PDF_SLOT = 64;

/**
 * A PDF of `pages` pages built once; each file differs by a fixed-width comment, so offsets
 * never move and a file costs one copy of the template.
 */
function pdfTemplate(pages: number): { bytes: Buffer; slotAt: number } {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', ''];
  const kids: string[] = [];
  for (let page = 1; page <= pages; page++) {
    const stream = `BT /F1 12 Tf 72 720 Td (Piece justificative - dossier ARS - page ${page} / ${pages}) Tj ET`;
    const pageObj = objects.length + 1;
    kids.push(`${pageObj} 0 R`);
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${pageObj + 2} 0 R >> >> /Contents ${pageObj + 1} 0 R >>`,
      `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    );
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
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
}

const PDF_TEMPLATES = [pdfTemplate(1), pdfTemplate(2), pdfTemplate(3)] as const;

/** One byte of the identity's hash: drives page counts and the rare unreadable file. */
const identityByte = (identity: string, at: number): number => createHash('sha256').update(identity).digest()[at] ?? 0;

/** Pages of a simulated PDF piece: 1 to 3, fixed by the file's identity. */
export function pdfPageCount(identity: string): number {
  return 1 + (identityByte(identity, 0) % 3);
}

/**
 * About one PDF in 23 is cut short, as an upload interrupted on the candidate's side that DS kept
 * anyway: its checksum matches, yet no reader can open it.
 */
export function isTruncatedPdf(identity: string): boolean {
  return identityByte(identity, 1) % 23 === 0;
}

function minimalPdf(label: string, identity: string): Buffer {
  const template = PDF_TEMPLATES[pdfPageCount(identity) - 1] ?? PDF_TEMPLATES[0];
  const bytes = Buffer.from(template.bytes);
  const ascii = label
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, PDF_SLOT)
    .padEnd(PDF_SLOT, ' ');
  bytes.write(ascii, template.slotAt, 'latin1');
  return isTruncatedPdf(identity) ? bytes.subarray(0, Math.floor(bytes.length * 0.6)) : bytes;
}

/** A real 83×117 grey scan (baseline JPEG); each file adds a comment segment so checksums differ. */
const SCAN_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEACgAKAAD/2wBDACAWGBwYFCAcGhwkIiAmMFA0MCwsMGJGSjpQdGZ6eHJmcG6AkLicgIiuim5woNqirr7EztDOfJri8uDI8LjKzsb/2wBDASIkJDAqMF40NF7GhHCExsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsb/wAARCAB1AFMDASIAAhEBAxEB/8QAGQABAQEBAQEAAAAAAAAAAAAAAAMEAgEG/8QAMxAAAQIDBAkCBgIDAAAAAAAAAAECAwQSEWOT4hMUIVNVkaLR0lFkMUFUYZKhscJCccH/xAAUAQEAAAAAAAAAAAAAAAAAAAAA/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8A+gAIpLonwe9PsigWBHV03kT8hoEsREiRE/077gWBFZdF/wA4n5HSQrGK2t+23bbtAoCSQbH1VvX7KuwqAAAAAACNMxvYWGvkWMmr+yleeUCtMxvYWGvkKZjewsNfIlq/spXnlGr+yleeUCtMxvYWGvkKZjewsNfIlq/spXnlGr+yleeUCtMxvYWGvkKZjewsNfIlq/spXnlKMlYKtSuWgo75ojUVP4A9pmN7Cw18ijEcjUrVFd81RLEDGNY1GsajWp8ERLEOgAAAGSi4msbMazJXfzWDlAUXE1jZhRcTWNmFd/NYOUV381g5QFFxNY2YUXE1jZhXfzWDlFd/NYOUCiRXtRESWjbNm1zV/se6Z/00Xm3uSrv5rBylGQ3vajkmI1i+rWovJWge6Z/00Xm3uUYquaiq1Wr6LZb+gxFa1EVyuX1Wy39HQAAADJpIXEOpnY1kaZjewsNfICWkhcQ6mdhpIXEOpnYrTMb2Fhr5CmY3sLDXyAlpIXEOpnYaSFxDqZ2K0zG9hYa+QpmN7Cw18gPEmpdERFmYa2fNXptPdal/qIX5oKZjewsNfIUzG9hYa+QDWpf6iF+aFGPa9qOY5HNX4Ki2oGI5GpWqK75qiWIdAAAAMmr+yleeU1mSi4msbMA1f2UrzyjV/ZSvPKKLiaxswouJrGzANX9lK88o1f2Urzyii4msbMKLiaxswFElYFiVS8FF+aI1F/4VYxrGo1jUa1PgiJYhmouJrGzCi4msbMBrBBkBjmoq6Zq+ixXW/pSrGoxqNS2xPVVVeagdAAAZK7+awcprMmkhcQ6mdgFd/NYOUV381g5RpIXEOpnYaSFxDqZ2AV381g5RXfzWDlGkhcQ6mdhpIXEOpnYCiQnuRFSZjbdu1rU/qVYitaiK5XL6rZb+jNpIXEOpnYaSFxDqZ2A1ggxivajmTcRzV+CpQqfwVYitaiK5XL6rZb+gOgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB/9k=',
  'base64',
);

function scanJpeg(label: string): Buffer {
  const comment = Buffer.from(
    label
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .slice(0, 200),
    'latin1',
  );
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(comment.length + 2, 2);
  return Buffer.concat([SCAN_JPEG.subarray(0, 2), segment, comment, SCAN_JPEG.subarray(2)]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A real 8-bit grey PNG « scan » (120×170) whose text lines follow the label's hash. */
function scanPng(label: string): Buffer {
  const [width, height] = [120, 170];
  const hash = createHash('sha256').update(label).digest();
  const raw = Buffer.alloc((width + 1) * height, 0xff);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    const line = Math.floor((y - 14) / 8);
    if (y < 14 || (y - 14) % 8 > 3 || line >= 18) continue;
    const length = 40 + ((hash[line] ?? 0) % 60);
    for (let x = 10; x < 10 + length; x++) raw[y * (width + 1) + 1 + x] = 0x40;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('tEXt', Buffer.from(`Comment\0${label.normalize('NFKD').replace(/[^\x20-\x7e]/g, '')}`, 'latin1')),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
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
  const bytes =
    lower.endsWith('.pdf') && spec.contentType === 'application/pdf'
      ? minimalPdf(label, identity)
      : lower.endsWith('.docx')
        ? zipLike(label)
        : lower.endsWith('.png')
          ? scanPng(label)
          : scanJpeg(label);
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
