/**
 * A lean executor for the simulator's queries: the same walk as graphql-js `execute` (field
 * collection with fragments and type conditions, default and custom resolvers, scalar and enum
 * serialization, abstract type resolution), with the per-field plan computed once per document
 * and none of graphql-js's per-field bookkeeping (resolve info, paths, promise checks).
 *
 * It only handles the happy path: queries whose resolvers answer synchronously without error.
 * Anything else (a resolver throws, a non-null field is null, a directive, introspection, an
 * unresolvable abstract type, a mutation) returns null and the caller runs graphql-js, which
 * produces the exact errors. Resolvers of this simulator do not read `info`: they get a
 * static one (no path, no variables).
 */
import {
  defaultTypeResolver,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLEnumType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  isAbstractType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLAbstractType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Thrown inside the walk to hand the request over to graphql-js. */
const BAIL: unique symbol = Symbol('bail');

const NO_ARGS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

interface Entry {
  responseName: string;
  fieldName: string;
  /** `__typename`: answered from the runtime type. */
  typename: boolean;
  def: GraphQLField<unknown, unknown> | null;
  resolve: GraphQLFieldResolver<unknown, unknown> | undefined;
  hasArgs: boolean;
  node: FieldNode;
  nodes: FieldNode[];
  returnType: GraphQLOutputType | null;
  info: GraphQLResolveInfo | null;
  /** Plans of the sub-selection, per concrete object type. */
  children: Map<string, Entry[]>;
}

interface Compiled {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  root: Entry[] | null;
  /** The root plan could not be built (directive, introspection): always graphql-js. */
  unsupported: boolean;
}

const compiledByDocument = new WeakMap<DocumentNode, Map<string | null, Compiled | null>>();

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): Compiled | null {
  let byName = compiledByDocument.get(document);
  if (byName === undefined) compiledByDocument.set(document, (byName = new Map()));
  if (byName.has(operationName)) return byName.get(operationName) ?? null;
  const operation = getOperationAST(document, operationName);
  let compiled: Compiled | null = null;
  if (operation && operation.operation === 'query') {
    const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    compiled = { schema, operation, fragments, root: null, unsupported: false };
  }
  byName.set(operationName, compiled);
  return compiled;
}

function conditionMatches(
  schema: GraphQLSchema,
  condition: FragmentDefinitionNode['typeCondition'] | undefined,
  type: GraphQLObjectType,
): boolean {
  if (!condition) return true;
  const conditional = typeFromAST(schema, condition);
  if (conditional === type) return true;
  return conditional !== undefined && isAbstractType(conditional) && schema.isSubType(conditional, type);
}

function collect(
  c: Compiled,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  fields: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  for (const selection of set.selections) {
    if (selection.directives && selection.directives.length > 0) throw BAIL;
    if (selection.kind === Kind.FIELD) {
      const name = selection.alias?.value ?? selection.name.value;
      const list = fields.get(name);
      if (list) list.push(selection);
      else fields.set(name, [selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (conditionMatches(c.schema, selection.typeCondition, type)) collect(c, type, selection.selectionSet, fields, visited);
    } else {
      const name = selection.name.value;
      if (visited.has(name)) continue;
      visited.add(name);
      const fragment = c.fragments[name];
      if (fragment && conditionMatches(c.schema, fragment.typeCondition, type)) collect(c, type, fragment.selectionSet, fields, visited);
    }
  }
}

function plan(c: Compiled, type: GraphQLObjectType, sets: readonly SelectionSetNode[]): Entry[] {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  for (const set of sets) collect(c, type, set, fields, visited);
  const entries: Entry[] = [];
  for (const [responseName, nodes] of fields) {
    const node = nodes[0] as FieldNode;
    const fieldName = node.name.value;
    if (fieldName === '__typename') {
      entries.push({
        responseName,
        fieldName,
        typename: true,
        def: null,
        resolve: undefined,
        hasArgs: false,
        node,
        nodes,
        returnType: null,
        info: null,
        children: new Map(),
      });
      continue;
    }
    const def = type.getFields()[fieldName];
    if (!def) throw BAIL; // introspection or unknown field: graphql-js decides
    const info = {
      fieldName,
      fieldNodes: nodes,
      returnType: def.type,
      parentType: type,
      path: undefined,
      schema: c.schema,
      fragments: c.fragments,
      rootValue: undefined,
      operation: c.operation,
      variableValues: NO_ARGS,
    } as unknown as GraphQLResolveInfo;
    entries.push({
      responseName,
      fieldName,
      typename: false,
      def: def as GraphQLField<unknown, unknown>,
      resolve: def.resolve as GraphQLFieldResolver<unknown, unknown> | undefined,
      hasArgs: def.args.length > 0,
      node,
      nodes,
      returnType: def.type,
      info,
      children: new Map(),
    });
  }
  return entries;
}

interface Run {
  c: Compiled;
  ctx: unknown;
  variables: Record<string, unknown>;
}

function executeFields(run: Run, type: GraphQLObjectType, entries: Entry[], source: unknown): Record<string, unknown> {
  // A plain literal, not Object.create(null) as graphql-js: V8 keeps prototype-less objects in slow
  // dictionary mode. Response names are GraphQL names (never `__proto__`), and the JSON is the same.
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    if (entry.typename) {
      out[entry.responseName] = type.name;
      continue;
    }
    const args = entry.hasArgs ? getArgumentValues(entry.def as GraphQLField<unknown, unknown>, entry.node, run.variables) : NO_ARGS;
    let value: unknown;
    if (entry.resolve) {
      value = entry.resolve(source, args, run.ctx, entry.info as GraphQLResolveInfo);
    } else if (source !== null && (typeof source === 'object' || typeof source === 'function')) {
      // graphql-js's defaultFieldResolver.
      const property = (source as Record<string, unknown>)[entry.fieldName];
      value =
        typeof property === 'function'
          ? (source as Record<string, (...a: unknown[]) => unknown>)[entry.fieldName]!(args, run.ctx, entry.info)
          : property;
    }
    out[entry.responseName] = complete(run, entry, entry.returnType as GraphQLOutputType, value);
  }
  return out;
}

function complete(run: Run, entry: Entry, type: GraphQLOutputType, value: unknown): unknown {
  if (value instanceof Error) throw BAIL;
  if (type instanceof GraphQLNonNull) {
    if (value === null || value === undefined) throw BAIL;
    return complete(run, entry, type.ofType as GraphQLOutputType, value);
  }
  if (value === null || value === undefined) return null;
  if (typeof (value as { then?: unknown }).then === 'function') throw BAIL;
  if (type instanceof GraphQLList) {
    if (!Array.isArray(value)) throw BAIL;
    const item = type.ofType as GraphQLOutputType;
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = complete(run, entry, item, value[i]);
    return out;
  }
  if (type instanceof GraphQLScalarType || type instanceof GraphQLEnumType) {
    const serialized = type.serialize(value);
    if (serialized === null || serialized === undefined) throw BAIL;
    return serialized;
  }
  let objectType: GraphQLObjectType;
  if (type instanceof GraphQLObjectType) {
    objectType = type;
  } else {
    const abstract = type as GraphQLAbstractType;
    const resolveType = abstract.resolveType ?? defaultTypeResolver;
    const name = resolveType(value, run.ctx, entry.info as GraphQLResolveInfo, abstract);
    if (typeof name !== 'string') throw BAIL;
    const runtime = run.c.schema.getType(name);
    if (!(runtime instanceof GraphQLObjectType) || !run.c.schema.isSubType(abstract, runtime)) throw BAIL;
    objectType = runtime;
  }
  if (objectType.isTypeOf && objectType.isTypeOf(value, run.ctx, entry.info as GraphQLResolveInfo) !== true) throw BAIL;
  let entries = entry.children.get(objectType.name);
  if (entries === undefined) {
    entries = plan(
      run.c,
      objectType,
      entry.nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => s !== undefined),
    );
    entry.children.set(objectType.name, entries);
  }
  return executeFields(run, objectType, entries, value);
}

/**
 * Runs a validated query document; null when graphql-js must run it instead (see above).
 * Successful answers are those of graphql-js: `{ data }` with fields in selection order.
 */
export function fastExecute(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variableValues: Record<string, unknown> | null;
  operationName: string | null;
  contextValue: unknown;
}): ExecutionResult | null {
  const c = compile(args.schema, args.document, args.operationName);
  if (c === null || c.unsupported) return null;
  const queryType = args.schema.getQueryType();
  if (!queryType) return null;
  const coerced = getVariableValues(args.schema, c.operation.variableDefinitions ?? [], args.variableValues ?? {}, { maxErrors: 50 });
  if (coerced.errors) return null;
  if (c.root === null) {
    try {
      c.root = plan(c, queryType, [c.operation.selectionSet]);
    } catch {
      c.unsupported = true;
      return null;
    }
  }
  try {
    return { data: executeFields({ c, ctx: args.contextValue, variables: coerced.coerced }, queryType, c.root, undefined) };
  } catch {
    // BAIL or a resolver's error: graphql-js runs the request again and reports it its way.
    return null;
  }
}
