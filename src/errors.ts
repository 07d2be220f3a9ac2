/**
 * One error style for the whole adapter: a small set of codes and a French message that says
 * what is wrong and what to do. Anything caught is turned into an Error with `toError`.
 */
export type ErrorCode =
  | 'config'
  | 'usage'
  | 'auth'
  | 'token_expired'
  | 'forbidden_network'
  | 'read_only'
  | 'unauthorized'
  | 'not_found'
  | 'rate_limited'
  | 'timeout'
  | 'server'
  | 'network'
  | 'malformed_answer'
  | 'graphql'
  | 'bad_request'
  | 'graphql_parse_failed'
  | 'payload'
  | 'database'
  | 'storage'
  | 'workbook'
  | 'conflict'
  | 'lease'
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable context (never secrets, never whole dossiers). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
}

/** Usage and configuration problems, and a database file that needs fixing ('storage'), exit with code 2. */
export function isUsageError(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'config' || error.code === 'usage' || error.code === 'storage');
}

// Node's own English messages that can reach a user: a fetch or a wait cut short by Ctrl-C, a
// signal or a time limit. Anything a user can read is French.
const NODE_MESSAGES: [RegExp, string][] = [
  [/^This operation was aborted\.?$/i, 'opération interrompue (arrêt demandé ou délai dépassé)'],
  [/^The operation was aborted due to timeout\.?$/i, 'délai dépassé'],
  [/^The operation was aborted\.?$/i, 'opération interrompue (arrêt demandé ou délai dépassé)'],
];

/** The message to show for an error: Node's own English messages (aborts, timeouts) in French. */
export function frenchMessage(error: Error): string {
  for (const [pattern, french] of NODE_MESSAGES) if (pattern.test(error.message)) return french;
  return error.message;
}

export function toError(value: unknown): Error {
  if (value instanceof Error && (value.name === 'AbortError' || value.name === 'TimeoutError') && frenchMessage(value) !== value.message) {
    const french = new Error(frenchMessage(value), { cause: value });
    french.name = value.name;
    return french;
  }
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
