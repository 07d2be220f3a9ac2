/** Instants as an ARS user reads them in messages and tables: « 07/12/2026 14:05 », Paris time. */
const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

/** « 07/12/2026 14:05 » (Europe/Paris); an unreadable date is shown as given, a missing one as « date inconnue ». */
export function frenchDateTime(iso: string | null): string {
  if (iso === null) return 'date inconnue';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : PARIS_DATE_TIME.format(date);
}
