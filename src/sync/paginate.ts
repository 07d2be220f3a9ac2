/** One page of a DS connection, numbered from 1 within the run. */
export interface Page<T> {
  index: number;
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
  pageSize: number;
}

export interface Fetched<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
  pageSize: number;
}

/** Fetches the page after `after`; `sizes` is the page-size ladder to try (see DsClient.requestPage). */
export type FetchPage<T> = (after: string | null, index: number, sizes: readonly number[], signal: AbortSignal) => Promise<Fetched<T>>;

export const PAGE_SIZES = [100, 50, 20] as const;

/** The ladder from the size that last worked: once DS timed out at 100, stay at 50 for the run. */
export function sizesFrom(size: number): number[] {
  const rest = PAGE_SIZES.filter((s) => s <= size);
  return rest.length > 0 ? rest : [size];
}

/**
 * Walks a DS connection from `after`. The next page is requested as soon as the current one
 * arrives (its cursor is known), so the caller's work on page k overlaps the network wait for
 * page k+1. Pages are still yielded, and so written, strictly in order. When the caller stops
 * early (error, crash hook), the prefetch is aborted and awaited.
 */
export async function* paginate<T>(fetchPage: FetchPage<T>, after: string | null): AsyncGenerator<Page<T>> {
  const controller = new AbortController();
  let pending: Promise<Fetched<T>> | undefined = fetchPage(after, 1, PAGE_SIZES, controller.signal);
  try {
    for (let index = 1; pending !== undefined; index++) {
      let page: Fetched<T> | undefined = await pending;
      pending = undefined;
      // An empty page has no endCursor; a cursor-less "next page" would loop forever.
      const next = page.hasNextPage && page.endCursor !== null ? page.endCursor : null;
      if (next !== null) {
        pending = fetchPage(next, index + 1, sizesFrom(page.pageSize), controller.signal);
        pending.catch(() => undefined); // awaited on the next turn or in finally
        // Let the event loop send the request before the caller's work on this page, which
        // is mostly synchronous (SQLite): otherwise it would leave only once the page is written.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // References are dropped once the caller is done with the page: this suspended generator
      // would otherwise keep page k alive while page k+1 is parsed (two pages of nodes in memory).
      let out: Page<T> | undefined = { index, ...page };
      page = undefined;
      yield out;
      out = undefined;
    }
  } finally {
    if (pending !== undefined) {
      controller.abort();
      await pending.catch(() => undefined);
    }
  }
}

export function notNull<T>(value: T | null): value is T {
  return value !== null;
}
