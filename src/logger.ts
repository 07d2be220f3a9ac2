import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config/env.ts';
import { frenchMessage } from './errors.ts';
import { chooseLogFormat, type LogFormat } from './log-format.ts';
import { demarcheLabel } from './shared/demarche-label.ts';
import { parisClock } from './shared/paris-time.ts';

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
  /** JSON lines or short French lines; by default from --json, DS_ARS_LOG_FORMAT and the terminal. */
  format?: LogFormat;
}

const LEVEL_WORDS: Record<number, string> = { 10: 'trace', 20: 'débogage', 30: 'info', 40: 'attention', 50: 'erreur', 60: 'fatal' };
const LEVEL_WIDTH = Math.max(...Object.values(LEVEL_WORDS).map((word) => word.length));

/** One JSON record as a short French line: `02:30:05 attention  message (démarche 104512)`. */
export function formatLogLine(record: Record<string, unknown>): string {
  const time = typeof record.time === 'string' || typeof record.time === 'number' ? new Date(record.time) : new Date();
  const level = (LEVEL_WORDS[Number(record.level)] ?? String(record.level)).padEnd(LEVEL_WIDTH);
  let line = `${parisClock(time)} ${level} ${String(record.msg ?? '')}`;
  if (typeof record.demarche === 'number') line += ` (${demarcheLabel(record.demarche)})`;
  // `err` is an Error serialized by pino, or a message given as is ({ err: message }).
  const err = record.err as { message?: unknown } | string | undefined;
  const errMessage = typeof err === 'string' ? err : typeof err?.message === 'string' ? err.message : undefined;
  if (errMessage !== undefined) {
    const message = frenchMessage(Object.assign(new Error(errMessage), typeof err === 'object' ? err : {}));
    if (!line.includes(message)) line += ` : ${message}`;
  }
  return `${line}\n`;
}

/** A destination that rewrites pino's JSON lines as short French lines. */
export function textDestination(write: (text: string) => void): DestinationStream {
  return {
    write(chunk: string) {
      for (const raw of chunk.split('\n')) {
        if (raw === '') continue;
        try {
          write(formatLogLine(JSON.parse(raw) as Record<string, unknown>));
        } catch {
          write(`${raw}\n`);
        }
      }
    },
  };
}

/**
 * A log line on stderr. On a terminal the line first clears the one under the cursor: a progress
 * line (sync, annotate) is drawn there without a line break, and the log line would follow it on
 * the same row; the progress line is drawn again below at its next refresh.
 */
function writeOnTerminal(text: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r\u001b[K${text}` : text);
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const stderr = () => pino.destination({ fd: 2, sync: true });
  const destination =
    options.destination ?? ((options.format ?? chooseLogFormat(undefined)) === 'texte' ? textDestination(writeOnTerminal) : stderr());
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'ds-ars' },
      redact: { paths: REDACTED_PATHS, censor: '[masqué]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
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
