import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';
import { GET_DEMARCHE, GET_DOSSIERS, gql, instructeurIds } from './simulator-helpers.ts';

const READ = 'query($n: Int!) { dossier(number: $n) { state dateDerniereModification labels { name } } }';
const PASSER = 'mutation($input: DossierPasserEnInstructionInput!) { r: dossierPasserEnInstruction(input: $input) { errors { message } } }';

describe('simulator: answer cache (benchmarks)', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  const enConstruction = (s: RunningSimulator) => {
    const found = s.store
      .listDossiers(s.demarches[0]!.number)
      .find((d) => d.state === 'en_construction' && !d.deleted && !d.pendingDeleted);
    if (!found) throw new Error('no en_construction dossier');
    return found;
  };

  it('serves a repeated query from the cache, counted like any other request', async () => {
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 5, rateLimitPerMinute: 0, answerCache: true });
    const { number } = enConstruction(sim);
    const first = await gql(sim, READ, { n: number });
    const second = await gql(sim, READ, { n: number });
    // The answer, not the headers: their HTTP Date differs when the two requests straddle a second.
    expect({ status: second.status, json: second.json }).toEqual({ status: first.status, json: first.json });
    expect(sim.stats.requests).toBe(2);
  });

  it('forgets cached answers on an edit, a label, a clock move and a mutation', async () => {
    sim = await startSimulator({ seed: 11, programmes: ['asr'], dossiersPerDemarche: 20, rateLimitPerMinute: 0, answerCache: true });
    const s = sim;
    const dossier = enConstruction(s);
    const read = async () => (await gql(s, READ, { n: dossier.number })).json.data.dossier;
    const initial = await read();

    s.store.editDossier(dossier.number);
    const edited = await read();
    expect(edited.dateDerniereModification).not.toBe(initial.dateDerniereModification);

    // Labels change no date: only the cache's own bookkeeping can tell.
    const label = 'À examiner';
    s.store.removeLabel(dossier.number, label);
    expect((await read()).labels.map((l: { name: string }) => l.name)).not.toContain(label);
    s.store.addLabel(dossier.number, label);
    expect((await read()).labels.map((l: { name: string }) => l.name)).toContain(label);

    const { json } = await gql(s, GET_DEMARCHE, { number: s.demarches[0]!.number });
    const out = await gql(s, PASSER, { input: { dossierId: dossier.id, instructeurId: instructeurIds(json.data.demarche).all } });
    expect(out.json.data.r.errors).toBeNull();
    expect((await read()).state).toBe('en_instruction');
  });

  it('answers the same once every dossier is materialised ahead of time', async () => {
    const fixed = new Date('2026-03-02T10:00:00Z');
    sim = await startSimulator({ seed: 5, programmes: ['aumg'], dossiersPerDemarche: 30, rateLimitPerMinute: 0, now: () => fixed });
    const page = { number: sim.demarches[0]!.number, first: 100 };
    const lazy = await gql(sim, GET_DOSSIERS, page);
    sim.store.materialiseAll();
    const eager = await gql(sim, GET_DOSSIERS, page);
    expect(eager.json.data.demarche.dossiers.nodes.length).toBeGreaterThan(20);
    expect(eager.json).toEqual(lazy.json);
  });
});
