/**
 * One error model for the whole adapter (docs/ARCHITECTURE.md, « Errors »): every error a user
 * can meet is an `AppError` with a precise `code` and a French message that says what is wrong and
 * what to do. Each code belongs to one family; the family says how the CLI ends (exit code).
 * Families are classes (`ConfigError`, `DsApiError`…): throw `new ConfigError(message)`, catch
 * with `error instanceof ConfigError`. An `AppError` built with a code of a family is an instance
 * of that family too (`new AppError('config', …) instanceof ConfigError`), so the older
 * `new AppError(code, …)` throw sites need no rewriting. Anything caught is turned into an Error
 * with `toError`.
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
  | 'partial'
  | 'internal';

/** The failure families, and the exit code of each (0 ok, 1 failure, 2 to fix before rerunning). */
export const ERROR_FAMILIES = {
  /** A command line to correct (unknown démarche, missing confirmation…). */
  usage: { exitCode: 2, codes: ['usage'] },
  /** Environment variables or configuration file to correct. */
  config: { exitCode: 2, codes: ['config'] },
  /** The database file or server to fix (read-only, damaged, disk full, unreachable). */
  storage: { exitCode: 2, codes: ['storage'] },
  /** Stored data that cannot be used as it is (an unreadable plan, an incomplete copy). */
  database: { exitCode: 1, codes: ['database'] },
  /** démarches-simplifiées refused or failed a request (token, network, answer). */
  dsApi: {
    exitCode: 1,
    codes: [
      'auth',
      'token_expired',
      'forbidden_network',
      'read_only',
      'unauthorized',
      'not_found',
      'rate_limited',
      'timeout',
      'server',
      'network',
      'malformed_answer',
      'graphql',
      'bad_request',
      'graphql_parse_failed',
      'payload',
    ],
  },
  /** A jury workbook that cannot be read as a decisions sheet. */
  workbook: { exitCode: 1, codes: ['workbook'] },
  /** Another process or a change in between (leases, a plan gone stale). */
  conflict: { exitCode: 1, codes: ['conflict', 'lease'] },
  /** A batch that ended with some items in error, once its report is printed. */
  partial: { exitCode: 1, codes: ['partial'] },
  /** A bug: a case the code thought impossible. */
  internal: { exitCode: 1, codes: ['internal'] },
} as const satisfies Record<string, { exitCode: 1 | 2; codes: readonly ErrorCode[] }>;

export type ErrorFamily = keyof typeof ERROR_FAMILIES;

const FAMILY_OF = new Map<ErrorCode, ErrorFamily>(
  Object.entries(ERROR_FAMILIES).flatMap(([family, { codes }]) =>
    codes.map((code): [ErrorCode, ErrorFamily] => [code, family as ErrorFamily]),
  ),
);

interface ErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable context (never secrets, never whole dossiers). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }

  get family(): ErrorFamily {
    return FAMILY_OF.get(this.code) ?? 'internal';
  }

  /** How the CLI ends when this error stops a command. */
  get exitCode(): 1 | 2 {
    return ERROR_FAMILIES[this.family].exitCode;
  }
}

/** A family's class: `instanceof` holds for any AppError whose code belongs to the family, whatever built it. */
function familyClass<F extends ErrorFamily>(family: F, name: string) {
  return class extends AppError {
    constructor(code: (typeof ERROR_FAMILIES)[F]['codes'][number], message: string, options?: ErrorOptions) {
      super(code, message, options);
      this.name = name;
    }

    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof AppError && value.family === family;
    }
  };
}

export class UsageError extends familyClass('usage', 'UsageError') {
  constructor(message: string, options?: ErrorOptions) {
    super('usage', message, options);
  }
}

export class ConfigError extends familyClass('config', 'ConfigError') {
  constructor(message: string, options?: ErrorOptions) {
    super('config', message, options);
  }
}

export class StorageError extends familyClass('storage', 'StorageError') {
  constructor(message: string, options?: ErrorOptions) {
    super('storage', message, options);
  }
}

export class DatabaseError extends familyClass('database', 'DatabaseError') {}
export class DsApiError extends familyClass('dsApi', 'DsApiError') {}
export class WorkbookError extends familyClass('workbook', 'WorkbookError') {}
export class ConflictError extends familyClass('conflict', 'ConflictError') {}

/**
 * Thrown by a command whose batch ended with some items in error, once it has printed its
 * report: the CLI prints the summary and exits with 1.
 */
export class PartialFailure extends familyClass('partial', 'PartialFailure') {
  constructor(summary: string) {
    super('partial', summary);
  }
}

export class InternalError extends familyClass('internal', 'InternalError') {
  constructor(message: string, options?: ErrorOptions) {
    super('internal', message, options);
  }
}

/** Errors to fix before rerunning (usage, configuration, database file) end with exit code 2. */
export function isUsageError(error: unknown): boolean {
  return error instanceof AppError && error.exitCode === 2;
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
