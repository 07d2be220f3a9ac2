/**
 * A real HTTP peer on loopback that answers a script, one step per request: enough to test the
 * client's retries, 429 handling and parsing against genuine sockets.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step = (req: IncomingMessage, res: ServerResponse) => void;

export interface Received {
  headers: IncomingHttpHeaders;
  url: string;
  body: { query?: string; variables?: Record<string, unknown>; operationName?: string } | undefined;
}

export interface ScriptedServer {
  url: string;
  received: Received[];
  /** Steps still to play. */
  script: Step[];
  close(): Promise<void>;
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

export const text =
  (status: number, body: string, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
  };

/** Cuts the connection after the request was read: the client cannot know if it was applied. */
export const reset = (): Step => (req) => {
  req.socket.destroy();
};

export async function startScriptedServer(script: Step[] = []): Promise<ScriptedServer> {
  const received: Received[] = [];
  const state = { script };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, url: req.url ?? '', body: raw ? JSON.parse(raw) : undefined });
      const step = state.script.shift();
      if (step) step(req, res);
      else text(500, 'script exhausted')(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2/graphql`,
    received,
    get script() {
      return state.script;
    },
    set script(steps: Step[]) {
      state.script = steps;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
