import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';
import { gql, GET_DEMARCHE, instructeurIds } from './simulator-helpers.ts';

const PASSER = `mutation($input: DossierPasserEnInstructionInput!) {
  dossierPasserEnInstruction(input: $input) { clientMutationId dossier { state } errors { message } } }`;

describe('simulator: authentication and scopes', () => {
  let sim: RunningSimulator;
  let number: number;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 2, programmes: ['aumg'], dossiersPerDemarche: 12, rateLimitPerMinute: 0 });
    number = sim.demarches[0]!.number;
  });
  afterAll(() => sim.close());

  const demarche = 'query($n: Int!) { demarche(number: $n) { id title } }';

  it('answers 401 Unauthorized without a token or with an unknown one', async () => {
    for (const token of [null, 'not-a-token']) {
      const res = await gql(sim, demarche, { n: number }, token);
      expect(res.status).toBe(401);
      expect(res.json.errors[0].message).toBe('Unauthorized');
    }
  });

  it('answers 401 Token expired for an expired token', async () => {
    const res = await gql(sim, demarche, { n: number }, sim.tokens.expired);
    expect(res.status).toBe(401);
    expect(res.json.errors[0].message).toBe('Token expired');
  });

  it('hides démarches and dossiers outside the token scope', async () => {
    const res = await gql(sim, demarche, { n: number }, sim.tokens.otherScope);
    expect(res.status).toBe(200);
    expect(res.json.data).toBeNull();
    expect(res.json.errors[0]).toMatchObject({
      message: 'An object of type Demarche was hidden due to permissions',
      extensions: { code: 'unauthorized' },
    });
    const dossier = sim.store.listDossiers(number).find((d) => d.state === 'en_construction')!;
    const one = await gql(sim, 'query($n: Int!) { dossier(number: $n) { id } }', { n: dossier.number }, sim.tokens.otherScope);
    expect(one.json.errors[0].extensions.code).toBe('unauthorized');
  });

  it('lets a read-only token read, and turns every mutation into a payload error', async () => {
    const read = await gql(sim, GET_DEMARCHE, { number }, sim.tokens.readOnly);
    expect(read.json.data.demarche.title).toContain('AUMG');
    const dossier = sim.store.listDossiers(number).find((d) => d.state === 'en_construction')!;
    const { all } = instructeurIds(read.json.data.demarche);
    const res = await gql(
      sim,
      PASSER,
      { input: { dossierId: dossier.id, instructeurId: all, clientMutationId: 'ro-1' } },
      sim.tokens.readOnly,
    );
    expect(res.json.data.dossierPasserEnInstruction).toEqual({
      clientMutationId: 'ro-1',
      dossier: null,
      errors: [{ message: 'Le jeton utilisé est configuré seulement en lecture' }],
    });
    expect(sim.store.getDossier(dossier.number).state).toBe('en_construction');
    expect(sim.stats.mutations.at(-1)).toMatchObject({
      operation: 'dossierPasserEnInstruction',
      dossierNumber: dossier.number,
      clientMutationId: 'ro-1',
      ok: false,
    });
  });

  it('answers not_found for an unknown dossier or démarche, 400 graphql_parse_failed for bad syntax', async () => {
    const dossier = await gql(sim, 'query { dossier(number: 1) { id } }');
    expect(dossier.json.errors[0].extensions.code).toBe('not_found');
    const dem = await gql(sim, demarche, { n: 999 });
    expect(dem.json.errors[0].extensions.code).toBe('not_found');
    const bad = await gql(sim, 'query { demarche(number: 1) { id ');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].extensions.code).toBe('graphql_parse_failed');
  });

  it('answers 400 bad_request to a body that is not a GraphQL request', async () => {
    for (const body of ['{not json', 'null', '[1]', '{}']) {
      const res = await fetch(sim.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${sim.tokens.readWrite}` }, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('bad_request');
    }
  });

  it('counts requests per operation name', async () => {
    const before = sim.stats.requests;
    await gql(sim, 'query Ping { demarche(number: 104512) { id } }');
    expect(sim.stats.requests).toBe(before + 1);
    expect(sim.stats.byOperation['Ping']).toBe(1);
  });
});
