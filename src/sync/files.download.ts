import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Db } from '../db/database.ts';
import type { DsClient } from '../graphql/client.ts';
import { toError } from '../errors.ts';
import type { FileToFetch } from './flatten-dossier.ts';

export interface FileJob extends FileToFetch {
  /** Path of a previous download with the same checksum, if any. */
  localPath: string | null;
}

export interface FileFailure {
  dossierNumber: number;
  filename: string;
  message: string;
}

export interface FilesResult {
  downloaded: number;
  skipped: number;
  failed: FileFailure[];
}

export interface DownloadOptions {
  /** Private root folder (DS_ARS_FILES_DIR). */
  dir: string;
  /** Parallel downloads; each still takes a token from the client's shared budget. */
  concurrency?: number | undefined;
  at?: () => string;
}

/**
 * A file name safe on any file system: no path separators, control or reserved characters, no
 * leading dot, at most 120 characters with the extension kept.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are not allowed in file names.
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (cleaned === '') return 'fichier';
  if (cleaned.length <= 120) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 120 - ext.length) + ext;
}

/** DS checksums are base64 MD5 (Active Storage); as hex they make a safe folder name. */
export function checksumFolder(checksum: string): string {
  const bytes = Buffer.from(checksum, 'base64');
  return bytes.length === 16 ? bytes.toString('hex') : createHash('sha256').update(checksum).digest('hex').slice(0, 32);
}

/** `<dir>/<dossier>/<md5 hex>/<safe name>`: one copy per content, grouped by dossier. */
export function localPathFor(dir: string, job: Pick<FileToFetch, 'dossierNumber' | 'checksum' | 'filename'>): string {
  return join(dir, String(job.dossierNumber), checksumFolder(job.checksum), safeFileName(job.filename));
}

/**
 * Downloads the files of a page right after it is written (DS links expire after 1 h), with
 * bounded concurrency. A file already present with the same checksum is skipped. The MD5 of
 * the bytes must equal DS's checksum; a mismatch or a failed download is recorded on that file
 * (`files.download_error`) and returned, never thrown: other files carry on.
 */
export async function downloadFiles(client: DsClient, db: Db, jobs: readonly FileJob[], options: DownloadOptions): Promise<FilesResult> {
  const result: FilesResult = { downloaded: 0, skipped: 0, failed: [] };
  const at = options.at ?? (() => new Date().toISOString());
  const queue = jobs.filter((job) => {
    const present = job.localPath !== null && existsSync(job.localPath);
    if (present) result.skipped++;
    return !present;
  });
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const key = { dossier: job.dossierNumber, champ: job.champId, position: job.position, checksum: job.checksum };
      try {
        const path = await fetchOne(client, job, options.dir);
        await db
          .updateTable('files')
          .set({ local_path: path, downloaded_at: at(), download_error: null })
          .where('dossier_number', '=', key.dossier)
          .where('champ_id', '=', key.champ)
          .where('position', '=', key.position)
          .where('checksum', '=', key.checksum)
          .execute();
        result.downloaded++;
      } catch (error) {
        const message = toError(error).message;
        result.failed.push({ dossierNumber: job.dossierNumber, filename: job.filename, message });
        await db
          .updateTable('files')
          .set({ local_path: null, download_error: message })
          .where('dossier_number', '=', key.dossier)
          .where('champ_id', '=', key.champ)
          .where('position', '=', key.position)
          .where('checksum', '=', key.checksum)
          .execute();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return result;
}

async function fetchOne(client: DsClient, job: FileJob, dir: string): Promise<string> {
  const target = localPathFor(dir, job);
  const folder = join(dir, String(job.dossierNumber), checksumFolder(job.checksum));
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const response = await client.download(job.url, { context: `dossier ${job.dossierNumber}, fichier « ${job.filename} »` });
  if (response.body === null) throw new Error(`Fichier « ${job.filename} » du dossier ${job.dossierNumber} : réponse vide de DS.`);
  const temp = join(folder, `.partiel-${randomBytes(6).toString('hex')}`);
  const md5 = createHash('md5');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), hashing, createWriteStream(temp, { mode: 0o600 }));
    const actual = md5.digest('base64');
    if (actual !== job.checksum) {
      throw new Error(
        `Somme de contrôle incorrecte pour « ${job.filename} » (dossier ${job.dossierNumber}) : DS annonce ${job.checksum}, reçu ${actual}. Fichier non conservé.`,
      );
    }
    await chmod(temp, 0o600);
    await rename(temp, target);
    return target;
  } finally {
    await rm(temp, { force: true });
  }
}

/** Deletes local copies no mirror row points to any more (replaced or removed in DS). */
export async function removeOrphans(paths: readonly string[]): Promise<void> {
  for (const path of paths) await unlink(path).catch(() => undefined);
}
