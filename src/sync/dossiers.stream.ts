import type { DsClient } from '../graphql/client.ts';
import { GetDossiersDocument } from '../generated/graphql.ts';
import type { DossierNode } from '../graphql/answers.ts';
import { notNull, paginate, type Page } from './paginate.ts';

export interface DossiersStreamOptions {
  demarche: number;
  /** Fixed `updatedSince`: it both filters and sets the (updated_at, id) order DS pages by. */
  origin: string;
  /** Stored cursor to resume after; null reads from the start. */
  after: string | null;
  /** A stop request: the request in flight is abandoned (see paginate). */
  signal?: AbortSignal | undefined;
}

/** Pages of dossiers modified since the origin, resuming after the stored cursor (NOTES §4). */
export function dossierPages(client: DsClient, options: DossiersStreamOptions): AsyncGenerator<Page<DossierNode>> {
  return paginate(
    async (after, index, sizes, signal) => {
      const { data, pageSize } = await client.requestPage(
        GetDossiersDocument,
        (first) => ({ number: options.demarche, first, after, updatedSince: options.origin }),
        { sizes, signal, context: `démarche ${options.demarche}, page ${index} des dossiers` },
      );
      const connection = data.demarche.dossiers;
      return { nodes: (connection.nodes ?? []).filter(notNull), ...connection.pageInfo, pageSize };
    },
    options.after,
    options.signal,
  );
}
