import { parisDateTime } from '../shared/paris-time.ts';

/**
 * An instant in a push-back message (« déjà envoyé le … », « modifié dans DS depuis le contrôle du … »):
 * `jj/mm/aaaa hh:mm`, Paris time; a missing one reads « date inconnue », an unreadable one as given.
 */
export function frenchDateTime(iso: string | null): string {
  if (iso === null) return 'date inconnue';
  return parisDateTime(iso) || iso;
}
