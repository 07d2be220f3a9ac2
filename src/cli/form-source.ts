/** Where `demarche inspect` and `init` read a form: the local mirror, or DS when asked or needed. */
import { existsSync } from 'node:fs';
import { loadEnv } from '../config/env.ts';
import { createDsClient } from '../context.ts';
import { openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { type FormDescriptors, formFromDs, formFromMirror } from '../rules/mapping/form-descriptors.ts';

export async function loadForm(demarche: number, options: { ds?: boolean }): Promise<FormDescriptors> {
  const env = loadEnv();
  // No mirror yet: read DS rather than create an empty database here (only `sync` creates one).
  if (options.ds !== true && existsSync(env.DS_ARS_DB)) {
    const db = await openDatabase(env.DS_ARS_DB, { access: 'read' });
    try {
      const form = await formFromMirror(db, demarche);
      if (form !== undefined) return form;
    } finally {
      await db.destroy();
    }
  }
  // Not in the mirror yet: one request to DS (needs the token; the error says how to get one).
  const logger = createLogger({ level: env.DS_ARS_LOG_LEVEL === 'info' ? 'warn' : env.DS_ARS_LOG_LEVEL });
  return formFromDs(createDsClient(env, { logger }), demarche);
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error('un numéro de démarche (entier positif) est attendu.');
  return number;
}
