import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';
import { gql, PAGE } from './simulator-helpers.ts';

describe('simulator: rate limit and injected faults', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  const ping = 'query($n: Int!) { demarche(number: $n) { id } }';

  it('answers 429 "Calme toi, cowboy" with Retry-After once a token exceeds its budget, per token', async () => {
    const fixed = new Date('2026-03-02T10:00:10Z');
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 3, rateLimitPerMinute: 3, now: () => fixed });
    const n = sim.demarches[0]!.number;
    for (let i = 0; i < 3; i++) expect((await gql(sim, ping, { n })).status).toBe(200);
    const limited = await gql(sim, ping, { n });
    expect(limited.status).toBe(429);
    expect(limited.json).toContain('Calme toi, cowboy');
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBe(Date.parse('2026-03-02T10:01:00Z') / 1000);
    expect(sim.stats.rateLimited).toBe(1);
    // Another token has its own budget; the next window starts afresh.
    expect((await gql(sim, ping, { n }, sim.tokens.readOnly)).status).toBe(200);
    sim.store.advanceClock(60_000);
    expect((await gql(sim, ping, { n })).status).toBe(200);
  });

  it('answers no sooner than the injected latency, errors included', async () => {
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 3, faults: { latencyMs: 120 } });
    const n = sim.demarches[0]!.number;
    for (const token of [sim.tokens.readWrite, 'not-a-token']) {
      const started = performance.now();
      const res = await gql(sim, ping, { n }, token);
      expect(res.status).toBe(token === 'not-a-token' ? 401 : 200);
      // Timers may fire a millisecond early; 115 ms still proves the wait happened.
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    }
  });

  it('holds each answer for the latency set when it arrived; reset to 0, answers at once', async () => {
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 3, faults: { latencyMs: 600_000 } });
    const n = sim.demarches[0]!.number;
    // No clock threshold: a request held ten minutes is still unanswered when a later one, sent
    // after the reset, has its answer.
    let heldAnswered = false;
    const held = gql(sim, ping, { n }).then(
      () => (heldAnswered = true),
      () => undefined,
    );
    await expect.poll(() => sim!.stats.requests).toBe(1);
    sim.setFaults({ latencyMs: 0 });
    expect((await gql(sim, ping, { n })).status).toBe(200);
    expect(heldAnswered).toBe(false);
    await sim.close();
    sim = undefined;
    await held;
    expect(heldAnswered).toBe(false);
  });

  it('answers a top-level timeout (HTTP 200, data null) with timeoutRate 1', async () => {
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 3, faults: { timeoutRate: 1 } });
    const res = await gql(sim, ping, { n: sim.demarches[0]!.number });
    expect(res.status).toBe(200);
    expect(res.json.data).toBeNull();
    expect(res.json.errors[0].extensions.code).toBe('timeout');
  });

  it('answers 500/502/503 with serverErrorRate 1, then recovers when the knob is reset', async () => {
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 3, faults: { serverErrorRate: 1 } });
    const n = sim.demarches[0]!.number;
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await gql(sim, ping, { n })).status);
    expect([...statuses].every((s) => [500, 502, 503].includes(s))).toBe(true);
    expect(statuses.size).toBeGreaterThan(1);
    sim.setFaults({ serverErrorRate: 0 });
    expect((await gql(sim, ping, { n })).status).toBe(200);
  });

  it('destroys the socket without an answer with resetRate 1', async () => {
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 3, faults: { resetRate: 1 } });
    await expect(gql(sim, ping, { n: sim.demarches[0]!.number })).rejects.toThrow();
    expect(sim.stats.requests).toBe(1);
  });

  it('serves the next N dossier pages with one malformed node, then clean pages', async () => {
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 10, faults: { malformedNextAnswers: 2 } });
    const n = sim.demarches[0]!.number;
    const bad = (nodes: Array<{ state: unknown; number: unknown }>) =>
      nodes.filter((x) => x.state === 'bogus' || typeof x.number === 'string').length;
    for (let i = 0; i < 2; i++) expect(bad((await gql(sim, PAGE, { number: n, first: 5 })).json.data.demarche.dossiers.nodes)).toBe(1);
    expect(bad((await gql(sim, PAGE, { number: n, first: 5 })).json.data.demarche.dossiers.nodes)).toBe(0);
  });

  it('is driven from another process through the admin endpoint (faults, edit, label, delete, stats)', async () => {
    sim = await startSimulator({ programmes: ['asp'], dossiersPerDemarche: 5 });
    const admin = (action: string, body: unknown, token = sim!.tokens.readWrite) =>
      fetch(`${sim!.url}/__simulator/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await admin('faults', { latencyMs: 5 }, sim.tokens.readOnly)).status).toBe(401);
    expect(await (await admin('faults', { latencyMs: 5, timeoutRate: 0 })).json()).toMatchObject({ latencyMs: 5 });
    expect((await admin('faults', { timeoutRate: 2 })).status).toBe(400);
    const n = sim.demarches[0]!.number;
    const d = sim.store.listDossiers(n).find((x) => x.state === 'en_construction')!;
    const edited = (await (await admin('edit', { number: d.number })).json()) as { dateDerniereModification: string };
    expect(Date.parse(edited.dateDerniereModification)).toBeGreaterThan(d.dateDerniereModification.getTime());
    expect((await admin('label', { number: d.number, name: 'Urgent' })).status).toBe(200);
    expect(sim.store.getDossier(d.number).labels).toContain('Urgent');
    expect((await admin('delete', { number: d.number, reason: 'user_request' })).status).toBe(200);
    expect(sim.store.getDossier(d.number).deleted?.reason).toBe('user_request');
    expect((await admin('edit', { number: 42 })).status).toBe(404);
    expect(await (await admin('stats', {})).json()).toMatchObject({ requests: 0 });
    expect((await gql(sim, ping, { n })).status).toBe(200);
  });
});
