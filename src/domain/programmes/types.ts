export const PROGRAMME_IDS = ['aumg', 'asp', 'mgvh', 'asr', 'asap'] as const;
export type ProgrammeId = (typeof PROGRAMME_IDS)[number];

/**
 * The kind of value a semantic field holds, whatever DS champ type the form uses for it.
 * `identifier` is a code typed as text (RPPS, FINESS); `percent` a share of working time.
 */
export type FieldKind = 'text' | 'identifier' | 'date' | 'number' | 'percent' | 'boolean' | 'choice' | 'piece' | 'siret';

export interface FieldSpec {
  /** Stable semantic key used in configuration mappings and rules (`candidat.rpps`). */
  readonly key: string;
  readonly kind: FieldKind;
  /** French name shown to instructors when the champ is missing from a form. */
  readonly label: string;
  /** French wordings seen (or likely) on forms; the mapping assistant matches labels against them. */
  readonly synonyms: readonly string[];
}

export interface ProgrammeField {
  readonly spec: FieldSpec;
  /** The programme requires a value (checked by `complet.champ_requis` / `complet.piece_requise`). */
  readonly required: boolean;
}

export interface Programme {
  readonly id: ProgrammeId;
  readonly title: string;
  readonly region: string;
  /** Seed document the definition comes from (in shared/seeds). */
  readonly seed: string;
  readonly fields: readonly ProgrammeField[];
  /** Default list of required pieces (semantic keys); a démarche may override it. */
  readonly requiredPieces: readonly string[];
  /** Pieces that must be PDF by default: every piece, a list, or none. */
  readonly pdfPieces: 'all' | readonly string[] | 'none';
  /** Avis that must be attached (`avis.complets`); each may have a typed `<key>.sens` champ. */
  readonly requiredAvis: readonly string[];
}
