/** Fault injection knobs and the per-token rate limit (fixed one-minute windows, like rack-attack). */
import type { Rng } from './prng.ts';

export interface Faults {
  latencyMs: number;
  serverErrorRate: number;
  resetRate: number;
  timeoutRate: number;
  concurrentEditRate: number;
  malformedNextAnswers: number;
  /** The next N justificatif uploads (PUT) answer 503, without storing the bytes. */
  failingNextUploads: number;
  /** The next N justificatif uploads are read but never answered (a hung object storage). */
  hangingNextUploads: number;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  serverErrorRate: 0,
  resetRate: 0,
  timeoutRate: 0,
  concurrentEditRate: 0,
  malformedNextAnswers: 0,
  failingNextUploads: 0,
  hangingNextUploads: 0,
};

export type FaultDecision = 'reset' | 'server_error' | 'timeout' | 'none';

/** One draw per request, in a fixed order, so a seed replays the same faults. */
export function decideFault(faults: Faults, rng: Rng): FaultDecision {
  const draw = rng.next();
  let edge = faults.resetRate;
  if (draw < edge) return 'reset';
  edge += faults.serverErrorRate;
  if (draw < edge) return 'server_error';
  edge += faults.timeoutRate;
  if (draw < edge) return 'timeout';
  return 'none';
}

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  resetEpochSeconds: number;
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { window: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  check(key: string, nowMs: number): RateDecision {
    const window = Math.floor(nowMs / 60_000);
    const resetMs = (window + 1) * 60_000;
    const retryAfterSeconds = Math.max(1, Math.ceil((resetMs - nowMs) / 1000));
    if (this.perMinute <= 0)
      return { allowed: true, remaining: Number.MAX_SAFE_INTEGER, resetEpochSeconds: resetMs / 1000, retryAfterSeconds };
    let entry = this.windows.get(key);
    if (!entry || entry.window !== window) {
      entry = { window, count: 0 };
      this.windows.set(key, entry);
    }
    entry.count++;
    return {
      allowed: entry.count <= this.perMinute,
      remaining: Math.max(0, this.perMinute - entry.count),
      resetEpochSeconds: resetMs / 1000,
      retryAfterSeconds,
    };
  }
}

/** Breaks one dossier node the way a buggy upstream answer would. */
export function malformNode(node: Record<string, unknown>, rng: Rng): void {
  if (rng.chance(0.5)) node['state'] = 'bogus';
  else node['number'] = String(node['number'] ?? '0');
}
