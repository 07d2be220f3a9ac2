import { z } from 'zod';

/** The choices of a list champ as the mirror stores them (`options_json`, written by sync). */
export interface StoredOptions {
  readonly options: string[] | null;
  /** DS's « Autre » free answer; null when the type has none or the row predates it. */
  readonly otherOption: boolean | null;
}

// Sync stores `{ options, otherOption? }`; a bare list (older rows) is accepted too.
const storedOptionsSchema = z.union([
  z.array(z.string()).transform((options) => ({ options, otherOption: null })),
  z.object({ options: z.array(z.string()).nullable(), otherOption: z.boolean().nullable().optional() }).transform((o) => ({
    options: o.options,
    otherOption: o.otherOption ?? null,
  })),
]);

const NONE: StoredOptions = { options: null, otherOption: null };

/** Reads `options_json`; anything unreadable is "no options", never an exception. */
export function readStoredOptions(json: string | null): StoredOptions {
  if (json === null) return NONE;
  try {
    const parsed = storedOptionsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : NONE;
  } catch {
    return NONE;
  }
}
