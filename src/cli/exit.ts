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

/**
 * A message as stderr shows it: its lines joined into one, except the items of a list (lines
 * starting with « - »), each on its own indented line, and what follows a list on a line of its own.
 */
function layoutLines(message: string): string {
  const out: string[] = [];
  let text: string[] = [];
  const flush = () => {
    if (text.length > 0) out.push(text.join(' '));
    text = [];
  };
  for (const raw of message.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('- ')) {
      flush();
      out.push(`  ${line}`);
    } else text.push(line);
  }
  flush();
  return out.join('\n');
}

/** One French line for stderr (a list in the message: one item per line); the stack and causes only when `debug`. */
export function formatCliError(error: unknown, debug: boolean): string {
  let line: string;
  if (error instanceof PartialFailure) line = `Terminé avec des erreurs : ${error.message}`;
  else if (error instanceof AppError) line = `Erreur : ${error.message}`;
  else {
    const message = error instanceof Error ? frenchMessage(error) : String(error);
    line = `Erreur inattendue : ${message}${debug ? '' : ' (relancez avec DS_ARS_DEBUG=1 pour le détail)'}`;
  }
  line = layoutLines(line);
  if (!debug || !(error instanceof Error)) return `${line}\n`;
  const details: string[] = [error.stack ?? ''];
  for (let cause = error.cause, depth = 0; cause !== undefined && depth < 5; depth += 1) {
    details.push(`Cause : ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return `${line}\n${details.join('\n')}\n`;
}
