// Apart from the rule catalogue, so that `ds-ars check` prints these lines without loading it at start-up.

/** A rule that cannot run (wholly or partly) for any dossier of a démarche, and why. */
export interface UncheckedRule {
  readonly ruleId: string;
  readonly title: string;
  /** French: what the configuration lacks. */
  readonly reasons: readonly string[];
}

/** One line per rule: « Numéro FINESS valide (id.finess) : aucun champ … ». */
export function uncheckedLine(u: UncheckedRule): string {
  return `${u.title} (${u.ruleId}) : ${u.reasons.join(' ; ')}`;
}
