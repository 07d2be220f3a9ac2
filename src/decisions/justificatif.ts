import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { AppError } from '../errors.ts';
import type { Justificatif } from '../pushback/plan.ts';

/**
 * Describes the configured justificatif (`decisions.justificatif`) the way DS's direct upload
 * wants it: size and MD5 in base64 (NOTES.md §3). Only PDF, as the ARS sends decision letters.
 * The checksum is part of each mutation's payload hash, so changing the file is a new write.
 */
export async function readJustificatif(path: string, demarcheNumber: number): Promise<Justificatif> {
  const where = `demarches[numéro ${demarcheNumber}].decisions.justificatif`;
  if (extname(path).toLowerCase() !== '.pdf') {
    throw new AppError('config', `${where} : « ${path} » n’est pas un PDF ; indiquez un fichier .pdf ou null.`);
  }
  const absolute = resolve(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (cause) {
    throw new AppError('config', `${where} : fichier « ${path} » illisible ; vérifiez le chemin (relatif au dossier courant).`, { cause });
  }
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new AppError('config', `${where} : « ${path} » ne commence pas comme un PDF ; vérifiez le fichier.`);
  }
  return {
    path: absolute,
    filename: basename(absolute),
    contentType: 'application/pdf',
    byteSize: bytes.byteLength,
    checksum: createHash('md5').update(bytes).digest('base64'),
  };
}
