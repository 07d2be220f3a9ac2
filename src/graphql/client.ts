/**
 * The DS GraphQL client: one request = budget token, HTTP call through graphql-request, error
 * classification, retries with backoff, zod parsing of the answer. Nothing partial leaves it:
 * either a fully parsed answer or an AppError that says what to do.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { Kind, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { answerSchemas, type Answer } from './answers.ts';
import { RequestBudget, realSleep, type Now, type Sleep } from './budget.ts';
import {
  ambiguousMutationError,
  httpFailure,
  networkFailure,
  payloadErrors,
  readOnlyError,
  retryAfterMs,
  topLevelFailure,
  type Failure,
  type TopLevelError,
} from './errors.ts';
import { plural } from '../shared/plural.ts';

export type { Answer } from './answers.ts';

export interface DsClientOptions {
  url: string;
  token: string;
  /** Shared by every client of the same token; a private one (400/min) by default. */
  budget?: RequestBudget;
  logger?: Logger;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** First backoff step in ms (default 500); doubles each retry, full jitter, capped by `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured (default 5 min); beyond it the request fails. */
  maxRetryAfterMs?: number;
  /** Client-side limit per HTTP attempt (default 120 s; DS itself stops queries at 30 s). */
  requestTimeoutMs?: number;
  sleep?: Sleep;
  now?: Now;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  fetch?: typeof globalThis.fetch;
}

export interface RequestOptions<TResult> {
  /** Schema of the answer; by default the one of the operation in answers.ts. */
  schema?: z.ZodType<Answer<TResult>>;
  /** Where we are, for messages and logs, e.g. "démarche 12345, page 3". */
  context?: string;
  signal?: AbortSignal;
  /** On a DS `timeout`: retry like other failures (default) or throw at once (page-size ladder). */
  onTimeout?: 'retry' | 'throw';
}

export interface MutationOptions<TResult> extends RequestOptions<TResult> {
  /**
   * The mutation may be replayed after an ambiguous failure (connection cut after sending, 5xx,
   * timeout), e.g. because the caller re-reads the dossier or the change is naturally
   * idempotent. Without it, only failures where DS surely did nothing (429, connection
   * refused) are retried, and ambiguous ones throw an error with `details.ambiguous = true`.
   */
  idempotent?: boolean;
}

export interface PageOptions<TResult> extends Omit<RequestOptions<TResult>, 'onTimeout'> {
  /** Page sizes tried in turn when DS times out (default 100, 50, 20). */
  sizes?: readonly number[];
}

/** Downloads and uploads: links signed by DS, outside the GraphQL endpoint. */
export interface TransferOptions {
  signal?: AbortSignal;
  context?: string;
}
export type DownloadOptions = TransferOptions;

export interface DsClientStats {
  /** HTTP attempts to the GraphQL endpoint. */
  requests: number;
  retries: number;
  rateLimited: number;
  timeouts: number;
  networkErrors: number;
  serverErrors: number;
  malformed: number;
  pageSizeReductions: number;
  downloads: number;
  /** HTTP attempts to upload a justificatif. */
  uploads: number;
}

interface Operation {
  name: string;
  kind: 'query' | 'mutation';
  text: string;
}

const envelopeSchema = z.object({
  message: z.string(),
  extensions: z
    .looseObject({ code: z.string().optional(), exception_id: z.union([z.string(), z.number()]).transform(String).optional() })
    .optional(),
});
const frenchIssues = z.locales.fr().localeError;

export class DsClient {
  readonly budget: RequestBudget;
  private readonly gql: GraphQLClient;
  private readonly host: string;
  private readonly logger: Logger | undefined;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly requestTimeoutMs: number;
  private readonly sleep: Sleep;
  private readonly now: Now;
  private readonly random: () => number;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly operations = new WeakMap<DocumentNode, Operation>();
  private readonly counters: DsClientStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    timeouts: 0,
    networkErrors: 0,
    serverErrors: 0,
    malformed: 0,
    pageSizeReductions: 0,
    downloads: 0,
    uploads: 0,
  };

  constructor(options: DsClientOptions) {
    const token = options.token.trim();
    // A header with a newline makes fetch throw an error that quotes the value: refuse it first.
    if (token === '' || /\s/.test(token)) {
      throw new AppError(
        'config',
        'DS_API_TOKEN est vide ou contient des espaces ou retours à la ligne : recopiez le jeton en entier, sur une seule ligne.',
      );
    }
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new AppError('config', `DS_API_URL n’est pas une URL valide : ${options.url}`);
    }
    this.host = url.host;
    this.budget = options.budget ?? new RequestBudget({ now: options.now, sleep: options.sleep });
    this.logger = options.logger;
    this.maxRetries = options.maxRetries ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 5 * 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.gql = new GraphQLClient(url.toString(), {
      headers: { authorization: `Bearer ${token}` },
      fetch: this.fetchFn,
      errorPolicy: 'all',
    });
  }

  get stats(): DsClientStats {
    return { ...this.counters };
  }

  /** Runs a query; returns the parsed answer or throws an AppError. */
  request<TResult, TVars>(
    document: TypedDocumentNode<TResult, TVars>,
    variables: TVars,
    options: RequestOptions<TResult> = {},
  ): Promise<Answer<TResult>> {
    return this.execute(document, variables, options, false);
  }

  /**
   * Runs a mutation. Payload errors (`data.<mutation>.errors`) come back as data, see
   * `payloadErrors`; a read-only token is the exception and throws `read_only`.
   */
  async mutate<TResult, TVars>(
    document: TypedDocumentNode<TResult, TVars>,
    variables: TVars,
    options: MutationOptions<TResult> = {},
  ): Promise<Answer<TResult>> {
    const answer = await this.execute(document, variables, options, options.idempotent ?? false);
    for (const [field, payload] of Object.entries(answer as Record<string, unknown>)) {
      if (field === '__typename' || typeof payload !== 'object' || payload === null) continue;
      if (payloadErrors(payload as { errors?: { message: string }[] | null }).readOnly) {
        throw readOnlyError(this.where(this.operation(document).name, options.context));
      }
    }
    return answer;
  }

  /**
   * Runs a paginated query, stepping down the page sizes while DS times out (heavy champs
   * make large pages time out: NOTES.md §6). Returns the answer and the size that worked, so the
   * caller can keep it for the next pages.
   */
  async requestPage<TResult, TVars>(
    document: TypedDocumentNode<TResult, TVars>,
    variablesForSize: (size: number) => TVars,
    options: PageOptions<TResult> = {},
  ): Promise<{ data: Answer<TResult>; pageSize: number }> {
    const sizes = options.sizes ?? [100, 50, 20];
    if (sizes.length === 0) throw new AppError('internal', 'requestPage : aucune taille de page fournie.');
    for (const [index, size] of sizes.entries()) {
      const last = index === sizes.length - 1;
      try {
        const data = await this.execute(document, variablesForSize(size), { ...options, onTimeout: last ? 'retry' : 'throw' }, false);
        return { data, pageSize: size };
      } catch (error) {
        if (last || !(error instanceof AppError) || error.code !== 'timeout') throw error;
        this.counters.pageSizeReductions += 1;
        this.logger?.warn(
          { op: this.operation(document).name, context: options.context, pageSize: size, nextPageSize: sizes[index + 1] },
          'DS a dépassé son délai : nouvel essai avec des pages plus petites',
        );
      }
    }
    throw new AppError('internal', 'requestPage : cas impossible atteint.');
  }

  /**
   * Downloads a file from a DS link (valid 1 h). The token is never sent: the links are signed
   * and point to object storage. Counts against the budget, retries like a query.
   */
  async download(url: string, options: DownloadOptions = {}): Promise<Response> {
    const where = options.context ? `téléchargement, ${options.context}` : 'téléchargement';
    return this.transfer(url, {}, 'download', where, options.signal, (status) =>
      [401, 403, 404, 410].includes(status)
        ? new AppError(
            'not_found',
            `Fichier introuvable ou lien expiré (HTTP ${status}, ${where}). Les liens DS expirent après 1 h : relancez la synchronisation du dossier pour en obtenir un neuf.`,
          )
        : undefined,
    );
  }

  /**
   * PUTs a justificatif to the direct-upload URL DS returned (signed: the token is never sent).
   * Same budget, time limit and retries as a download: the same bytes to the same blob can be
   * sent again safely.
   */
  async upload(url: string, body: Uint8Array, headers: Record<string, string>, options: TransferOptions = {}): Promise<void> {
    const where = options.context ? `dépôt, ${options.context}` : 'dépôt';
    const response = await this.transfer(url, { method: 'PUT', headers, body }, 'upload', where, options.signal, (status) =>
      status >= 400 && status < 500 && status !== 408 && status !== 429
        ? new AppError(
            'bad_request',
            `DS a refusé le dépôt (HTTP ${status}, ${where}) : l’adresse de dépôt a pu expirer ou le fichier changer depuis le plan. Relancez la commande ; si cela se répète, signalez-le.`,
          )
        : undefined,
    );
    await response.body?.cancel();
  }

  /** One download or upload: budget token, time limit per attempt, retries; `refused` ends it at once. */
  private async transfer(
    url: string,
    init: RequestInit,
    kind: 'download' | 'upload',
    where: string,
    signal: AbortSignal | undefined,
    refused: (status: number) => AppError | undefined,
  ): Promise<Response> {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      throw new AppError('malformed_answer', `Lien de fichier invalide reçu de DS (${where}).`);
    }
    for (let attempt = 0; ; attempt += 1) {
      await this.budget.take();
      this.counters[kind === 'download' ? 'downloads' : 'uploads'] += 1;
      let failure: Failure;
      try {
        const response = await this.fetchHeaders(url, signal, init);
        if (response.ok) return response;
        await response.body?.cancel();
        const refusal = refused(response.status);
        if (refusal) throw refusal;
        failure = httpFailure(response.status, '', [], where, retryAfterMs(response.headers, this.now()));
      } catch (thrown) {
        if (thrown instanceof AppError || signal?.aborted) throw thrown;
        failure = networkFailure(thrown, where, host) ?? this.unexpected(thrown, where);
      }
      // Replaying a GET, or the same PUT, has no further effect: ambiguous failures are retried too.
      await this.retryOrThrow({ ...failure, retry: failure.retry === 'never' ? 'never' : 'safe' }, attempt, kind, where);
    }
  }

  private async execute<TResult, TVars>(
    document: TypedDocumentNode<TResult, TVars>,
    variables: TVars,
    options: RequestOptions<TResult>,
    replayable: boolean,
  ): Promise<Answer<TResult>> {
    const operation = this.operation(document);
    const where = this.where(operation.name, options.context);
    const schema = options.schema ?? (answerSchemas as Record<string, z.ZodType | undefined>)[operation.name];
    if (schema === undefined) {
      throw new AppError(
        'internal',
        `Aucun schéma de réponse pour l’opération ${operation.name} : ajoutez-le dans src/graphql/answers.ts.`,
      );
    }
    for (let attempt = 0; ; attempt += 1) {
      await this.budget.take();
      this.counters.requests += 1;
      const started = this.now();
      let failure: Failure;
      try {
        const response = await this.gql.rawRequest<unknown>({
          query: operation.text,
          variables: variables as Record<string, unknown>,
          signal: this.attemptSignal(options.signal),
        });
        this.logger?.debug(
          { op: operation.name, context: options.context, attempt, status: response.status, ms: this.now() - started },
          'requête DS',
        );
        const errors = this.topLevelErrors(response.errors, where);
        if (errors.length === 0) return this.parse(schema, response.data, where) as Answer<TResult>;
        failure = topLevelFailure(errors, where);
      } catch (thrown) {
        if (thrown instanceof AppError || options.signal?.aborted) throw thrown;
        failure = this.classifyThrown(thrown, where);
      }
      if (failure.error.code === 'timeout' && options.onTimeout === 'throw') {
        this.counters.timeouts += 1;
        throw failure.error;
      }
      const retry = failure.retry === 'ambiguous' && operation.kind === 'mutation' && !replayable ? 'never' : failure.retry;
      try {
        await this.retryOrThrow({ ...failure, retry }, attempt, operation.name, where);
      } catch (error) {
        if (operation.kind === 'mutation' && failure.retry === 'ambiguous') throw ambiguousMutationError(failure, where);
        throw error;
      }
    }
  }

  /** Counts the failure, then waits before the next attempt, or throws when it is over. */
  private async retryOrThrow(failure: Failure, attempt: number, op: string, where: string): Promise<void> {
    const code = failure.error.code;
    if (code === 'rate_limited') this.counters.rateLimited += 1;
    else if (code === 'timeout') this.counters.timeouts += 1;
    else if (code === 'network') this.counters.networkErrors += 1;
    else if (code === 'server') this.counters.serverErrors += 1;
    if (failure.retry === 'never' || attempt >= this.maxRetries) throw failure.error;
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > this.maxRetryAfterMs) {
      throw new AppError(
        'rate_limited',
        `DS demande d’attendre ${Math.ceil(failure.retryAfterMs / 1000)} s avant de nouvelles requêtes (${where}). Relancez la commande plus tard.`,
      );
    }
    const delay = failure.retryAfterMs ?? this.backoff(attempt);
    this.counters.retries += 1;
    this.logger?.warn({ op, where, attempt: attempt + 1, reason: code, delayMs: delay }, 'échec d’une requête DS, nouvel essai');
    if (code === 'rate_limited') {
      // Every caller of the token waits, not just this one.
      this.budget.pause(Math.max(delay, 1000));
    } else {
      await this.sleep(delay);
    }
  }

  /** Full jitter: uniform in [0, min(max, base·2^attempt)]. */
  private backoff(attempt: number): number {
    return Math.round(this.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt));
  }

  private classifyThrown(thrown: unknown, where: string): Failure {
    if (thrown instanceof ClientError) {
      const { status, headers, body, errors } = thrown.response as {
        status: number;
        headers?: Headers;
        body?: string;
        errors?: unknown;
      };
      const parsed = z.array(envelopeSchema).safeParse(errors ?? []);
      return httpFailure(
        status,
        typeof body === 'string' ? body.slice(0, 500) : '',
        parsed.success ? parsed.data : [],
        where,
        headers ? retryAfterMs(headers, this.now()) : undefined,
      );
    }
    const network = networkFailure(thrown, where, this.host);
    if (network) return network;
    if (thrown instanceof SyntaxError || (thrown instanceof Error && thrown.message.startsWith('Invalid execution result'))) {
      this.counters.malformed += 1;
      return {
        error: new AppError(
          'malformed_answer',
          `Réponse de DS illisible (${where}) : ce n’est pas du JSON GraphQL. Vérifiez DS_API_URL ; si elle est correcte, réessayez plus tard.`,
        ),
        retry: 'never',
      };
    }
    return this.unexpected(thrown, where);
  }

  private unexpected(thrown: unknown, where: string): Failure {
    const name = thrown instanceof Error ? thrown.name : typeof thrown;
    if (name === 'TimeoutError') {
      return {
        error: new AppError(
          'network',
          `DS n’a pas répondu à temps (${where}, plus de ${Math.round(this.requestTimeoutMs / 1000)} s). Relancez la commande plus tard.`,
        ),
        retry: 'ambiguous',
      };
    }
    return { error: new AppError('internal', `Erreur inattendue lors d’une requête DS (${where}) : ${name}.`), retry: 'never' };
  }

  private topLevelErrors(errors: unknown, where: string): TopLevelError[] {
    if (errors === undefined || errors === null) return [];
    const parsed = z.array(envelopeSchema).safeParse(errors);
    if (parsed.success) return parsed.data;
    this.counters.malformed += 1;
    throw new AppError('malformed_answer', `Réponse de DS inattendue (${where}) : la liste « errors » est mal formée.`);
  }

  private parse(schema: z.ZodType, data: unknown, where: string): unknown {
    if (data === undefined || data === null) {
      this.counters.malformed += 1;
      throw new AppError(
        'malformed_answer',
        `Réponse de DS vide (${where}) : ni données ni erreur. Réessayez ; si cela persiste, signalez-le.`,
      );
    }
    const result = schema.safeParse(data, { error: frenchIssues });
    if (result.success) return result.data;
    this.counters.malformed += 1;
    throw malformedAnswerError(result.error, data, where);
  }

  private operation(document: DocumentNode): Operation {
    const cached = this.operations.get(document);
    if (cached) return cached;
    const definition = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (!definition?.name || definition.operation === 'subscription') {
      throw new AppError('internal', 'DsClient attend une requête ou une mutation nommée, issue de queries/.');
    }
    const operation: Operation = { name: definition.name.value, kind: definition.operation, text: print(document) };
    this.operations.set(document, operation);
    return operation;
  }

  private where(operationName: string, context: string | undefined): string {
    return context ? `${operationName}, ${context}` : operationName;
  }

  /**
   * The client-side time limit covers the wait for the headers only: a large file may then take
   * as long as it needs to stream (the caller's signal can still stop it). For an upload, the
   * headers come once the body is sent, so the limit covers the whole PUT.
   */
  private async fetchHeaders(url: string, signal: AbortSignal | undefined, init: RequestInit = {}): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('headers timeout', 'TimeoutError')), this.requestTimeoutMs);
    try {
      return await this.fetchFn(url, { ...init, signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  private attemptSignal(signal: AbortSignal | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }
}

/** `demarche.dossiers.nodes[3].state` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** The number of the dossier that holds `path` in `data`, when the path goes through one. */
export function dossierNumberAt(data: unknown, path: readonly PropertyKey[]): number | undefined {
  let current = data;
  let found: number | undefined;
  for (const [index, key] of path.entries()) {
    if (typeof current !== 'object' || current === null) break;
    current = (current as Record<PropertyKey, unknown>)[key];
    const parent = path[index - 1];
    const isDossier = key === 'dossier' || (typeof key === 'number' && parent === 'nodes');
    if (isDossier && typeof current === 'object' && current !== null) {
      const number = (current as { number?: unknown }).number;
      if (typeof number === 'number') found = number;
    }
  }
  return found;
}

export function malformedAnswerError(error: z.ZodError, data: unknown, where: string): AppError {
  const issues = error.issues.slice(0, 3).map((issue) => {
    const dossier = dossierNumberAt(data, issue.path);
    return `${dossier === undefined ? '' : `dossier ${dossier}, `}champ ${formatPath(issue.path)} : ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (et ${plural(error.issues.length - 3, 'autre')})` : '';
  const first = error.issues[0];
  return new AppError(
    'malformed_answer',
    `Réponse de DS inattendue (${where}) : ${issues.join(' ; ')}${more}. Rien de cette réponse n’a été enregistré ; si cela persiste, l’API DS a peut-être changé : signalez-le.`,
    {
      details: {
        path: first ? formatPath(first.path) : undefined,
        dossier: first ? dossierNumberAt(data, first.path) : undefined,
      },
    },
  );
}
