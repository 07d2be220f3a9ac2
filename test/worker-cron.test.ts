import { describe, expect, it } from 'vitest';
import { AppError, isUsageError } from '../src/errors.ts';
import { localTimeToInstant, previousOccurrence, validateSchedule } from '../src/worker/cron.ts';

describe('previousOccurrence', () => {
  it.each([
    // [expression, timezone, now, expected]
    ['30 2 * * *', 'Europe/Paris', '2026-11-27T01:29:59Z', '2026-11-26T01:30:00.000Z'],
    ['30 2 * * *', 'Europe/Paris', '2026-11-27T01:30:00Z', '2026-11-27T01:30:00.000Z'],
    ['30 2 * * *', 'Europe/Paris', '2026-07-15T12:00:00Z', '2026-07-15T00:30:00.000Z'], // summer time: UTC+2
    ['30 2 * * *', 'UTC', '2026-07-15T12:00:00Z', '2026-07-15T02:30:00.000Z'],
    ['0 3 * * 1', 'Europe/Paris', '2026-11-27T10:00:00Z', '2026-11-23T02:00:00.000Z'], // last Monday
    ['0 0 1 1 *', 'UTC', '2026-11-27T10:00:00Z', '2026-01-01T00:00:00.000Z'],
    ['0 9 L * *', 'UTC', '2026-11-27T10:00:00Z', '2026-10-31T09:00:00.000Z'], // last day of the month
    ['*/10 * * * * *', 'UTC', '2026-11-27T10:00:27.500Z', '2026-11-27T10:00:20.000Z'],
    // 02:30 does not exist on 29 March 2026 in Paris (clocks jump 02:00 → 03:00): the day before.
    ['30 2 * * *', 'Europe/Paris', '2026-03-29T12:00:00Z', '2026-03-28T01:30:00.000Z'],
  ])('%s (%s) before %s is %s', (expression, timezone, now, expected) => {
    expect(previousOccurrence(expression, timezone, new Date(now))?.toISOString()).toBe(expected);
  });

  it('maps wall-clock time to instants across daylight saving changes', () => {
    expect(localTimeToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Paris')).toBeNull();
    // 02:30 happens twice on 25 October 2026: the later one (UTC+1) is taken.
    expect(
      new Date(localTimeToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Paris')!).toISOString(),
    ).toBe('2026-10-25T01:30:00.000Z');
  });

  it('rejects a bad schedule or timezone with a French configuration error (exit code 2)', () => {
    const rejection = (expression: string, timezone: string): unknown => {
      try {
        validateSchedule(expression, timezone);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const badHour = rejection('30 25 * * *', 'Europe/Paris');
    expect(badHour).toBeInstanceOf(AppError);
    expect(badHour).toMatchObject({
      code: 'config',
      message:
        'Planification « 30 25 * * * » invalide (worker.schedule ou --schedule) : « 25 » n’est pas une valeur possible pour l’heure. Exemple : "30 2 * * *" pour 2 h 30 chaque nuit.',
    });
    expect(isUsageError(badHour)).toBe(true);
    // node-cron's English (« expected 5 or 6 fields but got 1 ») never reaches the user.
    expect((rejection('bonjour', 'Europe/Paris') as Error).message).toContain(
      ': 5 ou 6 champs attendus (minute heure jour mois jour-de-la-semaine), 1 trouvé.',
    );
    const badZone = rejection('30 2 * * *', 'Europe/Parsi');
    expect(badZone).toMatchObject({
      code: 'config',
      message: 'Fuseau horaire « Europe/Parsi » inconnu (worker.timezone). Exemple : "Europe/Paris".',
    });
    expect(isUsageError(badZone)).toBe(true);
  });

  // docs/worker.md and docs/DEPLOIEMENT.md: "30 2 * * *" in Europe/Paris by default; node-cron's
  // optional seconds field is accepted too.
  // An accepted schedule is one the worker runs: its last occurrence before 27 November 2026, 10:00 UTC.
  it.each([
    ['30 2 * * *', 'Europe/Paris', '2026-11-27T01:30:00.000Z'],
    ['*/10 * * * * *', 'UTC', '2026-11-27T10:00:00.000Z'],
    ['0 9 L * *', 'America/Cayenne', '2026-10-31T12:00:00.000Z'], // UTC−3, no summer time
  ])('accepts %s in %s (last run %s)', (expression, timezone, last) => {
    expect(validateSchedule(expression, timezone)).toBeUndefined();
    expect(previousOccurrence(expression, timezone, new Date('2026-11-27T10:00:00Z'))?.toISOString()).toBe(last);
  });
});
