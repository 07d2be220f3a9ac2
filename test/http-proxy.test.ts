/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY through the built CLI: a small proxy on loopback counts what
 * it forwards — plain proxy requests for http:// (DS calls and file downloads from the simulator),
 * CONNECT tunnels for https:// (the simulator behind a TLS front with a throw-away certificate).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';

const run = promisify(execFile);
let sim: RunningSimulator;
let dir: string;
let proxy: http.Server;
let tlsFront: https.Server;
let proxyUrl: string;
let tlsUrl: string;
let simHost: string;
const forwarded: string[] = [];
const tunnels: string[] = [];

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Sends a request on to `host:port` and pipes the answer back. */
function forward(req: http.IncomingMessage, res: http.ServerResponse, target: URL): void {
  const upstream = http.request(
    { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 21, dossiersPerDemarche: 6, programmes: ['aumg'] });
  simHost = new URL(sim.graphqlUrl).host;
  dir = mkdtempSync(join(tmpdir(), 'ds-ars-proxy-'));
  proxy = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    forwarded.push(`${req.method} ${target.host}${target.pathname}`);
    forward(req, res, target);
  });
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
  ]);
  tlsFront = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) =>
    forward(req, res, new URL(req.url ?? '/', sim.url)),
  );
  tlsUrl = `https://localhost:${await listen(tlsFront)}/api/v2/graphql`;
});

afterAll(async () => {
  proxy?.closeAllConnections();
  tlsFront?.closeAllConnections();
  proxy?.close();
  tlsFront?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  forwarded.length = 0;
  tunnels.length = 0;
});

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) delete env[name];
  return env;
}

function sync(name: string, env: Record<string, string>, ...extra: string[]) {
  return run(process.execPath, ['bin/ds-ars.js', 'sync', '--demarche', String(sim.demarches[0]!.number), ...extra], {
    env: {
      ...cleanEnv(),
      DS_API_URL: sim.graphqlUrl,
      DS_API_TOKEN: sim.tokens.readOnly,
      DS_ARS_DB: join(dir, `${name}.sqlite`),
      DS_ARS_FILES_DIR: join(dir, `${name}-fichiers`),
      DS_ARS_LOG_LEVEL: 'warn',
      ...env,
    },
  });
}

// SQLite only: the proxy between the CLI and DS; the database is incidental.
describe('HTTP(S) proxy from the environment', () => {
  it('sends DS calls and file downloads through HTTP_PROXY, loopback included', async () => {
    await sync('http', { HTTP_PROXY: proxyUrl }, '--files');
    const graphql = forwarded.filter((line) => line === `POST ${simHost}/api/v2/graphql`);
    const downloads = forwarded.filter((line) => line.startsWith(`GET ${simHost}/`));
    expect(graphql.length).toBeGreaterThanOrEqual(4);
    expect(downloads.length).toBeGreaterThan(0);
    expect(tunnels).toEqual([]);
  });

  it('honours the lower-case http_proxy too', async () => {
    await sync('lower', { http_proxy: proxyUrl });
    expect(forwarded.filter((line) => line.startsWith('POST ')).length).toBeGreaterThanOrEqual(4);
  });

  it('opens CONNECT tunnels through HTTPS_PROXY for an https:// API', async () => {
    await sync('https', { HTTPS_PROXY: proxyUrl, DS_API_URL: tlsUrl, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([new URL(tlsUrl).host]));
    expect(forwarded).toEqual([]);
  });

  it('goes direct for the hosts NO_PROXY names', async () => {
    await sync('direct', { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' }, '--files');
    expect(forwarded).toEqual([]);
    expect(tunnels).toEqual([]);
  });
});
