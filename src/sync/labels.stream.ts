import type { DsClient } from '../graphql/client.ts';
import { GetDossierLabelsDocument } from '../generated/graphql.ts';
import type { LabelsNode } from './labels.writer.ts';
import { notNull, paginate, type Page } from './paginate.ts';

/**
 * Labels of every dossier of the démarche, in ⌈N/100⌉ light requests. Needed because adding or
 * removing a label does not bump dateDerniereModification (NOTES §4): the dossiers cursor never
 * sees it. Always a whole pass, from the start; a stop request (`signal`) abandons it (see paginate).
 */
export function labelPages(client: DsClient, demarche: number, signal?: AbortSignal): AsyncGenerator<Page<LabelsNode>> {
  return paginate(
    async (after, index, sizes, pageSignal) => {
      const { data, pageSize } = await client.requestPage(GetDossierLabelsDocument, (first) => ({ number: demarche, first, after }), {
        sizes,
        signal: pageSignal,
        context: `démarche ${demarche}, page ${index} des étiquettes`,
      });
      const connection = data.demarche.dossiers;
      return { nodes: (connection.nodes ?? []).filter(notNull), ...connection.pageInfo, pageSize };
    },
    null,
    signal,
  );
}
