import { CommanderError } from 'commander';
import { AppError, frenchMessage, PartialFailure } from '../errors.ts';

/** 0 ok, 1 partial failure (or failure), 2 usage or configuration error. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// PartialFailure is a family of the error model (errors.ts); commands import it from here.
export { PartialFailure };

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof AppError) return error.exitCode;
  return ExitCode.failure;
}

/** One French line for stderr; the stack and causes only when `debug`. */
export function formatCliError(error: unknown, debug: boolean): string {
  let line: string;
  if (error instanceof PartialFailure) line = `Terminé avec des erreurs : ${error.message}`;
  else if (error instanceof AppError) line = `Erreur : ${error.message}`;
  else {
    const message = error instanceof Error ? frenchMessage(error) : String(error);
    line = `Erreur inattendue : ${message}${debug ? '' : ' (relancez avec DS_ARS_DEBUG=1 pour le détail)'}`;
  }
  line = line.replace(/\s*\n\s*/g, ' ');
  if (!debug || !(error instanceof Error)) return `${line}\n`;
  const details: string[] = [error.stack ?? ''];
  for (let cause = error.cause, depth = 0; cause !== undefined && depth < 5; depth += 1) {
    details.push(`Cause : ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return `${line}\n${details.join('\n')}\n`;
}
