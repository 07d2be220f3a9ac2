/** Plain-fetch helpers for the simulator tests (the simulator is exercised over real HTTP). */
import { readFileSync } from 'node:fs';
import type { RunningSimulator } from '../src/simulator/index.ts';

export interface GqlAnswer {
  status: number;
  headers: Headers;
  json: any;
}

export async function gql(
  sim: RunningSimulator,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = sim.tokens.readWrite,
): Promise<GqlAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(sim.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

const fragments = (names: string[]): string =>
  names.map((n) => readFileSync(new URL(`../queries/fragments/${n}.graphql`, import.meta.url), 'utf8')).join('\n');

/** The project's own typed operations, with their fragments, as the adapter sends them. */
export const GET_DOSSIERS =
  readFileSync(new URL('../queries/GetDossiers.graphql', import.meta.url), 'utf8') + fragments(['Dossier', 'Champ', 'File']);
export const GET_DOSSIER =
  readFileSync(new URL('../queries/GetDossier.graphql', import.meta.url), 'utf8') + fragments(['Dossier', 'Champ', 'File']);
export const GET_DEMARCHE =
  readFileSync(new URL('../queries/GetDemarche.graphql', import.meta.url), 'utf8') + fragments(['Revision', 'ChampDescriptor']);

export const PAGE = `query Page($number: Int!, $first: Int, $last: Int, $after: String, $before: String, $updatedSince: ISO8601DateTime, $createdSince: ISO8601DateTime, $state: DossierState) {
  demarche(number: $number) {
    dossiers(first: $first, last: $last, after: $after, before: $before, updatedSince: $updatedSince, createdSince: $createdSince, state: $state) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id number state dateDepot dateDerniereModification }
    }
  }
}`;

export interface PageNode {
  id: string;
  number: number;
  state: string;
  dateDepot: string;
  dateDerniereModification: string;
}

/** Pages through a démarche until hasNextPage is false; returns every node in order. */
export async function scan(sim: RunningSimulator, number: number, vars: Record<string, unknown> = {}, first = 100): Promise<PageNode[]> {
  const out: PageNode[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const { json } = await gql(sim, PAGE, { number, first, after, ...vars });
    const conn = json.data.demarche.dossiers;
    out.push(...conn.nodes);
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('scan did not end');
}

export function instructeurIds(demarche: any): { all: string; onlyFirst: string; onlySecond: string } {
  const [g1, g2] = demarche.groupeInstructeurs;
  const ids1 = new Set(g1.instructeurs.map((i: any) => i.id));
  const ids2 = new Set(g2.instructeurs.map((i: any) => i.id));
  const all = [...ids1].find((id) => ids2.has(id)) as string;
  return {
    all,
    onlyFirst: [...ids1].find((id) => !ids2.has(id)) as string,
    onlySecond: [...ids2].find((id) => !ids1.has(id)) as string,
  };
}
