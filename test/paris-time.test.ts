/**
 * Paris time at the summer-time boundaries (EU rule: last Sunday of March and of October, at
 * 01:00 UTC). In 2026: 29 March, 02:00 → 03:00 (02:30 does not exist); 25 October, 03:00 → 02:00
 * (02:30 happens twice: 00:30 and 01:30 UTC).
 */
import { describe, expect, it } from 'vitest';
import { localTimeToInstant, parisDateTime, parisIso, parisTime } from '../src/shared/paris-time.ts';
import { previousOccurrence } from '../src/worker/cron.ts';
import { frenchDate } from '../src/shared/french-format.ts';
import { parisDateOf } from '../src/shared/dates.ts';

describe('Paris wall clock, one format jj/mm/aaaa hh:mm', () => {
  it.each([
    ['2026-03-29T00:59:59Z', '29/03/2026 01:59'],
    ['2026-03-29T01:00:00Z', '29/03/2026 03:00'],
    ['2026-10-25T00:30:00Z', '25/10/2026 02:30'],
    ['2026-10-25T00:59:59Z', '25/10/2026 02:59'],
    ['2026-10-25T01:00:00Z', '25/10/2026 02:00'],
    ['2026-10-25T01:30:00Z', '25/10/2026 02:30'],
    ['2026-12-31T23:30:00Z', '01/01/2027 00:30'],
  ])('%s is %s', (iso, shown) => {
    expect(parisDateTime(iso)).toBe(shown);
  });

  it('names the Paris calendar day of an instant', () => {
    expect(frenchDate('2026-03-28T23:30:00Z')).toBe('29/03/2026');
    expect(parisDateOf('2026-10-24T22:30:00Z')).toBe('2026-10-25');
    expect(parisDateOf('2026-10-24T21:59:59Z')).toBe('2026-10-24');
  });

  it('writes DS-style ISO dates with the offset in force', () => {
    expect(parisIso(Date.parse('2026-03-29T00:59:59Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(parisIso(Date.parse('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(parisIso(Date.parse('2026-10-25T00:59:59Z'))).toBe('2026-10-25T02:59:59+02:00');
    expect(parisIso(Date.parse('2026-10-25T01:00:00Z'))).toBe('2026-10-25T02:00:00+01:00');
  });
});

describe('wall-clock times that do not exist or exist twice', () => {
  it('02:30 on 29 March does not exist; a clock set to it shows 03:30', () => {
    expect(localTimeToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 })).toBeNull();
    expect(new Date(parisTime('2026-03-29', 2, 30)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(parisTime('2026-03-29', 3, 0)).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('02:30 on 25 October exists twice: the later one', () => {
    expect(new Date(localTimeToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 })!).toISOString()).toBe(
      '2026-10-25T01:30:00.000Z',
    );
    expect(new Date(localTimeToInstant({ year: 2026, month: 10, day: 25, hour: 1, minute: 30, second: 0 })!).toISOString()).toBe(
      '2026-10-24T23:30:00.000Z',
    );
  });
});

describe('previous occurrence of the nightly schedule (30 2 * * *, Paris)', () => {
  it.each([
    // Spring: no 02:30 on 29 March, so the last run is the night before.
    ['2026-03-29T12:00:00Z', '2026-03-28T01:30:00.000Z'],
    ['2026-03-30T00:30:00Z', '2026-03-30T00:30:00.000Z'],
    // Autumn: 02:30 happens at 00:30 UTC (summer time) and again at 01:30 UTC; a daily job runs
    // once, the first time, as cron does (docs/worker.md).
    ['2026-10-25T00:45:00Z', '2026-10-25T00:30:00.000Z'],
    ['2026-10-25T12:00:00Z', '2026-10-25T00:30:00.000Z'],
    ['2026-10-26T01:30:00Z', '2026-10-26T01:30:00.000Z'],
  ])('before %s is %s', (now, expected) => {
    expect(previousOccurrence('30 2 * * *', 'Europe/Paris', new Date(now))?.toISOString()).toBe(expected);
  });
});
