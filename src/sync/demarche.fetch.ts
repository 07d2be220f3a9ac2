import type { DsClient } from '../graphql/client.ts';
import { GetDemarcheDocument } from '../generated/graphql.ts';
import type { DemarcheNode } from './revision.ts';

/** The démarche with its active revision, groupes instructeurs and labels: one request per run. */
export async function fetchDemarche(client: DsClient, demarche: number): Promise<DemarcheNode> {
  const data = await client.request(GetDemarcheDocument, { number: demarche }, { context: `démarche ${demarche}` });
  return data.demarche;
}
