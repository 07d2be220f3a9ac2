/** Where `demarche inspect` and `init` read a form: the local mirror, or DS when asked or needed. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { FormDescriptors } from '../rules/mapping/form-descriptors.ts';
import { withCommandContext } from './command-context.ts';

export async function loadForm(command: Command, demarche: number, options: { ds?: boolean }): Promise<FormDescriptors> {
  // Loaded on use: the commands import parsePositiveInt from here to declare their options.
  const { formFromDs, formFromMirror } = await import('../rules/mapping/form-descriptors.ts');
  return withCommandContext(command, async (context) => {
    // No mirror yet: read DS rather than create an empty database here (only `sync` creates one).
    if (options.ds !== true && existsSync(context.env.DS_ARS_DB)) {
      const form = await formFromMirror(await context.database('read'), demarche);
      if (form !== undefined) return form;
    }
    // Not in the mirror yet: one request to DS (needs the token; the error says how to get one).
    await context.logger({ quiet: true }); // info lines would mix with the listing (the first call sets the level)
    return formFromDs(await context.dsClient(), demarche);
  });
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error('un numéro de démarche (entier positif) est attendu.');
  return number;
}
