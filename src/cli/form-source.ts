/** Where `demarche inspect` and `init` read a form: the local mirror, or DS when asked or needed. */
import { existsSync } from 'node:fs';
import type { ChampPresence, FormDescriptors } from '../rules/mapping/form-descriptors.ts';

/**
 * The form of a démarche; with `presence`, read from the mirror, how many of its dossiers carry each
 * champ (what tells a conditional champ, see champPresence).
 */
export async function loadForm(demarche: number, options: { ds?: boolean; presence?: boolean }): Promise<FormDescriptors & { presence?: ChampPresence }> {
  // Loaded on use: the commands import parsePositiveInt from here to declare their options.
  const [{ loadEnv }, { createDsClient }, { openDatabase }, { createLogger }, { champPresence, formFromDs, formFromMirror }] = await Promise.all([import('../config/env.ts'), import('../context.ts'), import('../db/database.ts'), import('../logger.ts'), import('../rules/mapping/form-descriptors.ts')]);
  const env = loadEnv();
  // No mirror yet: read DS rather than create an empty database here (only `sync` creates one).
  if (options.ds !== true && existsSync(env.DS_ARS_DB)) {
    const db = await openDatabase(env.DS_ARS_DB, { access: 'read' });
    try {
      const form = await formFromMirror(db, demarche);
      if (form !== undefined && options.presence === true) return { ...form, presence: await champPresence(db, demarche, form.champs.map((c) => c.id)) };
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
