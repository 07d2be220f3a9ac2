import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config/env.ts';

export type Logger = PinoLogger;

/** Context stamped on every line of a child logger. */
export interface LogContext {
  demarche?: number;
  run?: string;
  [key: string]: unknown;
}

// Anything that may hold a DS token is censored, at the top level and one or two levels down.
const REDACTED_PATHS = [
  'token',
  'authorization',
  'Authorization',
  'DS_API_TOKEN',
  'headers.authorization',
  'headers.Authorization',
  '*.token',
  '*.authorization',
  '*.Authorization',
  '*.DS_API_TOKEN',
  '*.headers.authorization',
  '*.headers.Authorization',
];

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Where JSON lines go; stderr by default, since stdout carries command output and --json. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'ds-ars' },
      redact: { paths: REDACTED_PATHS, censor: '[masqué]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger stamped with its context (démarche number, run id), so lines can be filtered. */
export function childLogger(logger: Logger, context: LogContext): Logger {
  return logger.child(context);
}

/** A destination that keeps lines in memory: tests read back what was logged. */
export interface MemoryDestination extends DestinationStream {
  /** Raw JSON lines as written. */
  readonly lines: string[];
  /** The lines parsed as objects. */
  records(): Record<string, unknown>[];
  /** Everything written, as one string (to search for a secret). */
  text(): string;
}

export function createMemoryDestination(): MemoryDestination {
  const lines: string[] = [];
  return {
    lines,
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line !== '') lines.push(line);
    },
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}
