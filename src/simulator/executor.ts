/** Runs GraphQL requests against the project's DS schema (graphql-js), with cached parsed documents. */
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  execute,
  GraphQLError,
  parse,
  validate,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { SimulatorState } from './store.ts';
import { SimulatorState as State } from './store.ts';
import { DemarcheView, DossierView, gqlError, type RequestContext } from './views.ts';
import { createDirectUpload, dossierMutations, type MutationRecord } from './mutations.ts';
import { fastExecute } from './fast-execute.ts';

const SCHEMA_URL = new URL('../graphql/ds-schema.graphql', import.meta.url);

let cachedSchema: GraphQLSchema | null = null;

/** The schema is built once per process; resolvers read everything from the request context. */
function schema(): GraphQLSchema {
  if (cachedSchema) return cachedSchema;
  const built = buildSchema(readFileSync(SCHEMA_URL, 'utf8'));
  const query = built.getQueryType() as GraphQLObjectType;
  const qf = query.getFields();
  (qf['demarche'] as { resolve?: unknown }).resolve = (_: unknown, args: { number: number }, ctx: RequestContext) => {
    if (ctx.access === 'otherScope') throw gqlError('An object of type Demarche was hidden due to permissions', 'unauthorized');
    const runtime = ctx.state.demarche(args.number);
    if (!runtime) throw gqlError('Demarche not found', 'not_found');
    return new DemarcheView(runtime);
  };
  (qf['dossier'] as { resolve?: unknown }).resolve = (_: unknown, args: { number: number }, ctx: RequestContext) => {
    const record = ctx.state.byNumber.get(args.number);
    if (!record || !State.isVisible(record)) throw gqlError('Dossier not found', 'not_found');
    if (ctx.access === 'otherScope') throw gqlError('An object of type Dossier was hidden due to permissions', 'unauthorized');
    return new DossierView(record, ctx);
  };
  const mf = (built.getMutationType() as GraphQLObjectType).getFields();
  for (const [name, run] of Object.entries(dossierMutations)) {
    (mf[name] as { resolve?: unknown }).resolve = (source: unknown, args: { input: Record<string, unknown> }, ctx: ExecContext) =>
      run(source, args, ctx, ctx.mutations);
  }
  (mf['createDirectUpload'] as { resolve?: unknown }).resolve = (_: unknown, args: { input: Record<string, unknown> }, ctx: ExecContext) =>
    createDirectUpload(ctx, args.input, ctx.mutations, ctx.blobSecret);
  cachedSchema = built;
  return built;
}

interface ExecContext extends RequestContext {
  mutations: MutationRecord[];
  blobSecret: string;
}

interface PreparedDocument {
  document: DocumentNode;
  errors: readonly GraphQLError[];
  namedTypes: Set<string>;
  operationNames: Map<string | undefined, 'query' | 'mutation' | 'subscription'>;
}

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlAnswer {
  status: number;
  body: ExecutionResult | { errors: Array<{ message: string; extensions: { code: string } }> };
  operation: string;
  pagedDemarches: Set<number>;
  /** A mutation (or anything but a query) was run: the state may have changed. */
  mutating: boolean;
}

export class GraphqlExecutor {
  private readonly documents = new Map<string, PreparedDocument>();

  constructor(
    private readonly state: SimulatorState,
    private readonly mutations: MutationRecord[],
    private readonly secrets: { files: string; blobs: string },
  ) {
    schema();
  }

  private prepare(query: string): PreparedDocument | GraphQLError {
    const cached = this.documents.get(query);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return error instanceof GraphQLError ? error : new GraphQLError(String(error));
    }
    const namedTypes = new Set<string>();
    const operationNames = new Map<string | undefined, 'query' | 'mutation' | 'subscription'>();
    visit(document, {
      NamedType: (node) => {
        namedTypes.add(node.name.value);
      },
      OperationDefinition: (node) => {
        operationNames.set(node.name?.value, node.operation);
      },
    });
    const prepared: PreparedDocument = { document, errors: validate(schema(), document), namedTypes, operationNames };
    if (this.documents.size > 500) this.documents.clear();
    this.documents.set(query, prepared);
    return prepared;
  }

  run(request: GraphqlRequest, access: RequestContext['access'], baseUrl: string): GraphqlAnswer {
    const pagedDemarches = new Set<number>();
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    if (typeof request.query !== 'string' || request.query.trim() === '') {
      return {
        status: 400,
        operation: operationName ?? 'anonymous',
        pagedDemarches,
        mutating: false,
        body: { errors: [{ message: 'No query string was present', extensions: { code: 'bad_request' } }] },
      };
    }
    const prepared = this.prepare(request.query);
    if (prepared instanceof GraphQLError) {
      return {
        status: 400,
        operation: operationName ?? 'anonymous',
        pagedDemarches,
        mutating: false,
        body: { errors: [{ message: prepared.message, extensions: { code: 'graphql_parse_failed' } }] },
      };
    }
    const operation = operationName ?? [...prepared.operationNames.keys()][0] ?? 'anonymous';
    const mutating = (prepared.operationNames.get(operationName) ?? [...prepared.operationNames.values()][0]) !== 'query';
    if (prepared.errors.length > 0) {
      return {
        status: 200,
        operation,
        pagedDemarches,
        mutating: false,
        body: { errors: prepared.errors.map((e) => ({ ...e.toJSON(), extensions: { code: 'validation' } })) } as GraphqlAnswer['body'],
      };
    }
    const contextValue: ExecContext = {
      state: this.state,
      baseUrl,
      fileSecret: this.secrets.files,
      blobSecret: this.secrets.blobs,
      access,
      namedTypes: prepared.namedTypes,
      pagedDemarches,
      mutations: this.mutations,
    };
    const variableValues =
      request.variables && typeof request.variables === 'object' ? (request.variables as Record<string, unknown>) : undefined;
    const args = {
      schema: schema(),
      document: prepared.document,
      variableValues: variableValues ?? null,
      operationName: operationName ?? null,
      contextValue,
    };
    // Queries that succeed take the lean path; errors, mutations and the rest go through graphql-js.
    const result = fastExecute(args) ?? execute(args);
    if (result instanceof Promise) throw new Error('resolvers must stay synchronous');
    return { status: 200, operation, pagedDemarches, mutating, body: result };
  }
}

/** Root value nodes: `data.demarche.dossiers.nodes` (for the malformed-answer fault). */
export function dossierNodes(body: unknown): Array<Record<string, unknown>> | null {
  const data = (body as { data?: { demarche?: { dossiers?: { nodes?: unknown } } } } | null)?.data;
  const nodes = data?.demarche?.dossiers?.nodes;
  return Array.isArray(nodes) && nodes.length > 0 ? (nodes as Array<Record<string, unknown>>) : null;
}
