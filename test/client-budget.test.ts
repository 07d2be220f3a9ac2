import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../src/graphql/budget.ts';

/** A clock whose timers fire only when the test runs them, in time order. */
class FakeClock {
  t = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.t + ms, resolve });
    });
  /** Runs every timer (and what they schedule) until the queue is empty. */
  async runAll(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) return;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

function track(clock: FakeClock, budget: RequestBudget, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) void budget.take().then(() => times.push(clock.t));
  return times;
}

describe('RequestBudget', () => {
  it('lets a burst through, then spaces requests at the sustained rate, in call order', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 60, burst: 3, now: clock.now, sleep: clock.sleep });
    const times = track(clock, budget, 6);
    await clock.runAll();
    expect(times).toEqual([0, 0, 0, 1000, 2000, 3000]);
    expect(budget.stats).toEqual({ taken: 6, throttled: 3, pauses: 0 });
  });

  it('defaults to the DS limit of 400 requests per minute', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ burst: 1, now: clock.now, sleep: clock.sleep });
    const times = track(clock, budget, 3);
    await clock.runAll();
    expect(times).toEqual([0, 150, 300]);
  });

  it('refills over time up to the burst size only', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 60, burst: 2, now: clock.now, sleep: clock.sleep });
    clock.t = 3_600_000; // an hour idle must not bank an hour of tokens
    const times = track(clock, budget, 4);
    await clock.runAll();
    expect(times).toEqual([3_600_000, 3_600_000, 3_601_000, 3_602_000]);
  });

  it('pause() holds every caller until the pause ends, then resumes at the sustained rate', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 60, burst: 5, now: clock.now, sleep: clock.sleep });
    budget.pause(30_000);
    expect(budget.pausedFor()).toBe(30_000);
    const times = track(clock, budget, 3);
    await clock.runAll();
    // No storm at the end of the pause: one request per second.
    expect(times).toEqual([31_000, 32_000, 33_000]);
    expect(budget.stats.pauses).toBe(1);
  });

  it('a caller already waiting for its slot when a pause starts waits for the pause too', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 60, burst: 1, now: clock.now, sleep: clock.sleep });
    const times = track(clock, budget, 2); // second one reserved for t=1000
    await new Promise((resolve) => setImmediate(resolve));
    clock.t = 500;
    budget.pause(5_000);
    await clock.runAll();
    expect(times[0]).toBe(0);
    expect(times[1]).toBe(6_500);
  });

  it('a shorter pause does not shorten a longer one', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 60, burst: 1, now: clock.now, sleep: clock.sleep });
    budget.pause(10_000);
    budget.pause(2_000);
    expect(budget.pausedFor()).toBe(10_000);
    expect(budget.stats.pauses).toBe(1);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => new RequestBudget({ perMinute: 0 })).toThrow(RangeError);
    expect(() => new RequestBudget({ burst: 0 })).toThrow(RangeError);
  });
});
