/**
 * Token bucket shared by every caller of one DS token. DS allows 400 requests per minute per
 * token (NOTES.md §4); when it still answers 429, `pause()` holds every caller until the
 * announced reset, so a burst of parallel callers does not hammer it again.
 */
export type Sleep = (ms: number) => Promise<void>;
export type Now = () => number;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RequestBudgetOptions {
  /** Sustained rate, requests per minute (default 400, the DS limit). */
  perMinute?: number;
  /** Requests allowed back to back before throttling starts (default 10). */
  burst?: number;
  now?: Now | undefined;
  sleep?: Sleep | undefined;
}

export interface BudgetStats {
  /** Requests let through. */
  taken: number;
  /** Requests that had to wait for a token. */
  throttled: number;
  /** Pauses announced by the server (429). */
  pauses: number;
}

export class RequestBudget {
  readonly perMinute: number;
  readonly burst: number;
  private readonly ratePerMs: number;
  private readonly now: Now;
  private readonly sleep: Sleep;
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = 0;
  /** Bumped by each pause: a caller that slept through one must queue again. */
  private generation = 0;
  private readonly counters: BudgetStats = { taken: 0, throttled: 0, pauses: 0 };

  constructor(options: RequestBudgetOptions = {}) {
    this.perMinute = options.perMinute ?? 400;
    this.burst = options.burst ?? 10;
    if (!(this.perMinute > 0) || !(this.burst >= 1)) {
      throw new RangeError(`Invalid request budget: ${this.perMinute}/min, burst ${this.burst}`);
    }
    this.ratePerMs = this.perMinute / 60_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.tokens = this.burst;
    this.updatedAt = this.now();
  }

  /** Waits until one request may be sent. */
  async take(): Promise<void> {
    for (;;) {
      await this.waitForPause();
      const generation = this.generation;
      this.refill();
      // Tokens may go negative: each waiting caller reserves its slot, in call order.
      this.tokens -= 1;
      if (this.tokens >= 0) break;
      this.counters.throttled += 1;
      await this.sleep(Math.ceil(-this.tokens / this.ratePerMs));
      if (generation === this.generation) break;
    }
    this.counters.taken += 1;
  }

  /** Holds every caller for `ms` (the server's Retry-After); restarts with an empty bucket. */
  pause(ms: number): void {
    const until = this.now() + Math.max(0, ms);
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.generation += 1;
    this.counters.pauses += 1;
    // Reservations made before the pause are void: their callers queue again after it.
    this.tokens = 0;
    this.updatedAt = until;
  }

  /** Milliseconds left in the current pause (0 when none). */
  pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  get stats(): BudgetStats {
    return { ...this.counters };
  }

  private refill(): void {
    const now = this.now();
    if (now <= this.updatedAt) return;
    this.tokens = Math.min(this.burst, this.tokens + (now - this.updatedAt) * this.ratePerMs);
    this.updatedAt = now;
  }

  private async waitForPause(): Promise<void> {
    for (let left = this.pausedFor(); left > 0; left = this.pausedFor()) await this.sleep(left);
  }
}
