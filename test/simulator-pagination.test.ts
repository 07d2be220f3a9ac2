import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';
import { gql, PAGE, scan } from './simulator-helpers.ts';

describe('simulator: dossiers pagination', () => {
  let sim: RunningSimulator;
  let number: number;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, programmes: ['mgvh'], dossiersPerDemarche: 130, rateLimitPerMinute: 0 });
    number = sim.demarches[0]!.number;
  });
  afterAll(() => sim.close());

  const visibleNumbers = (): number[] =>
    sim.store
      .listDossiers(number)
      .filter((d) => d.state !== 'brouillon' && !d.deleted && !d.pendingDeleted)
      .map((d) => d.number);

  it('caps pages at 100 whatever first asks, and defaults to 100', async () => {
    const big = await gql(sim, PAGE, { number, first: 500 });
    expect(big.json.data.demarche.dossiers.nodes).toHaveLength(100);
    expect(big.json.data.demarche.dossiers.pageInfo.hasNextPage).toBe(true);
    const byDefault = await gql(sim, PAGE, { number });
    expect(byDefault.json.data.demarche.dossiers.nodes).toHaveLength(100);
  });

  it('orders by (dateDepot, id) without updatedSince and returns every visible dossier once', async () => {
    const nodes = await scan(sim, number, {}, 25);
    const keys = nodes.map((n) => [Date.parse(n.dateDepot), n.number] as const);
    for (let i = 1; i < keys.length; i++) {
      const [t0, id0] = keys[i - 1]!;
      const [t1, id1] = keys[i]!;
      expect(t1 > t0 || (t1 === t0 && id1 > id0)).toBe(true);
    }
    expect(nodes.map((n) => n.number).sort()).toEqual(visibleNumbers().sort());
  });

  it('orders by (dateDerniereModification, id) with updatedSince and filters on it', async () => {
    const all = await scan(sim, number, { updatedSince: '2000-01-01T00:00:00Z' }, 30);
    const times = all.map((n) => Date.parse(n.dateDerniereModification));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const median = times[Math.floor(times.length / 2)]!;
    const since = new Date(median).toISOString();
    const recent = await scan(sim, number, { updatedSince: since });
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    expect(recent.every((n) => Date.parse(n.dateDerniereModification) >= median)).toBe(true);
  });

  it('never returns brouillons, though the store holds some', async () => {
    const brouillons = sim.store.listDossiers(number).filter((d) => d.state === 'brouillon');
    expect(brouillons.length).toBeGreaterThan(0);
    const seen = new Set((await scan(sim, number)).map((n) => n.number));
    for (const b of brouillons) expect(seen.has(b.number)).toBe(false);
    const one = await gql(sim, 'query($n: Int!) { dossier(number: $n) { id } }', { n: brouillons[0]!.number });
    expect(one.json.errors[0].extensions.code).toBe('not_found');
  });

  it('filters on state and createdSince', async () => {
    const accepted = await scan(sim, number, { state: 'accepte' });
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.every((n) => n.state === 'accepte')).toBe(true);
    const all = await scan(sim, number);
    const cut = Date.parse(all[50]!.dateDepot);
    const created = await scan(sim, number, { createdSince: new Date(cut).toISOString() });
    expect(created.every((n) => Date.parse(n.dateDepot) >= cut)).toBe(true);
    expect(created.length).toBeLessThan(all.length);
  });

  it('rejects first+last and after+before with bad_request', async () => {
    const both = await gql(sim, PAGE, { number, first: 10, last: 10 });
    expect(both.json.errors[0].extensions.code).toBe('bad_request');
    const page = await gql(sim, PAGE, { number, first: 2 });
    const cursor = page.json.data.demarche.dossiers.pageInfo.endCursor;
    const around = await gql(sim, PAGE, { number, after: cursor, before: cursor });
    expect(around.json.errors[0].extensions.code).toBe('bad_request');
  });

  it('walks backwards with the deprecated order: DESC', async () => {
    const all = (await scan(sim, number)).map((n) => n.number);
    const DESC = PAGE.replace('state: $state)', 'state: $state, order: DESC)');
    const seen: number[] = [];
    let after: string | null = null;
    for (let more = true; more; ) {
      const conn: { nodes: Array<{ number: number }>; pageInfo: { hasNextPage: boolean; endCursor: string } } = (
        await gql(sim, DESC, { number, first: 40, after })
      ).json.data.demarche.dossiers;
      seen.push(...conn.nodes.map((n) => n.number));
      more = conn.pageInfo.hasNextPage;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual([...all].reverse());
  });

  it('serves last N and keeps endCursor null on an empty page', async () => {
    const all = await scan(sim, number);
    const last = await gql(sim, PAGE, { number, last: 5 });
    expect(last.json.data.demarche.dossiers.nodes.map((n: { number: number }) => n.number)).toEqual(all.slice(-5).map((n) => n.number));
    const end = await gql(sim, PAGE, { number, first: 100, after: last.json.data.demarche.dossiers.pageInfo.endCursor });
    expect(end.json.data.demarche.dossiers.nodes).toEqual([]);
    expect(end.json.data.demarche.dossiers.pageInfo).toMatchObject({ hasNextPage: false, endCursor: null });
  });
});

describe('simulator: edits while paging', () => {
  it('delivers every dossier at least once and re-delivers the edited ones (updatedSince keyset)', async () => {
    const sim = await startSimulator({
      seed: 3,
      programmes: ['asr'],
      dossiersPerDemarche: 60,
      rateLimitPerMinute: 0,
      faults: { concurrentEditRate: 1 },
    });
    try {
      const number = sim.demarches[0]!.number;
      const before = new Map(sim.store.listDossiers(number).map((d) => [d.number, d.dateDerniereModification.getTime()]));
      const nodes: Array<{ number: number; dateDerniereModification: string }> = [];
      let after: string | null = null;
      for (let more = true; more; ) {
        const { json } = await gql(sim, PAGE, { number, first: 10, after, updatedSince: '2000-01-01T00:00:00Z' });
        const conn = json.data.demarche.dossiers;
        nodes.push(...conn.nodes);
        more = conn.pageInfo.hasNextPage;
        after = conn.pageInfo.endCursor ?? after;
      }
      // The last answer triggered edits too: resuming from the stored cursor picks them up.
      sim.setFaults({ concurrentEditRate: 0 });
      nodes.push(
        ...(await gql(sim, PAGE, { number, first: 100, after, updatedSince: '2000-01-01T00:00:00Z' })).json.data.demarche.dossiers.nodes,
      );
      const seen = new Set(nodes.map((n) => n.number));
      const visible = sim.store.listDossiers(number).filter((d) => d.state !== 'brouillon' && !d.deleted && !d.pendingDeleted);
      for (const d of visible) expect(seen.has(d.number)).toBe(true);
      const edited = visible.filter((d) => d.dateDerniereModification.getTime() !== before.get(d.number));
      expect(edited.length).toBeGreaterThan(0);
      // An edited dossier moves past the cursor: its newest version is delivered.
      for (const d of edited) {
        const last = nodes.filter((n) => n.number === d.number).at(-1)!;
        expect(Date.parse(last.dateDerniereModification)).toBe(Math.floor(d.dateDerniereModification.getTime() / 1000) * 1000);
      }
      expect(nodes.length).toBeGreaterThan(seen.size);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: deletions', () => {
  let sim: RunningSimulator;
  let number: number;
  const DELETED = `query($number: Int!, $first: Int, $after: String, $since: ISO8601DateTime) { demarche(number: $number) {
    deletedDossiers(first: $first, after: $after, deletedSince: $since) { pageInfo { hasNextPage endCursor } nodes { id number state reason dateSupression } }
    pendingDeletedDossiers(first: $first, deletedSince: $since) { nodes { number reason dateSupression } } } }`;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, programmes: ['asp'], dossiersPerDemarche: 20, rateLimitPerMinute: 0 });
    number = sim.demarches[0]!.number;
  });
  afterAll(() => sim.close());

  it('lists seeded deletions with their reasons', async () => {
    const { json } = await gql(sim, DELETED, { number });
    const reasons = json.data.demarche.deletedDossiers.nodes.map((n: { reason: string }) => n.reason).sort();
    expect(reasons).toEqual(['expired', 'user_request']);
    expect(json.data.demarche.pendingDeletedDossiers.nodes).toHaveLength(1);
    const visible = new Set((await scan(sim, number)).map((n) => n.number));
    for (const n of [...json.data.demarche.deletedDossiers.nodes, ...json.data.demarche.pendingDeletedDossiers.nodes]) {
      expect(visible.has(n.number)).toBe(false);
    }
  });

  it('moves a deleted dossier out of dossiers and into deletedDossiers, paged by date', async () => {
    const [a, b] = await scan(sim, number);
    sim.store.deleteDossier(a!.number, 'instructeur_request');
    sim.store.markPendingDeletion(b!.number, 'expired');
    const visible = new Set((await scan(sim, number)).map((n) => n.number));
    expect(visible.has(a!.number)).toBe(false);
    expect(visible.has(b!.number)).toBe(false);
    const first = await gql(sim, DELETED, { number, first: 2 });
    const conn = first.json.data.demarche.deletedDossiers;
    expect(conn.nodes).toHaveLength(2);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const next = await gql(sim, DELETED, { number, first: 2, after: conn.pageInfo.endCursor });
    const rest = next.json.data.demarche.deletedDossiers.nodes;
    expect(rest).toEqual([expect.objectContaining({ number: a!.number, reason: 'instructeur_request' })]);
    const pending = next.json.data.demarche.pendingDeletedDossiers.nodes.map((n: { number: number }) => n.number);
    expect(pending).toContain(b!.number);
    const recent = await gql(sim, DELETED, { number, since: rest[0].dateSupression });
    expect(recent.json.data.demarche.deletedDossiers.nodes.map((n: { number: number }) => n.number)).toEqual([a!.number]);
  });
});
