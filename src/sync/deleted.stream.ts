import type { DsClient } from '../graphql/client.ts';
import { GetDeletedDossiersDocument, GetPendingDeletedDossiersDocument } from '../generated/graphql.ts';
import type { DeletedNode } from './deletions.writer.ts';
import { notNull, paginate, type Page } from './paginate.ts';

export interface DeletedStreamOptions {
  demarche: number;
  /** `deletedSince`: the démarche's fixed origin, like `updatedSince` for dossiers. */
  origin: string;
  after: string | null;
  /** A stop request: the request in flight is abandoned (see paginate). */
  signal?: AbortSignal | undefined;
}

/** Pages of dossiers DS deleted, resuming after the stored cursor. */
export function deletedPages(client: DsClient, options: DeletedStreamOptions): AsyncGenerator<Page<DeletedNode>> {
  return paginate(
    async (after, index, sizes, signal) => {
      const { data, pageSize } = await client.requestPage(
        GetDeletedDossiersDocument,
        (first) => ({ number: options.demarche, first, after, deletedSince: options.origin }),
        { sizes, signal, context: `démarche ${options.demarche}, page ${index} des dossiers supprimés` },
      );
      const connection = data.demarche.deletedDossiers;
      return { nodes: (connection.nodes ?? []).filter(notNull), ...connection.pageInfo, pageSize };
    },
    options.after,
    options.signal,
  );
}

/** Pages of dossiers awaiting deletion (hidden by the usager, expiring), resuming after the stored cursor. */
export function pendingDeletedPages(client: DsClient, options: DeletedStreamOptions): AsyncGenerator<Page<DeletedNode>> {
  return paginate(
    async (after, index, sizes, signal) => {
      const { data, pageSize } = await client.requestPage(
        GetPendingDeletedDossiersDocument,
        (first) => ({ number: options.demarche, first, after, deletedSince: options.origin }),
        { sizes, signal, context: `démarche ${options.demarche}, page ${index} des dossiers en attente de suppression` },
      );
      const connection = data.demarche.pendingDeletedDossiers;
      return { nodes: (connection.nodes ?? []).filter(notNull), ...connection.pageInfo, pageSize };
    },
    options.after,
    options.signal,
  );
}
