import type { CliIo } from '../../src/cli/main.ts';

/** argv as Node gives it to `main`, for an in-process run of the CLI. */
export const argv = (...args: string[]): string[] => ['node', 'ds-ars', ...args];

/** The CLI's output streams, kept for the test to read (env is the process's, read at call time). */
export function capture(): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env: process.env,
    writeOut: (t) => void out.push(t),
    writeErr: (t) => void err.push(t),
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
