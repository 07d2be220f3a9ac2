/** The DS client against the project's DS simulator: a real GraphQL server with fault knobs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import {
  DossierPasserEnInstructionDocument,
  GetDemarcheDocument,
  GetDossierDocument,
  GetDossiersDocument,
  type GetDossiersQuery,
} from '../src/generated/graphql.ts';
import type { Answer } from '../src/graphql/answers.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { DsClient, type DsClientOptions } from '../src/graphql/client.ts';
import { createLogger, createMemoryDestination } from '../src/logger.ts';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';

type Dossier = NonNullable<NonNullable<Answer<GetDossiersQuery>['demarche']['dossiers']['nodes']>[number]>;

// One clock for the simulator (rate-limit windows, link expiry) and the client (sleeps).
const clock = { t: Date.parse('2026-03-02T08:00:00Z') };
let sim: RunningSimulator;
let demarche: number;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, programmes: ['asp'], dossiersPerDemarche: 45, now: () => new Date(clock.t) });
  demarche = sim.demarches[0]?.number ?? 0;
});
afterAll(async () => {
  await sim.close();
});

function client(token: string, options: Partial<DsClientOptions> = {}): DsClient {
  const now = () => clock.t;
  const sleep = async (ms: number) => {
    clock.t += ms;
  };
  return new DsClient({
    url: sim.graphqlUrl,
    token,
    now,
    sleep,
    budget: new RequestBudget({ now, sleep, perMinute: 100_000, burst: 1000 }),
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

async function allDossiers(ds: DsClient): Promise<Dossier[]> {
  const dossiers: Dossier[] = [];
  let after: string | null = null;
  for (let page = 1; ; page += 1) {
    const { data } = await ds.requestPage(GetDossiersDocument, (first) => ({ number: demarche, first, after }), {
      sizes: [20],
      context: `démarche ${demarche}, page ${page}`,
    });
    const connection = data.demarche.dossiers;
    for (const node of connection.nodes ?? []) if (node) dossiers.push(node);
    if (!connection.pageInfo.hasNextPage) return dossiers;
    after = connection.pageInfo.endCursor;
  }
}

describe('DsClient against the simulator', () => {
  it('reads a démarche and every page of its dossiers, all answers passing the zod schemas', async () => {
    const ds = client(sim.tokens.readWrite);
    const answer = await ds.request(GetDemarcheDocument, { number: demarche });
    expect(answer.demarche.number).toBe(demarche);
    expect(answer.demarche.activeRevision.champDescriptors.length).toBeGreaterThan(0);
    const dossiers = await allDossiers(ds);
    expect(dossiers.length).toBeGreaterThan(20);
    expect(new Set(dossiers.map((d) => d.number)).size).toBe(dossiers.length);
    expect(ds.stats).toMatchObject({ retries: 0, malformed: 0 });
  });

  it('gets the same dossiers through resets and server errors, by retrying', async () => {
    const clean = (await allDossiers(client(sim.tokens.readWrite))).map((d) => d.number);
    sim.setFaults({ resetRate: 0.15, serverErrorRate: 0.25 });
    try {
      const ds = client(sim.tokens.readWrite, { maxRetries: 12 });
      const numbers = (await allDossiers(ds)).map((d) => d.number);
      expect(numbers).toEqual(clean);
      expect(ds.stats.retries).toBeGreaterThan(0);
      expect(ds.stats.serverErrors + ds.stats.networkErrors).toBe(ds.stats.retries);
    } finally {
      sim.setFaults({ resetRate: 0, serverErrorRate: 0 });
    }
  });

  it('downloads a file from its signed link through the budget', async () => {
    const ds = client(sim.tokens.readWrite);
    const files = (await allDossiers(ds)).flatMap((d) =>
      d.champs.flatMap((c) => (c.__typename === 'PieceJustificativeChamp' ? c.files : [])),
    );
    const first = files[0];
    if (!first) throw new Error('the simulator serves no file');
    const before = sim.stats.fileDownloads;
    const response = await ds.download(first.url, { context: first.filename });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBe(Number(first.byteSizeBigInt));
    expect(sim.stats.fileDownloads).toBe(before + 1);
    expect(ds.stats.downloads).toBe(1);
  });

  it('reports an expired file link in French', async () => {
    const ds = client(sim.tokens.readWrite);
    const url = (await allDossiers(ds)).flatMap((d) =>
      d.champs.flatMap((c) => (c.__typename === 'PieceJustificativeChamp' ? c.files : [])),
    )[0]?.url;
    if (!url) throw new Error('the simulator serves no file');
    clock.t += 2 * 3_600_000;
    const error = await failure(ds.download(url));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('expirent après 1 h');
  });

  it('waits out the simulator’s rate limit (429 + Retry-After) instead of failing', async () => {
    const limited = await startSimulator({
      seed: 7,
      programmes: ['asp'],
      dossiersPerDemarche: 3,
      rateLimitPerMinute: 3,
      now: () => new Date(clock.t),
    });
    try {
      const budget = new RequestBudget({ now: () => clock.t, sleep: async (ms) => void (clock.t += ms), perMinute: 100_000, burst: 1000 });
      const ds = new DsClient({
        url: limited.graphqlUrl,
        token: limited.tokens.readWrite,
        budget,
        now: () => clock.t,
        sleep: async (ms) => void (clock.t += ms),
      });
      const number = limited.demarches[0]?.number ?? 0;
      for (let i = 0; i < 5; i += 1) await ds.request(GetDemarcheDocument, { number });
      expect(limited.stats.rateLimited).toBeGreaterThan(0);
      expect(ds.stats.rateLimited).toBe(limited.stats.rateLimited);
      expect(budget.stats.pauses).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('names the dossier and the path of a malformed answer, and keeps nothing of it', async () => {
    sim.setFaults({ malformedNextAnswers: 1 });
    const error = await failure(
      client(sim.tokens.readWrite).request(
        GetDossiersDocument,
        { number: demarche, first: 20 },
        { context: `démarche ${demarche}, page 1` },
      ),
    );
    expect(error.code).toBe('malformed_answer');
    expect(error.message).toMatch(/dossier \d+, champ demarche\.dossiers\.nodes\[\d+\]\.(state|number)/);
    expect(error.message).toContain(`démarche ${demarche}, page 1`);
  });

  it('steps down the page size on timeouts, then gives up with a French timeout error', async () => {
    sim.setFaults({ timeoutRate: 1 });
    try {
      const ds = client(sim.tokens.readWrite, { maxRetries: 1 });
      const error = await failure(ds.requestPage(GetDossiersDocument, (first) => ({ number: demarche, first })));
      expect(error.code).toBe('timeout');
      expect(ds.stats).toMatchObject({ pageSizeReductions: 2, requests: 4 });
    } finally {
      sim.setFaults({ timeoutRate: 0 });
    }
  });

  it('maps the simulator’s access errors', async () => {
    const expired = await failure(client(sim.tokens.expired).request(GetDemarcheDocument, { number: demarche }));
    expect(expired.code).toBe('token_expired');
    const unknown = await failure(client('bm9wZTtub3Bl').request(GetDemarcheDocument, { number: demarche }));
    expect(unknown.code).toBe('auth');
    const scope = await failure(client(sim.tokens.otherScope).request(GetDemarcheDocument, { number: demarche }));
    expect(scope.code).toBe('unauthorized');
    const missing = await failure(client(sim.tokens.readWrite).request(GetDossierDocument, { number: 999_999_999 }));
    expect(missing.code).toBe('not_found');
  });

  it('throws read_only for a mutation sent with a read-only token, and never logs the token', async () => {
    const destination = createMemoryDestination();
    const reader = client(sim.tokens.readWrite);
    const meta = await reader.request(GetDemarcheDocument, { number: demarche });
    const instructeurId = meta.demarche.groupeInstructeurs[0]?.instructeurs[0]?.id;
    const dossier = (await allDossiers(reader)).find((d) => d.state === 'en_construction');
    if (!instructeurId || !dossier) throw new Error('fixture: no instructeur or no dossier en construction');
    const ds = client(sim.tokens.readOnly, { logger: createLogger({ level: 'trace', destination }) });
    const error = await failure(
      ds.mutate(DossierPasserEnInstructionDocument, { input: { dossierId: dossier.id, instructeurId, clientMutationId: 'test-1' } }),
    );
    expect(error.code).toBe('read_only');
    expect(destination.lines.length).toBeGreaterThan(0);
    expect(destination.text()).not.toContain(sim.tokens.readOnly);
    expect(JSON.stringify(error) + error.message).not.toContain(sim.tokens.readOnly);
  });
});
