/** « démarche n° 104512 »: the one way a démarche number is written for people (logs, CLI, mails). */
export function demarcheLabel(number: number | string): string {
  return `démarche n° ${number}`;
}

/** The same at the start of a sentence: « Démarche n° 104512 ». */
export function DemarcheLabel(number: number | string): string {
  return `Démarche n° ${number}`;
}
