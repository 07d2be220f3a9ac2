/** Where `demarche inspect` and `init` read a form: the local mirror, or DS when asked or needed. */
import { existsSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import type { ChampPresence, FormDescriptors } from '../rules/mapping/form-descriptors.ts';
import { withCommandContext } from './command-context.ts';

/**
 * The form of a démarche; with `presence`, read from the mirror, how many of its dossiers carry each
 * champ (what tells a conditional champ, see champPresence).
 */
export async function loadForm(
  command: Command,
  demarche: number,
  options: { ds?: boolean; presence?: boolean },
): Promise<FormDescriptors & { presence?: ChampPresence }> {
  // Loaded on use: the commands import parsePositiveInt from here to declare their options.
  const [{ champPresence, formFromDs, formFromMirror }, { isPostgresUrl }] = await Promise.all([
    import('../rules/mapping/form-descriptors.ts'),
    import('../db/database-url.ts'),
  ]);
  return withCommandContext(command, async (context) => {
    // No mirror yet: read DS rather than create an empty SQLite file here (only `sync` creates one).
    // A PostgreSQL URL names a server-side database that has no file to look for: read it.
    const target = context.env.DS_ARS_DB;
    if (options.ds !== true && (isPostgresUrl(target) || existsSync(target))) {
      const db = await context.database('read');
      const form = await formFromMirror(db, demarche);
      if (form !== undefined && options.presence === true)
        return {
          ...form,
          presence: await champPresence(
            db,
            demarche,
            form.champs.map((c) => c.id),
          ),
        };
      if (form !== undefined) return form;
    }
    // Not in the mirror yet: one request to DS (needs the token; the error says how to get one).
    await context.logger({ quiet: true }); // info lines would mix with the listing (the first call sets the level)
    return formFromDs(await context.dsClient(), demarche);
  });
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('un numéro de démarche (entier positif) est attendu.');
  return number;
}
