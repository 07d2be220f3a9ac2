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

/** Pages requested ahead of the caller: one parsed and waiting, one on the network. */
const READ_AHEAD = 2;

/**
 * Walks a DS connection from `after`. A page's cursor is known as soon as it arrives, so the next
 * page is requested then, from the answer's callback, whether or not the caller has finished
 * with the earlier ones (up to READ_AHEAD pages not yet taken): the chain of requests runs at the
 * network's pace while the caller writes, instead of waiting for each write to ask for more.
 * Pages are still yielded, and so written, strictly in order. A failed request ends the chain;
 * its error reaches the caller at that page, after the earlier ones. When the caller stops early
 * (error, crash hook), the requests in flight are aborted and awaited; so they are when `stop`
 * aborts, and the caller then meets an AbortError at the next page it waits for.
 */
export async function* paginate<T>(fetchPage: FetchPage<T>, after: string | null, stop?: AbortSignal): AsyncGenerator<Page<T>> {
  const controller = new AbortController();
  // A stop request abandons the request in flight: the caller meets its AbortError at that page.
  const abandon = (): void => controller.abort();
  if (stop?.aborted) abandon();
  else stop?.addEventListener('abort', abandon, { once: true });
  /** Requested and not yet taken by the caller, in order. */
  const ahead: Array<Promise<Fetched<T>>> = [];
  /** The next request, when READ_AHEAD pages were already waiting as its cursor arrived. */
  let deferred: { cursor: string; sizes: readonly number[] } | undefined;
  let requested = 0;
  const request = (cursor: string | null, sizes: readonly number[]): void => {
    const fetched = fetchPage(cursor, ++requested, sizes, controller.signal);
    ahead.push(fetched);
    fetched.then(
      (page) => {
        if (controller.signal.aborted) return;
        // An empty page has no endCursor; a cursor-less "next page" would loop forever.
        if (page.hasNextPage && page.endCursor !== null) {
          deferred = { cursor: page.endCursor, sizes: sizesFrom(page.pageSize) };
          pump();
        }
      },
      () => undefined,
    ); // the caller meets the error when it reaches this page
  };
  const pump = (): void => {
    if (deferred === undefined || ahead.length >= READ_AHEAD) return;
    const next = deferred;
    deferred = undefined;
    request(next.cursor, next.sizes);
  };
  request(after, PAGE_SIZES);
  try {
    for (let index = 1; ; index++) {
      const fetched = ahead.shift();
      if (fetched === undefined) return;
      // Room for the request a full read-ahead held back (the only place room is made).
      pump();
      let page: Fetched<T> | undefined = await fetched;
      // Let the event loop send a request just made before the caller's work on this page, which
      // is mostly synchronous (SQLite): otherwise it would leave only once the page is written.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // References are dropped once the caller is done with the page: this suspended generator
      // would otherwise keep it alive while later pages are parsed.
      let out: Page<T> | undefined = { index, ...page };
      page = undefined;
      yield out;
      out = undefined;
    }
  } finally {
    stop?.removeEventListener('abort', abandon);
    controller.abort();
    await Promise.allSettled(ahead);
  }
}

export function notNull<T>(value: T | null): value is T {
  return value !== null;
}
