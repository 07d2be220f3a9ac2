/** The HTTP side: auth, rate limit, faults, GraphQL endpoint, file downloads, uploads, admin knobs. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import type { FileSpec } from './model.ts';
import type { SimulatorState } from './store.ts';
import { GraphqlExecutor, dossierNodes } from './executor.ts';
import type { MutationRecord } from './mutations.ts';
import { decideFault, malformNode, RateLimiter, type Faults } from './faults.ts';
import { fileBytes, fileIdentity, md5Base64, verifySignature } from './files.ts';
import { runAdminAction } from './admin.ts';

export interface SimulatorStats {
  requests: number;
  byOperation: Record<string, number>;
  mutations: MutationRecord[];
  rateLimited: number;
  fileDownloads: number;
  /** PUTs to an upload URL, answered or not. */
  uploads: number;
}

export interface Tokens {
  readWrite: string;
  readOnly: string;
  otherScope: string;
  expired: string;
}

export interface ServerDeps {
  state: SimulatorState;
  stats: SimulatorStats;
  tokens: Tokens;
  faults: Faults;
  secrets: { files: string; blobs: string };
  rateLimitPerMinute: number;
  setFaults: (f: Partial<Faults>) => Faults;
  /** Keep encoded answers of read-only queries until the state changes (see SimulatorOptions). */
  answerCache?: boolean;
}

interface CachedAnswer {
  generation: number;
  operation: string;
  status: number;
  bytes: Buffer;
}

const RATE_LIMIT_BODY = 'Calme toi, cowboy ! Trop de requêtes sur l’API GraphQL : réessayez dans quelques instants.\n';
const MAX_BODY = 10 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Encoded once: Buffer.byteLength then res.end(string) would encode the text twice.
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

/**
 * Holds the response until `ready`: the injected latency is DS's response time as the client
 * sees it, so the simulator's own work (on the same machine as the client under test) runs
 * during that wait instead of adding to it.
 */
function holdUntil(res: ServerResponse, ready: Promise<unknown>): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    void ready.then(() => end(...args));
    return res;
  }) as ServerResponse['end'];
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim() ?? null;
}

export async function listen(deps: ServerDeps, host: string, port: number): Promise<{ server: Server; url: string }> {
  const executor = new GraphqlExecutor(deps.state, deps.stats.mutations, deps.secrets);
  const limiter = new RateLimiter(deps.rateLimitPerMinute);
  const answers = new Map<string, CachedAnswer>();
  let baseUrl = '';
  const countOperation = (name: string): void => {
    deps.stats.byOperation[name] = (deps.stats.byOperation[name] ?? 0) + 1;
  };

  async function graphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    deps.stats.requests++;
    const { faults } = deps;
    if (faults.latencyMs > 0) holdUntil(res, sleep(faults.latencyMs));
    const raw = await readBody(req);
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const rate = limiter.check(auth, deps.state.nowMs());
      if (!rate.allowed) {
        deps.stats.rateLimited++;
        res.writeHead(429, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Retry-After': String(rate.retryAfterSeconds),
          'RateLimit-Limit': String(deps.rateLimitPerMinute),
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': String(rate.resetEpochSeconds),
        });
        res.end(RATE_LIMIT_BODY);
        return;
      }
    }
    const fault = decideFault(faults, deps.state.faultRng);
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'server_error') {
      const status = deps.state.faultRng.pick([500, 502, 503]);
      if (status === 500) {
        sendJson(res, 500, {
          errors: [
            { message: 'Internal Server Error', extensions: { code: 'internal_server_error', exception_id: `sim-${deps.stats.requests}` } },
          ],
        });
      } else {
        res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          status === 502
            ? '<html><body><h1>502 Bad Gateway</h1></body></html>'
            : '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
        );
      }
      return;
    }
    const token = bearer(req);
    const access =
      token === deps.tokens.readWrite
        ? 'readWrite'
        : token === deps.tokens.readOnly
          ? 'readOnly'
          : token === deps.tokens.otherScope
            ? 'otherScope'
            : null;
    if (token !== null && token === deps.tokens.expired) {
      sendJson(res, 401, { errors: [{ message: 'Token expired', extensions: { code: 'unauthorized' } }] });
      return;
    }
    if (access === null) {
      sendJson(res, 401, { errors: [{ message: 'Unauthorized', extensions: { code: 'unauthorized' } }] });
      return;
    }
    let request: unknown;
    try {
      request = JSON.parse(raw.toString('utf8'));
    } catch {
      request = undefined;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      sendJson(res, 400, { errors: [{ message: 'Invalid JSON body', extensions: { code: 'bad_request' } }] });
      return;
    }
    if (fault === 'timeout') {
      const op = (request as { operationName?: unknown }).operationName;
      countOperation(typeof op === 'string' ? op : 'anonymous');
      sendJson(res, 200, { data: null, errors: [{ message: 'Timeout on validation of query', extensions: { code: 'timeout' } }] });
      return;
    }
    // Faults that alter answers or the state make every answer unique: no cache then.
    const cacheable = deps.answerCache === true && faults.malformedNextAnswers === 0 && faults.concurrentEditRate === 0;
    const cacheKey = cacheable ? `${access}\n${raw.toString('utf8')}` : '';
    const cached = cacheable ? answers.get(cacheKey) : undefined;
    if (cached && cached.generation === deps.state.generation) {
      countOperation(cached.operation);
      res.writeHead(cached.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': cached.bytes.length });
      res.end(cached.bytes);
      return;
    }
    const answer = executor.run(request as Record<string, unknown>, access, baseUrl);
    countOperation(answer.operation);
    let body: unknown = answer.body;
    const nodes = dossierNodes(answer.body);
    if (nodes && faults.malformedNextAnswers > 0) {
      deps.setFaults({ malformedNextAnswers: faults.malformedNextAnswers - 1 });
      body = JSON.parse(JSON.stringify(answer.body));
      const copy = dossierNodes(body);
      if (copy) malformNode(copy[deps.state.faultRng.int(0, copy.length - 1)] as Record<string, unknown>, deps.state.faultRng);
    }
    // Encoded once (a page is ~2 MB): Buffer.byteLength then res.end(string) would encode it twice.
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    if (cacheable) {
      // Any mutation (labels included, which change no date) may change what queries see.
      if (answer.mutating) answers.clear();
      else answers.set(cacheKey, { generation: deps.state.generation, operation: answer.operation, status: answer.status, bytes });
    }
    // "Edits while you page": the usager changes dossiers between two pages of a scan.
    if (answer.pagedDemarches.size > 0 && faults.concurrentEditRate > 0 && deps.state.faultRng.chance(faults.concurrentEditRate)) {
      for (const number of answer.pagedDemarches) {
        const runtime = deps.state.demarche(number);
        if (!runtime) continue;
        const edits = deps.state.faultRng.int(1, 3);
        for (let i = 0; i < edits; i++) deps.state.editRandom(runtime, deps.state.faultRng);
      }
    }
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
    res.end(bytes);
  }

  function file(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const match = /^\/files\/(\d+)\/(\d+)\/(\d+)\/[^/]+$/.exec(url.pathname);
    const expires = Number(url.searchParams.get('expires'));
    const sig = url.searchParams.get('sig') ?? '';
    if (!match || !verifySignature(deps.secrets.files, url.pathname, expires, sig)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Signature invalide\n');
      return;
    }
    if (expires * 1000 < deps.state.nowMs()) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Lien expiré\n');
      return;
    }
    const [number, stableId, index] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const record = deps.state.byNumber.get(number);
    const field = record?.demarche.def.fields.find((f) => f.stableId === stableId);
    const specs = record && field ? deps.state.valuesOf(record)[field.key] : undefined;
    const spec = Array.isArray(specs) ? (specs[index] as FileSpec | undefined) : undefined;
    if (!record || !spec) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Fichier introuvable\n');
      return;
    }
    const { bytes } = fileBytes(spec, fileIdentity(number, stableId, index));
    const served = Buffer.from(bytes);
    if (record.corruptedFiles.has(stableId)) served[Math.floor(served.length / 2)] = (served[Math.floor(served.length / 2)] ?? 0) ^ 0xff;
    deps.stats.fileDownloads++;
    res.writeHead(200, {
      'Content-Type': spec.contentType,
      'Content-Length': served.length,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(spec.filename)}`,
    });
    res.end(req.method === 'HEAD' ? undefined : served);
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const signedId = decodeURIComponent(url.pathname.slice('/uploads/'.length));
    const blob = deps.state.blobs.get(signedId);
    if (!blob) {
      res.writeHead(404).end();
      return;
    }
    deps.stats.uploads++;
    const bytes = await readBody(req);
    if (deps.faults.hangingNextUploads > 0) {
      deps.faults.hangingNextUploads--;
      return;
    }
    if (deps.faults.failingNextUploads > 0) {
      deps.faults.failingNextUploads--;
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Service Unavailable\n');
      return;
    }
    if (md5Base64(bytes) !== blob.checksum) {
      res.writeHead(422, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Somme de contrôle incorrecte\n');
      return;
    }
    blob.bytes = bytes;
    res.writeHead(204).end();
  }

  async function admin(req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
    if (bearer(req) !== deps.tokens.readWrite) {
      sendJson(res, 401, { error: 'Jeton lecture/écriture requis' });
      return;
    }
    const raw = await readBody(req);
    let body: unknown = {};
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    } catch {
      sendJson(res, 400, { error: 'Corps JSON invalide' });
      return;
    }
    const result = runAdminAction(deps, action, body);
    sendJson(res, result.ok ? 200 : result.status, result.ok ? result.body : { error: result.error });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = async (): Promise<void> => {
      if (url.pathname === '/api/v2/graphql' && req.method === 'POST') return graphql(req, res);
      if (url.pathname.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD')) return file(req, res, url);
      if (url.pathname.startsWith('/uploads/') && req.method === 'PUT') return upload(req, res, url);
      if (url.pathname.startsWith('/__simulator/') && req.method === 'POST')
        return admin(req, res, url.pathname.slice('/__simulator/'.length));
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Introuvable\n');
    };
    route().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: String(error), extensions: { code: 'internal_server_error' } }] });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return { server, url: baseUrl };
}
