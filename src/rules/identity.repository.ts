/** Identifying champ values of a démarche's dossiers, read from the mirror's champs table. */
import type { Db } from '../db/database.ts';
import type { IdentityValues } from './catalogue/doublon.ts';

export interface IdentityDescriptors {
  readonly rpps: string | null;
  readonly nom: string | null;
  readonly prenom: string | null;
  readonly naissance: string | null;
}

// The sync stores each champ's typed value as JSON (TextChamp: its text, DateChamp: its ISO date),
// which is what the Candidature reads as `raw`; the display string is the fallback.
function rawOf(typed: string | null, display: string | null): string | null {
  if (typed !== null) {
    try {
      const value: unknown = JSON.parse(typed);
      if (typeof value === 'string') return value.trim() === '' ? null : value;
      if (typeof value === 'number') return String(value);
    } catch {
      // not JSON: use the display value
    }
  }
  return display === null || display.trim() === '' ? null : display;
}

/** Values of the identifying champs for the given dossiers (top-level champs only). */
export async function identityValues(
  db: Db,
  dossiers: readonly number[],
  descriptors: IdentityDescriptors,
): Promise<Map<number, IdentityValues>> {
  const ids = [descriptors.rpps, descriptors.nom, descriptors.prenom, descriptors.naissance].filter((id): id is string => id !== null);
  const out = new Map<number, { rpps: string | null; nom: string | null; prenom: string | null; naissance: string | null }>();
  for (const number of dossiers) out.set(number, { rpps: null, nom: null, prenom: null, naissance: null });
  if (ids.length === 0 || dossiers.length === 0) return out;
  // One indexed query on the four descriptor ids (stable ids belong to this démarche's form), then
  // keep the wanted dossiers: faster than thousands of bound dossier numbers.
  const rows = await db
    .selectFrom('champs')
    .select(['dossier_number', 'descriptor_id', 'typed_value', 'string_value'])
    .where('descriptor_id', 'in', ids)
    .where('scope', '=', 'champ')
    .where('row_id', 'is', null)
    .execute();
  for (const row of rows) {
    const entry = out.get(row.dossier_number);
    if (entry === undefined) continue;
    const raw = rawOf(row.typed_value, row.string_value);
    if (row.descriptor_id === descriptors.rpps) entry.rpps = raw;
    if (row.descriptor_id === descriptors.nom) entry.nom = raw;
    if (row.descriptor_id === descriptors.prenom) entry.prenom = raw;
    if (row.descriptor_id === descriptors.naissance) entry.naissance = raw;
  }
  return out;
}
