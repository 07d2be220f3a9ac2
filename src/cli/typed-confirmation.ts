/** Asking a person at a terminal to type a value back before something irreversible. */
import { createInterface, type Interface } from 'node:readline';

/** True when a person can answer: stdin is a terminal. */
export function canAsk(): boolean {
  return process.stdin.isTTY === true;
}

/** `aborted`: Ctrl+C or Ctrl+D (end of input) instead of an answer. */
export type TypedAnswer = 'confirmed' | 'mismatch' | 'aborted';

/**
 * One terminal conversation for every question of a command: lines typed (or pasted) ahead are
 * kept for the next question rather than lost with a closed interface, and Ctrl+C or Ctrl+D
 * ends it as `aborted` (never an error of readline's, in English).
 */
export class TypedConfirmation {
  readonly #rl: Interface;
  readonly #ahead: string[] = [];
  #waiting: ((line: string | undefined) => void) | undefined;
  #ended = false;

  constructor() {
    this.#rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    this.#rl.on('line', (line) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) waiting(line);
      else this.#ahead.push(line);
    });
    this.#rl.on('close', () => {
      this.#ended = true;
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) {
        process.stderr.write('\n');
        waiting(undefined);
      }
    });
    // Raw mode: Ctrl+C reaches readline, not the process; it ends the conversation.
    this.#rl.on('SIGINT', () => this.#rl.close());
  }

  /** Asks on stderr, reads one line from stdin: `confirmed` only when it is exactly `expected`. */
  async typedBack(question: string, expected: string): Promise<TypedAnswer> {
    if (this.#ended) return 'aborted';
    this.#rl.setPrompt(question);
    this.#rl.prompt();
    const line = this.#ahead.shift() ?? (await new Promise<string | undefined>((resolve) => (this.#waiting = resolve)));
    if (line === undefined) return 'aborted';
    return line.trim() === expected ? 'confirmed' : 'mismatch';
  }

  close(): void {
    this.#ended = true;
    this.#rl.close();
  }
}
