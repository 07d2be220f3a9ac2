import cron, { type ScheduledTask } from 'node-cron';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** Nightly at 02:30, Paris time: after DS's own nightly jobs, before instructors start work. */
export const DEFAULT_SCHEDULE = '30 2 * * *';
export const DEFAULT_TIMEZONE = 'Europe/Paris';

/** Checks a cron expression and a timezone; a French config error says what is wrong. */
export function validateSchedule(expression: string, timezone: string): void {
  const detail = cron.validateDetailed(expression);
  if (!detail.valid) {
    const reasons = detail.errors.map((e) => `${e.field} : ${e.message}`).join(' ; ');
    throw new AppError('config', `Planification « ${expression} » invalide (worker.schedule) : ${reasons}. Exemple : "30 2 * * *" pour 2 h 30 chaque nuit.`);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new AppError('config', `Fuseau horaire « ${timezone} » inconnu (worker.timezone). Exemple : "Europe/Paris".`);
  }
}

/**
 * Starts a node-cron task. `noOverlap`: a run still going when the next tick comes (a very slow
 * night) makes node-cron skip that tick rather than start a second pipeline.
 */
export function scheduleTask(expression: string, timezone: string, name: string, logger: Logger, fn: (scheduledAt: Date) => Promise<void>): ScheduledTask {
  // node-cron's own messages (missed tick under load…) go to our logger, not to the console.
  const cronLogger = {
    info: (message: string) => logger.debug({ cron: name }, message),
    warn: (message: string) => logger.warn({ cron: name }, message),
    error: (message: string | Error, err?: Error) => logger.error({ cron: name, err: err ?? message }, String(message)),
    debug: (message: string | Error) => logger.debug({ cron: name }, String(message)),
  };
  return cron.schedule(expression, (context) => fn(context.date), { timezone, name, noOverlap: true, logger: cronLogger });
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(instant: number, timezone: string): LocalParts {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/**
 * The instant a wall-clock time happens in `timezone`, or null when it does not exist (the hour
 * skipped when summer time starts). Of two instants (the repeated autumn hour), the later one.
 */
export function localTimeToInstant(parts: LocalParts, timezone: string): number | null {
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const candidates = new Set<number>();
  // Offsets a few hours either side cover every DST transition.
  for (const probe of [asUtc - 14 * 3_600_000, asUtc, asUtc + 14 * 3_600_000]) {
    const local = localParts(probe, timezone);
    const offset = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - probe;
    candidates.add(asUtc - offset);
  }
  const matching = [...candidates].filter((instant) => {
    const back = localParts(instant, timezone);
    return back.year === parts.year && back.month === parts.month && back.day === parts.day && back.hour === parts.hour && back.minute === parts.minute && back.second === parts.second;
  });
  return matching.length === 0 ? null : Math.max(...matching);
}

const MAX_DAYS_BACK = 366 * 8;

/**
 * The latest time at or before `before` that the cron expression fires, in `timezone` (node-cron
 * has only "next"). Walks back day by day over the expression's own hours, minutes and seconds,
 * and lets node-cron's matcher judge each candidate, so day-of-month and day-of-week rules (L, #)
 * mean exactly what they mean to the scheduler. Null if nothing within eight years.
 */
export function previousOccurrence(expression: string, timezone: string, before: Date): Date | null {
  const fields = cron.parse(expression);
  const desc = (values: number[]) => [...values].sort((a, b) => b - a);
  const hours = desc(fields.hour);
  const minutes = desc(fields.minute);
  const seconds = desc(fields.second);
  const limit = before.getTime();
  // A task that is created but never started: only its matcher is used.
  const matcher = cron.createTask(expression, () => undefined, { timezone });
  try {
    const today = localParts(limit, timezone);
    let dayCursor = Date.UTC(today.year, today.month - 1, today.day);
    for (let i = 0; i < MAX_DAYS_BACK; i++, dayCursor -= 86_400_000) {
      const day = new Date(dayCursor);
      const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
      const ceiling = i === 0 ? today : undefined;
      const found = latestInDay(date, ceiling, hours, minutes, seconds, timezone, limit, (instant) => matcher.match(new Date(instant)));
      if (found !== null) return new Date(found);
    }
    return null;
  } finally {
    void matcher.destroy();
  }
}

function latestInDay(
  date: { year: number; month: number; day: number },
  ceiling: LocalParts | undefined,
  hours: number[],
  minutes: number[],
  seconds: number[],
  timezone: string,
  limit: number,
  matches: (instant: number) => boolean,
): number | null {
  // Today, skip straight past the hours and minutes still to come (every-second schedules).
  for (const hour of hours) {
    if (ceiling && hour > ceiling.hour + 1) continue;
    for (const minute of minutes) {
      if (ceiling && hour === ceiling.hour && minute > ceiling.minute) continue;
      for (const second of seconds) {
        const instant = localTimeToInstant({ ...date, hour, minute, second }, timezone);
        if (instant === null || instant > limit) continue;
        // The time fields come from the expression, so a miss here means the day does not match.
        return matches(instant) ? instant : null;
      }
    }
  }
  return null;
}
