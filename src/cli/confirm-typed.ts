import { createInterface } from 'node:readline/promises';

/**
 * Asks the operator, on the terminal, to type `expected` to go ahead; true only on an exact match.
 * The caller checks beforehand that stdin is a TTY (scripts pass an explicit flag instead).
 */
export async function confirmByTyping(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === expected;
  } finally {
    rl.close();
  }
}
