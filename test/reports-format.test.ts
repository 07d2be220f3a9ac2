import { describe, expect, it } from 'vitest';
import { cellText, isFormulaLike, MAX_CELL_TEXT } from '../src/reports/cell-text.ts';
import { frenchDate, parisDay } from '../src/shared/french-format.ts';
import { parisDateTime, parisWallClock } from '../src/shared/paris-time.ts';
import { parisMinute } from './support/paris-clock.ts';

describe('Paris dates', () => {
  it.each([
    ['2025-04-30T21:59:59.000Z', '30/04/2025', '30/04/2025 23:59'],
    ['2025-04-30T22:10:00.000Z', '01/05/2025', '01/05/2025 00:10'],
    ['2025-03-30T00:59:59.000Z', '30/03/2025', '30/03/2025 01:59'],
    ['2025-03-30T01:00:00.000Z', '30/03/2025', '30/03/2025 03:00'],
    ['2025-10-26T00:59:59.000Z', '26/10/2025', '26/10/2025 02:59'],
    ['2025-10-26T01:00:00.000Z', '26/10/2025', '26/10/2025 02:00'],
    ['2024-12-31T23:30:00.000Z', '01/01/2025', '01/01/2025 00:30'],
    ['1990-07-14T22:30:00.000Z', '15/07/1990', '15/07/1990 00:30'],
  ])('%s is %s in Paris', (iso, day, dateTime) => {
    expect(frenchDate(iso)).toBe(day);
    expect(parisDateTime(iso)).toBe(dateTime);
  });

  it('agrees with Intl every five hours over two years', () => {
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 5 * 3_600_000 + 61_000) {
      const w = parisWallClock(new Date(t));
      expect(`${w.day}/${w.month}/${w.year} ${w.hour}:${w.minute}`).toBe(parisMinute(new Date(t).toISOString()));
    }
  });

  it('keeps a bare calendar date as is and ignores unreadable ones', () => {
    expect(parisDay('2025-04-30')).toEqual(new Date(Date.UTC(2025, 3, 30)));
    expect(frenchDate('pas une date')).toBe('');
    expect(frenchDate(null)).toBe('');
  });
});

describe('cell text', () => {
  it.each(['=1+1', '+33', '-2', '@SUM(A1)', '\t=1', '\r=1'])('%j is formula-like', (text) => {
    expect(isFormulaLike(text)).toBe(true);
  });

  it.each(['Martin', '1 rue', ' =1', 'é=1'])('%j is not', (text) => {
    expect(isFormulaLike(text)).toBe(false);
  });

  it('drops characters XML forbids, normalises line ends and cuts to the Excel limit', () => {
    expect(cellText('a\u0000b\u0007c\r\nd\re\uD800f')).toBe('abc\nd\nef');
    expect(cellText('x'.repeat(MAX_CELL_TEXT + 10))).toHaveLength(MAX_CELL_TEXT);
    expect(cellText(null)).toBeNull();
  });
});
