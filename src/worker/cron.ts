import cron, { type ScheduledTask } from 'node-cron';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { CronExpressionParser } from 'cron-parser';
import { plural } from '../shared/plural.ts';

const CRON_FIELDS: Readonly<Record<string, string>> = {
  second: 'les secondes',
  minute: 'les minutes',
  hour: 'l’heure',
  dayOfMonth: 'le jour du mois',
  month: 'le mois',
  dayOfWeek: 'le jour de la semaine',
};

/** One of node-cron's (English) validation errors, in French from its structured fields. */
function frenchCronProblem(error: { field?: string; value?: unknown; message?: string }): string {
  const fields = /expected 5 or 6 fields but got (\d+)/.exec(error.message ?? '');
  if (fields) return `5 ou 6 champs attendus (minute heure jour mois jour-de-la-semaine), ${plural(Number(fields[1]), 'trouvé')}`;
  if (/illegal characters/.test(error.message ?? '')) return 'caractères non permis (chiffres, « * », « , », « - » et « / » seulement)';
  if (/impossible day of month/.test(error.message ?? '')) return `jour impossible pour ce mois (« ${String(error.value)} »)`;
  const field = error.field === undefined ? undefined : CRON_FIELDS[error.field];
  if (field !== undefined) return `« ${String(error.value)} » n’est pas une valeur possible pour ${field}`;
  return 'expression non reconnue';
}

/** Checks a cron expression and a timezone; a French config error says what is wrong. */
export function validateSchedule(expression: string, timezone: string): void {
  const detail = cron.validateDetailed(expression);
  if (!detail.valid) {
    const reasons = detail.errors.map(frenchCronProblem).join(' ; ');
    throw new AppError(
      'config',
      `Planification « ${expression} » invalide (worker.schedule ou --schedule) : ${reasons}. Exemple : "30 2 * * *" pour 2 h 30 chaque nuit.`,
    );
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new AppError('config', `Fuseau horaire « ${timezone} » inconnu (worker.timezone). Exemple : "Europe/Paris".`);
  }
}

const CRON_MESSAGES: [RegExp, string][] = [
  [/^missed execution/i, 'Créneau planifié manqué : le processus était occupé ou la machine surchargée.'],
  [/still running, new execution blocked/i, 'Le passage précédent est encore en cours : ce créneau est ignoré.'],
  [/^task failed/i, 'Le passage planifié a échoué.'],
  [/^failed to start scheduled task/i, 'Impossible de démarrer la planification.'],
  [/during shutdown/i, 'Erreur à l’arrêt de la planification.'],
  [/run coordinator/i, 'Coordination des passages planifiés en échec : créneau ignoré.'],
];

/** node-cron's English messages as French log lines (unknown ones as a generic French line). */
export function frenchCronMessage(message: string): string {
  for (const [pattern, french] of CRON_MESSAGES) if (pattern.test(message)) return french;
  return 'Message du planificateur (détail dans le champ « detail »).';
}

/**
 * Starts a node-cron task. `noOverlap`: a run still going when the next tick comes (a very slow
 * night) makes node-cron skip that tick rather than start a second pipeline.
 */
export function scheduleTask(
  expression: string,
  timezone: string,
  name: string,
  logger: Logger,
  fn: (scheduledAt: Date) => Promise<void>,
): ScheduledTask {
  // node-cron's own messages (missed tick under load…) go to our logger, not to the console.
  // Its messages are English: the log line says it in French, node-cron's text stays in `detail`.
  const cronLogger = {
    info: (message: string) => logger.debug({ cron: name, detail: message }, frenchCronMessage(message)),
    warn: (message: string) => logger.warn({ cron: name, detail: message }, frenchCronMessage(message)),
    error: (message: string | Error, err?: Error) =>
      logger.error({ cron: name, err: err ?? message, detail: String(message) }, frenchCronMessage(String(message))),
    debug: (message: string | Error) => logger.debug({ cron: name, detail: String(message) }, frenchCronMessage(String(message))),
  };
  return cron.schedule(expression, (context) => fn(context.date), { timezone, name, noOverlap: true, logger: cronLogger });
}

// Wall-clock arithmetic and previous occurrences live in the one time-zone module.
export { localTimeToInstant } from '../shared/paris-time.ts';

/**
 * The latest time at or before `before` that the cron expression fires, in `timezone` (node-cron
 * has only "next"; cron-parser computes the previous one). A time skipped by summer time does not
 * fire; one repeated in autumn fires once, the first time. Null if none can be found.
 */
export function previousOccurrence(expression: string, timezone: string, before: Date): Date | null {
  // prev() is strictly before its current date: start just after `before`'s second.
  const currentDate = new Date(Math.floor(before.getTime() / 1000) * 1000 + 1000);
  try {
    return CronExpressionParser.parse(expression, { currentDate, tz: timezone }).prev().toDate();
  } catch {
    return null;
  }
}
