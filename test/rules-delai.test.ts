import { describe, expect, it } from 'vitest';
import { findingsOf, severities, validAumg } from './rules-fixtures.ts';

// AUMG v12 closes on 30 April 2025 (seed 002); Paris is UTC+2 in April.
describe('delai.depot', () => {
  it.each([
    ['well before', '2025-03-01T09:00:00+01:00', []],
    ['on the closing day, morning', '2025-04-30T08:00:00+02:00', []],
    ['last second of the closing day, Paris', '2025-04-30T23:59:59+02:00', []],
    ['last second of the closing day, given in UTC', '2025-04-30T21:59:59Z', []],
    ['00:10 the day after in Paris, still the closing day in UTC', '2025-04-30T22:10:00Z', ['bloquant']],
    ['the day after', '2025-05-01T12:00:00+02:00', ['bloquant']],
    ['a year later', '2026-04-30T12:00:00+02:00', ['bloquant']],
    ['unreadable date', 'pas-une-date', ['alerte']],
  ] as const)('%s (%s)', (_name, dateDepot, expected) => {
    // Sync refuses a deposit date that is no date: the rule's guard is tested on the node as is.
    expect(severities(findingsOf('delai.depot', 'aumg', validAumg(), { dateDepot, unvalidated: dateDepot === 'pas-une-date' }))).toEqual(
      expected,
    );
  });

  it('says when the dossier was filed and the closing date, in French format', () => {
    const [f] = findingsOf('delai.depot', 'aumg', validAumg(), { dateDepot: '2025-04-30T22:10:00Z' });
    expect(f?.message).toContain('01/05/2025');
    expect(f?.message).toContain('30/04/2025');
    expect(f?.evidence[0]?.value).toBe('2025-04-30T22:10:00Z');
  });
});
