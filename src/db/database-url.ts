/**
 * What a DS_ARS_DB value names, and how it is shown, without loading kysely: the CLI's error
 * printing needs these at start-up, where dialect.ts (and kysely with it) is loaded only on demand.
 */

/** DS_ARS_DB names a PostgreSQL server when it is a postgres:// or postgresql:// URL. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target.trim());
}

/** The URL without its password (and without query parameters that could carry one). */
export function redactPostgresUrl(target: string): string {
  try {
    const url = new URL(target.trim());
    if (url.password !== '') url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|key/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return 'postgres://(URL illisible)';
  }
}
