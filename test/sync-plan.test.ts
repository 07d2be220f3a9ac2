/** Pure parts of the sync: what a run does from its state, the next cursor, page-size ladder, paging. */
import { describe, expect, it } from 'vitest';
import type { SyncStateRow } from '../src/db/tables/mirror.table.ts';
import { checksumFolder } from '../src/sync/files.download.ts';
import { paginate, sizesFrom, type Fetched } from '../src/sync/paginate.ts';
import { nextCursor, planRun, type RunRequest } from '../src/sync/run-plan.ts';

const NOW = new Date('2026-11-27T03:00:00Z');
const request: RunRequest = { full: false, labels: false, origin: '2024-01-01T00:00:00Z', labelsEveryHours: 24 };
const state = (over: Partial<SyncStateRow> = {}): SyncStateRow => ({
  demarche_number: 1,
  updated_since: '2000-01-01T00:00:00Z',
  cursor: 'c-dossiers',
  cursor_at: '2026-11-27T02:00:00Z',
  deleted_cursor: 'c-deleted',
  pending_deleted_cursor: 'c-pending',
  labels_synced_at: '2026-11-27T01:00:00Z',
  revision_id: 'r1',
  last_run_id: 3,
  last_success_at: '2026-11-27T02:00:00Z',
  last_error: null,
  ...over,
});

describe('planRun', () => {
  it.each([
    [
      'first run: full, from the configured origin',
      undefined,
      request,
      { mode: 'full', origin: '2024-01-01T00:00:00Z', cursor: null, deletedCursor: null, labelsPass: false },
    ],
    [
      'next run: resumes every cursor with the stored origin',
      state(),
      request,
      {
        mode: 'incremental',
        origin: '2000-01-01T00:00:00Z',
        cursor: 'c-dossiers',
        deletedCursor: 'c-deleted',
        pendingDeletedCursor: 'c-pending',
        labelsPass: false,
      },
    ],
    [
      '--full: forgets the cursors, takes the configured origin',
      state(),
      { ...request, full: true },
      { mode: 'full', origin: '2024-01-01T00:00:00Z', cursor: null, pendingDeletedCursor: null, labelsPass: false },
    ],
    ['--labels forces the pass', state(), { ...request, labels: true }, { mode: 'incremental', labelsPass: true }],
    ['labels pass never done', state({ labels_synced_at: null }), request, { labelsPass: true }],
    ['labels pass older than labelsEveryHours', state({ labels_synced_at: '2026-11-26T02:59:00Z' }), request, { labelsPass: true }],
    ['labels pass recent enough', state({ labels_synced_at: '2026-11-26T03:01:00Z' }), request, { labelsPass: false }],
    ['labelsEveryHours shortened', state(), { ...request, labelsEveryHours: 1 }, { labelsPass: true }],
  ] as const)('%s', (_name, stored, req, expected) => {
    expect(planRun(stored, req, NOW)).toMatchObject(expected);
  });
});

describe('nextCursor', () => {
  it('takes the page’s endCursor', () => expect(nextCursor('a', 'b')).toBe('b'));
  it('keeps the stored cursor on an empty page (no endCursor)', () => expect(nextCursor('a', null)).toBe('a'));
  it('stays null before the first page', () => expect(nextCursor(null, null)).toBeNull());
});

describe('page sizes', () => {
  it('steps down from the size that last worked', () => {
    expect(sizesFrom(100)).toEqual([100, 50, 20]);
    expect(sizesFrom(50)).toEqual([50, 20]);
    expect(sizesFrom(20)).toEqual([20]);
  });
});

describe('paginate', () => {
  const pages: Record<string, Fetched<number>> = {
    start: { nodes: [1, 2], endCursor: 'p1', hasNextPage: true, pageSize: 100 },
    p1: { nodes: [3], endCursor: 'p2', hasNextPage: true, pageSize: 50 },
    p2: { nodes: [], endCursor: null, hasNextPage: false, pageSize: 50 },
  };

  it('walks the pages in order, passing the size that worked down the ladder', async () => {
    const calls: Array<[string | null, number, readonly number[]]> = [];
    const seen: Array<[number, number[]]> = [];
    for await (const page of paginate<number>(async (after, index, sizes) => {
      calls.push([after, index, sizes]);
      return pages[after ?? 'start']!;
    }, null)) {
      seen.push([page.index, page.nodes]);
    }
    expect(seen).toEqual([
      [1, [1, 2]],
      [2, [3]],
      [3, []],
    ]);
    expect(calls).toEqual([
      [null, 1, [100, 50, 20]],
      ['p1', 2, [100, 50, 20]],
      ['p2', 3, [50, 20]],
    ]);
  });

  it('aborts the prefetched page when the caller stops', async () => {
    let aborted = false;
    const fetchPage = (after: string | null, _i: number, _s: readonly number[], signal: AbortSignal): Promise<Fetched<number>> =>
      after === null
        ? Promise.resolve(pages['start']!)
        : new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            }),
          );
    await expect(
      (async () => {
        for await (const _page of paginate(fetchPage, null)) throw new Error('stop');
      })(),
    ).rejects.toThrow('stop');
    expect(aborted).toBe(true);
  });

  it('stops on a page that claims a next page but gives no cursor', async () => {
    const seen: number[] = [];
    for await (const page of paginate<number>(async () => ({ nodes: [9], endCursor: null, hasNextPage: true, pageSize: 100 }), null))
      seen.push(page.index);
    expect(seen).toEqual([1]);
  });
});

it('turns a DS checksum into a folder name', () => {
  expect(checksumFolder('1B2M2Y8AsgTpgAmY7PhCfg==')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  expect(checksumFolder('../x')).toMatch(/^[0-9a-f]{32}$/);
});
