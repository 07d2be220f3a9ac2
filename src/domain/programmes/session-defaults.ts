/**
 * Default thresholds of a call for applications, from the seeds (shared/seeds). Each call sets
 * its own in the configuration's session block; these apply where it says nothing. Imports
 * nothing: the configuration schema reads them too.
 */
export const SESSION_THRESHOLD_DEFAULTS = {
  /** Seed 002 volet 2: « zone sous-dense de la structure de soins (ZIP, ZIP+, ZAC, QPV) ». */
  zones: { accepted: ['ZIP', 'ZIP+', 'ZAC', 'QPV'] as readonly string[], refuseOther: true },
  /** Seed 002: « être diplômé du Diplôme d'Etat de Médecine Générale ». */
  requiredDes: ['médecine générale'] as readonly string[],
  /** Seed 002 « dans les 4 à 5 années qui suivent la fin de l'internat »; PROGRAMMES.md: both ends included. */
  postInternship: { alertFromYears: 4, maxYears: 5, alertFromIncluded: true, maxIncluded: true },
  /** Seed 003: « au moins 1 journée et au plus 40 % … au CHU », « au minimum à 60 % » au CH, 100 % together. */
  timeSplitAsr: { chuMinPercent: 20, chuMaxPercent: 40, chMinPercent: 60, totalPercent: 100 },
  /** Seed 004: structure ambulatoire « à hauteur de 50% minimum »; hospital + ambulatory = 100 %. */
  timeSplitAsap: { ambulatoryMinPercent: 50, totalPercent: 100 },
} as const;

/** Durations (years) a post may have, per programme, where the seed lists them. */
export const DURATION_DEFAULTS: Readonly<Record<string, readonly number[]>> = {
  // Seed 003: « Durée de fonctions prévue : 1 an / 2 ans ».
  asr: [1, 2],
  // Seed 002: « pour une durée de 2 ans » (renewal is another contract).
  aumg: [2],
};
