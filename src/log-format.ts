/**
 * How log lines look on stderr: short French lines for a person at a terminal (Paris time, level,
 * message), JSON lines for machines (journald, files, pipes) — with `--json`,
 * DS_ARS_LOG_FORMAT=json, or whenever stderr is not a terminal. DS_ARS_LOG_FORMAT=texte forces
 * the short lines. Kept apart from logger.ts so the CLI can note `--json` without loading pino.
 */
import { AppError } from './errors.ts';

export type LogFormat = 'json' | 'texte';

let jsonRequested = false;

/** Called by the CLI when the global --json flag is given: logs become JSON lines too. */
export function requestJsonLogs(requested: boolean): void {
  jsonRequested = requested;
}

export function chooseLogFormat(env: NodeJS.ProcessEnv = process.env, isTTY: boolean = process.stderr.isTTY === true): LogFormat {
  const asked = env.DS_ARS_LOG_FORMAT?.trim().toLowerCase();
  if (asked !== undefined && asked !== '' && asked !== 'json' && asked !== 'texte') {
    throw new AppError('config', `DS_ARS_LOG_FORMAT=${env.DS_ARS_LOG_FORMAT} : valeur inconnue ; indiquez « json » ou « texte » (ou retirez la variable).`);
  }
  if (asked === 'json' || jsonRequested) return 'json';
  if (asked === 'texte') return 'texte';
  return isTTY ? 'texte' : 'json';
}
