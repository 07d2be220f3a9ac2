/** Asking a person at a terminal to type a value back before something irreversible. */
import { createInterface } from 'node:readline/promises';

/** True when a person can answer: stdin is a terminal. */
export function canAsk(): boolean {
  return process.stdin.isTTY === true;
}

/** Asks on stderr, reads one line from stdin; true only when the answer is exactly `expected`. */
export async function typedBack(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return (await rl.question(question)).trim() === expected;
  } finally {
    rl.close();
  }
}
