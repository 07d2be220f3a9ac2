/**
 * How log lines look on stderr: short French lines for a person at a terminal (Paris time, level,
 * message), JSON lines for machines (journald, files, pipes) — with `--json`,
 * DS_ARS_LOG_FORMAT=json, or whenever stderr is not a terminal. DS_ARS_LOG_FORMAT=texte forces
 * the short lines. Kept apart from logger.ts so the CLI can note `--json` without loading pino.
 */
export type LogFormat = 'json' | 'texte';

let jsonRequested = false;

/** Called by the CLI when the global --json flag is given: logs become JSON lines too. */
export function requestJsonLogs(requested: boolean): void {
  jsonRequested = requested;
}

/** `asked`: DS_ARS_LOG_FORMAT, validated by config/env.ts; unset, the terminal decides. */
export function chooseLogFormat(asked: LogFormat | undefined, isTTY: boolean = process.stderr.isTTY === true): LogFormat {
  if (asked === 'json' || jsonRequested) return 'json';
  if (asked === 'texte') return 'texte';
  return isTTY ? 'texte' : 'json';
}
