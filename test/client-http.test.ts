import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import {
  DossierAccepterDocument,
  GetDossierDocument,
  GetDossiersDocument,
  type GetDossiersQueryVariables,
} from '../src/generated/graphql.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { DsClient, type DsClientOptions } from '../src/graphql/client.ts';
import { networkFailure, payloadErrors, READ_ONLY_MESSAGE } from '../src/graphql/errors.ts';
import { createLogger, createMemoryDestination } from '../src/logger.ts';
import { accepterPayload, dossierNode, dossiersPage } from './support/ds-answers.ts';
import { json, reset, startScriptedServer, text, type ScriptedServer } from './support/scripted-server.ts';

const TOKEN = 'dG9rZW4tc2VjcmV0LTEyMzQ1Njc4OTA7cGxhaW4tc2VjcmV0';

let server: ScriptedServer;
let clock: { t: number; sleeps: number[] };

beforeEach(async () => {
  server = await startScriptedServer();
  clock = { t: 0, sleeps: [] };
});
afterEach(async () => {
  await server.close();
});

function makeClient(options: Partial<DsClientOptions> = {}): DsClient {
  const now = () => clock.t;
  const sleep = async (ms: number) => {
    clock.sleeps.push(ms);
    clock.t += ms;
  };
  return new DsClient({
    url: server.url,
    token: TOKEN,
    now,
    sleep,
    random: () => 0.5,
    budget: new RequestBudget({ now, sleep, burst: 100 }),
    ...options,
  });
}

const pageVars: GetDossiersQueryVariables = { number: 12345, first: 100 };
const acceptVars = { input: { dossierId: 'RG9zc2llci0x', instructeurId: 'SW5zdHJ1Y3RldXItMQ==', clientMutationId: 'cm-1' } };

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('DsClient: requests', () => {
  it('sends the named operation with the bearer token and returns the parsed answer', async () => {
    server.script = [json(200, { data: dossiersPage([dossierNode(101)]) })];
    const client = makeClient();
    const page = await client.request(GetDossiersDocument, pageVars, { context: 'démarche 12345, page 1' });
    expect(page.demarche.dossiers.nodes?.[0]?.number).toBe(101);
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.received[0]?.body?.variables).toEqual(pageVars);
    expect(server.received[0]?.body?.query).toContain('query GetDossiers');
    expect(client.stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it('rejects a malformed answer as a whole, naming the page, the dossier and the JSON path', async () => {
    const nodes = [dossierNode(1), dossierNode(2), dossierNode(3), dossierNode(4567, { state: 'perdu' })];
    server.script = [json(200, { data: dossiersPage(nodes) })];
    const error = await failure(makeClient().request(GetDossiersDocument, pageVars, { context: 'démarche 12345, page 3' }));
    expect(error.code).toBe('malformed_answer');
    expect(error.message).toContain('démarche 12345, page 3');
    expect(error.message).toContain('dossier 4567');
    expect(error.message).toContain('demarche.dossiers.nodes[3].state');
  });

  it('treats a body that is not JSON as malformed, without retrying', async () => {
    server.script = [text(200, '<html>maintenance</html>')];
    const client = makeClient();
    const error = await failure(client.request(GetDossierDocument, { number: 5 }));
    expect(error.code).toBe('malformed_answer');
    expect(client.stats.requests).toBe(1);
  });
});

describe('DsClient: retries', () => {
  it('waits for Retry-After on 429 through the shared budget, then retries', async () => {
    const budget = new RequestBudget({ now: () => clock.t, sleep: async (ms) => void (clock.t += ms), burst: 100 });
    server.script = [
      text(429, 'Calme toi, cowboy !', { 'retry-after': '7', 'ratelimit-remaining': '0' }),
      json(200, { data: dossiersPage([]) }),
    ];
    const client = makeClient({ budget });
    await client.request(GetDossiersDocument, pageVars);
    expect(server.received).toHaveLength(2);
    expect(clock.t).toBeGreaterThanOrEqual(7000);
    expect(budget.stats.pauses).toBe(1);
    expect(client.stats).toMatchObject({ rateLimited: 1, retries: 1 });
  });

  it('uses RateLimit-Reset when there is no Retry-After', async () => {
    server.script = [text(429, 'Calme toi', { 'ratelimit-reset': '12' }), json(200, { data: dossiersPage([]) })];
    await makeClient().request(GetDossiersDocument, pageVars);
    expect(clock.t).toBeGreaterThanOrEqual(12_000);
  });

  it('retries 5xx and connection resets with exponential backoff and full jitter', async () => {
    server.script = [
      text(502, 'Bad Gateway'),
      reset(),
      json(500, { errors: [{ message: 'boom', extensions: { code: 'internal_server_error' } }] }),
      json(200, { data: dossiersPage([]) }),
    ];
    const client = makeClient();
    await client.request(GetDossiersDocument, pageVars);
    // random() = 0.5: half of 500, 1000, 2000 ms.
    expect(clock.sleeps).toEqual([250, 500, 1000]);
    expect(client.stats).toMatchObject({ requests: 4, retries: 3, serverErrors: 2, networkErrors: 1 });
  });

  it('gives up after maxRetries with the last error, in French', async () => {
    server.script = [text(503, 'down'), text(503, 'down'), text(503, 'down')];
    const client = makeClient({ maxRetries: 2 });
    const error = await failure(client.request(GetDossiersDocument, pageVars, { context: 'démarche 12345' }));
    expect(error.code).toBe('server');
    expect(error.message).toMatch(/HTTP 503.*démarche 12345.*Réessayez plus tard/);
    expect(server.received).toHaveLength(3);
  });

  it('retries a DS timeout for a query', async () => {
    server.script = [
      json(200, { data: null, errors: [{ message: 'Timeout on Demarche.dossiers', extensions: { code: 'timeout' } }] }),
      json(200, { data: dossiersPage([]) }),
    ];
    const client = makeClient();
    await client.request(GetDossiersDocument, pageVars);
    expect(client.stats).toMatchObject({ timeouts: 1, retries: 1 });
  });

  it('requestPage steps down the page size while DS times out', async () => {
    const timeout = json(200, { data: null, errors: [{ message: 'Timeout', extensions: { code: 'timeout' } }] });
    server.script = [timeout, timeout, json(200, { data: dossiersPage([dossierNode(1)]) })];
    const client = makeClient();
    const { data, pageSize } = await client.requestPage(GetDossiersDocument, (first) => ({ number: 12345, first }));
    expect(pageSize).toBe(20);
    expect(server.received.map((r) => r.body?.variables?.first)).toEqual([100, 50, 20]);
    expect(data.demarche.dossiers.nodes).toHaveLength(1);
    expect(client.stats.pageSizeReductions).toBe(2);
  });
});

describe('DsClient: mutations', () => {
  const accepted = {
    id: 'RG9zc2llci0x',
    number: 1,
    state: 'accepte',
    motivation: null,
    dateTraitement: '2026-02-01T10:00:00+01:00',
    dateDerniereModification: '2026-02-01T10:00:00+01:00',
  };

  it('does not replay a mutation after an ambiguous failure unless told it is idempotent', async () => {
    server.script = [reset(), json(200, { data: accepterPayload([], accepted) })];
    const error = await failure(makeClient().mutate(DossierAccepterDocument, acceptVars, { context: 'dossier 1' }));
    expect(error.code).toBe('network');
    expect(error.details).toMatchObject({ ambiguous: true });
    expect(error.message).toContain('relisez le dossier');
    expect(server.received).toHaveLength(1);
  });

  it('replays it when the caller says it is idempotent', async () => {
    server.script = [reset(), json(200, { data: accepterPayload([], accepted) })];
    const answer = await makeClient().mutate(DossierAccepterDocument, acceptVars, { idempotent: true });
    expect(answer.dossierAccepter?.dossier?.state).toBe('accepte');
    expect(server.received).toHaveLength(2);
  });

  it('does replay after a 429: DS did not process the request', async () => {
    server.script = [text(429, 'Calme toi', { 'retry-after': '1' }), json(200, { data: accepterPayload([], accepted) })];
    await makeClient().mutate(DossierAccepterDocument, acceptVars);
    expect(server.received).toHaveLength(2);
  });

  it('returns payload errors as data', async () => {
    server.script = [json(200, { data: accepterPayload([{ message: 'Le dossier est déjà en construction' }]) })];
    const answer = await makeClient().mutate(DossierAccepterDocument, acceptVars);
    expect(payloadErrors(answer.dossierAccepter)).toEqual({ messages: ['Le dossier est déjà en construction'], readOnly: false });
  });

  it('throws read_only when the token cannot write', async () => {
    server.script = [json(200, { data: accepterPayload([{ message: READ_ONLY_MESSAGE }]) })];
    const error = await failure(makeClient().mutate(DossierAccepterDocument, acceptVars));
    expect(error.code).toBe('read_only');
    expect(error.message).toContain('lecture et écriture');
  });
});

describe('DsClient: access errors', () => {
  const cases: { name: string; step: ReturnType<typeof json>; code: string; hint: RegExp }[] = [
    { name: '401 Token expired', step: json(401, { errors: [{ message: 'Token expired' }] }), code: 'token_expired', hint: /Jetons d’API/ },
    { name: '401 Unauthorized', step: json(401, { errors: [{ message: 'Unauthorized' }] }), code: 'auth', hint: /DS_API_TOKEN/ },
    {
      name: '403 forbidden network',
      step: json(403, { errors: [{ message: 'Request issued from a forbidden network. Add this IP to your token allowed networks' }] }),
      code: 'forbidden_network',
      hint: /IP publique du serveur/,
    },
    {
      name: 'démarche hidden by permissions',
      step: json(200, {
        data: null,
        errors: [{ message: 'An object of type Demarche was hidden due to permissions', extensions: { code: 'unauthorized' } }],
      }),
      code: 'unauthorized',
      hint: /hors du périmètre du jeton/,
    },
    {
      name: 'not_found',
      step: json(200, { data: null, errors: [{ message: 'Dossier not found', extensions: { code: 'not_found' } }] }),
      code: 'not_found',
      hint: /^Introuvable dans DS \(.*réponse de DS : « Dossier not found »\)\. Vérifiez le numéro/,
    },
    {
      name: 'bad_request',
      step: json(200, { data: null, errors: [{ message: 'first and last', extensions: { code: 'bad_request' } }] }),
      code: 'bad_request',
      hint: /paramètres/,
    },
    {
      name: 'graphql_parse_failed',
      step: json(400, { errors: [{ message: 'Unexpected end of document', extensions: { code: 'graphql_parse_failed' } }] }),
      code: 'graphql_parse_failed',
      hint: /mettez ds-ars à jour/,
    },
    {
      name: 'other root error',
      step: json(200, { data: { demarche: null }, errors: [{ message: 'Cannot return null', extensions: { code: 'invalid_null' } }] }),
      code: 'graphql',
      hint: /Aucune donnée/,
    },
  ];

  for (const { name, step, code, hint } of cases) {
    it(`${name} → ${code}, not retried`, async () => {
      server.script = [step, json(200, { data: dossiersPage([]) })];
      const error = await failure(makeClient().request(GetDossiersDocument, pageVars, { context: 'démarche 12345' }));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(hint);
      expect(error.message).toContain('démarche 12345');
      expect(server.received).toHaveLength(1);
    });
  }
});

describe('network failures, in French', () => {
  it('never quotes undici’s English words, and names the proxy among what to check', () => {
    const refused = networkFailure(
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4799'), { code: 'ECONNREFUSED' }) }),
      'GetDemarche, démarche 1',
      '127.0.0.1:4799',
    );
    expect(refused?.error.message).toBe(
      'Impossible de joindre DS (127.0.0.1:4799, ECONNREFUSED, GetDemarche, démarche 1). Vérifiez la connexion réseau du serveur, DS_API_URL et, derrière un proxy, HTTPS_PROXY, puis relancez.',
    );
    expect(refused?.retry).toBe('safe');
    const cut = networkFailure(new TypeError('fetch failed', { cause: new Error('other side closed') }), 'GetDemarche', 'ds.example');
    expect(cut?.error.message).toContain('(connexion interrompue, GetDemarche)');
    expect(cut?.error.message).not.toMatch(/fetch failed|other side/);
    // fetch refuses some ports (here 1) before any connection: nothing was sent.
    const blocked = networkFailure(new TypeError('fetch failed', { cause: new Error('bad port') }), 'GetDemarche', '127.0.0.1:1');
    expect(blocked?.retry).toBe('safe');
    expect(blocked?.error.message).toMatch(/^Impossible de joindre DS \(127\.0\.0\.1:1, port refusé par Node/);
  });
});

describe('DsClient: downloads', () => {
  it('fetches a signed link without the token, retrying a 503', async () => {
    server.script = [text(503, 'busy'), text(200, 'contenu du fichier')];
    const client = makeClient();
    const response = await client.download(server.url.replace('/api/v2/graphql', '/files/1/a.pdf?sig=x'));
    expect(await response.text()).toBe('contenu du fichier');
    expect(server.received.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
    expect(client.stats).toMatchObject({ downloads: 2, retries: 1 });
  });

  it('explains an expired link', async () => {
    server.script = [text(403, 'Request has expired')];
    const error = await failure(makeClient().download(`${server.url}?x=1`, { context: 'dossier 12, devis.pdf' }));
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/dossier 12, devis\.pdf.*relancez la synchronisation/);
  });
});

describe('DsClient: the token stays secret', () => {
  it('never appears in logs, error messages or serialized errors', async () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ level: 'trace', destination });
    const client = makeClient({ logger, maxRetries: 1 });
    const errors: unknown[] = [];
    server.script = [text(500, 'x'), json(401, { errors: [{ message: 'Unauthorized' }] })];
    errors.push(await failure(client.request(GetDossiersDocument, pageVars)));
    server.script = [reset(), reset()];
    errors.push(await failure(client.request(GetDossiersDocument, pageVars)));
    server.script = [json(200, { data: dossiersPage([dossierNode(1, { state: 'x' })]) })];
    errors.push(await failure(client.request(GetDossiersDocument, pageVars)));
    logger.info({ headers: { authorization: `Bearer ${TOKEN}` }, token: TOKEN }, 'test');

    expect(server.received[0]?.headers.authorization).toContain(TOKEN);
    expect(destination.lines.length).toBeGreaterThan(3);
    expect(destination.text()).not.toContain(TOKEN);
    expect(destination.text()).toContain('[masqué]');
    expect(destination.records().some((r) => r.msg === 'échec d’une requête DS, nouvel essai')).toBe(true);
    for (const error of errors) {
      expect(inspect(error, { depth: 20 })).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(TOKEN);
    }
  });

  it('refuses a token with a line break before it can reach a header', () => {
    const make = () => new DsClient({ url: server.url, token: 'abc\ndef' });
    expect(make).toThrow(AppError);
    expect(make).toThrow(/une seule ligne/);
  });
});
