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

export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
