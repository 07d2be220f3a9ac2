/**
 * « démarche 104512 »: the one way a démarche number is written for people (CLI, logs, mails,
 * workbooks) — no « n° », no digit grouping, as the existing messages already write it.
 */
export function demarcheLabel(number: number | string): string {
  return `démarche ${number}`;
}
