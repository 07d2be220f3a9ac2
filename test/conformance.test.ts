/**
 * The project's DS schema (src/graphql/ds-schema.graphql) and operations (queries/) must hold
 * against the real API: every operation validates against both schemas, and every type, field
 * and argument the project declares exists upstream with a compatible type. The upstream SDL is
 * read from ../shared/ds-api/schema.graphql (override: DS_UPSTREAM_SCHEMA), never copied here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  Kind,
  parse,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const queriesDir = join(root, 'queries');
const fragmentsDir = join(queriesDir, 'fragments');
const upstreamPath = process.env.DS_UPSTREAM_SCHEMA ?? resolve(root, '../shared/ds-api/schema.graphql');
const hasUpstream = existsSync(upstreamPath);
// CI always has the upstream schema (.ci/run sets CI=true): there, its absence fails these tests
// instead of skipping them, so a moved path can never turn them off silently.
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const skipUpstream = !hasUpstream && !inCi;
if (skipUpstream) {
  console.warn(
    `[conformance] schéma DS amont introuvable (${upstreamPath}) : tests de conformité amont ignorés. Définissez DS_UPSTREAM_SCHEMA.`,
  );
}

const projectSchema = buildSchema(readFileSync(join(root, 'src/graphql/ds-schema.graphql'), 'utf8'));
const upstreamSchema = hasUpstream ? buildSchema(readFileSync(upstreamPath, 'utf8')) : undefined;

/** The upstream schema, or the reason it is missing in CI (where these tests may not be skipped). */
function upstream(): GraphQLSchema {
  if (upstreamSchema === undefined) {
    throw new Error(
      `Schéma DS amont introuvable (${upstreamPath}) alors que CI=${process.env.CI} : en CI, les tests de conformité amont ne sont jamais ignorés. ` +
        'Placez le schéma officiel à cet endroit ou indiquez son chemin dans DS_UPSTREAM_SCHEMA.',
    );
  }
  return upstreamSchema;
}

const graphqlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();

const fragments = new Map<string, FragmentDefinitionNode>();
for (const file of graphqlFiles(fragmentsDir)) {
  for (const definition of parse(readFileSync(join(fragmentsDir, file), 'utf8')).definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
}

/** The operation of one file plus the fragments it uses, transitively (no unused ones). */
function withFragments(operation: DocumentNode): DocumentNode {
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: DocumentNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !used.has(name)) {
          used.set(name, fragment);
          collect(fragment);
        }
      },
    });
  collect(operation);
  return { ...operation, definitions: [...operation.definitions, ...used.values()] };
}

const operationFiles = graphqlFiles(queriesDir).map((file) => ({
  file,
  document: parse(readFileSync(join(queriesDir, file), 'utf8')),
}));

// --- Schema compatibility ------------------------------------------------------------------

/**
 * Output position: the project may see a field as nullable where upstream is non-null (it just
 * handles a null that never comes), never the reverse.
 */
function outputCompatible(project: GraphQLOutputType, upstream: GraphQLOutputType): boolean {
  if (isNonNullType(project)) return isNonNullType(upstream) && outputCompatible(project.ofType, upstream.ofType);
  if (isNonNullType(upstream)) return outputCompatible(project, upstream.ofType);
  if (isListType(project)) return isListType(upstream) && outputCompatible(project.ofType, upstream.ofType);
  if (isListType(upstream)) return false;
  return project.name === upstream.name;
}

/**
 * Input position (arguments, input fields): every value valid for the project's type must be
 * valid upstream, since operations checked against the project schema are sent to DS. So where
 * upstream requires a value (non-null), the project must require it too.
 */
function inputCompatible(project: GraphQLInputType, upstream: GraphQLInputType): boolean {
  if (isNonNullType(upstream)) return isNonNullType(project) && inputCompatible(project.ofType, upstream.ofType);
  if (isNonNullType(project)) return inputCompatible(project.ofType, upstream);
  if (isListType(project)) return isListType(upstream) && inputCompatible(project.ofType, upstream.ofType);
  if (isListType(upstream)) return false;
  return project.name === upstream.name;
}

function inputsIncompatibilities(
  where: string,
  project: readonly (GraphQLArgument | GraphQLInputField)[],
  upstream: readonly (GraphQLArgument | GraphQLInputField)[],
): string[] {
  const problems: string[] = [];
  const upstreamByName = new Map(upstream.map((input) => [input.name, input]));
  const projectNames = new Set(project.map((input) => input.name));
  for (const input of project) {
    const theirs = upstreamByName.get(input.name);
    if (!theirs) problems.push(`${where}(${input.name}): absent upstream`);
    else if (!inputCompatible(input.type, theirs.type)) {
      problems.push(`${where}(${input.name}): project ${String(input.type)} is not accepted by upstream ${String(theirs.type)}`);
    }
  }
  for (const theirs of upstream) {
    if (isNonNullType(theirs.type) && theirs.defaultValue === undefined && !projectNames.has(theirs.name)) {
      problems.push(`${where}(${theirs.name}): required upstream, missing in the project`);
    }
  }
  return problems;
}

const kindOf = (type: GraphQLNamedType): string =>
  isObjectType(type)
    ? 'object'
    : isInterfaceType(type)
      ? 'interface'
      : isUnionType(type)
        ? 'union'
        : isEnumType(type)
          ? 'enum'
          : isInputObjectType(type)
            ? 'input'
            : 'scalar';

/** Everything the project schema declares that upstream lacks or types differently. */
function schemaIncompatibilities(project: GraphQLSchema, upstream: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const [rootName, ours, theirs] of [
    ['query', project.getQueryType(), upstream.getQueryType()],
    ['mutation', project.getMutationType(), upstream.getMutationType()],
  ] as const) {
    if (ours && ours.name !== theirs?.name) problems.push(`schema ${rootName}: ${ours.name} vs upstream ${theirs?.name ?? 'none'}`);
  }
  for (const type of Object.values(project.getTypeMap())) {
    if (type.name.startsWith('__') || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    const theirs = upstream.getType(type.name);
    if (!theirs) {
      problems.push(`${type.name}: type absent upstream`);
      continue;
    }
    if (kindOf(type) !== kindOf(theirs)) {
      problems.push(`${type.name}: ${kindOf(type)} in the project, ${kindOf(theirs)} upstream`);
      continue;
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(theirs) || isInterfaceType(theirs))) {
      const theirFields = theirs.getFields();
      for (const field of Object.values(type.getFields())) {
        const theirField = theirFields[field.name];
        if (!theirField) {
          problems.push(`${type.name}.${field.name}: field absent upstream`);
          continue;
        }
        if (!outputCompatible(field.type, theirField.type)) {
          problems.push(`${type.name}.${field.name}: project ${String(field.type)} vs upstream ${String(theirField.type)}`);
        }
        problems.push(...inputsIncompatibilities(`${type.name}.${field.name}`, field.args, theirField.args));
      }
      const theirInterfaces = new Set(theirs.getInterfaces().map((i) => i.name));
      for (const implemented of type.getInterfaces()) {
        if (!theirInterfaces.has(implemented.name)) problems.push(`${type.name}: does not implement ${implemented.name} upstream`);
      }
    }
    if (isUnionType(type) && isUnionType(theirs)) {
      const members = new Set(theirs.getTypes().map((member) => member.name));
      for (const member of type.getTypes()) {
        if (!members.has(member.name)) problems.push(`${type.name}: member ${member.name} absent upstream`);
      }
    }
    if (isEnumType(type) && isEnumType(theirs)) {
      const values = new Set(theirs.getValues().map((value) => value.name));
      for (const value of type.getValues()) {
        if (!values.has(value.name)) problems.push(`${type.name}.${value.name}: enum value absent upstream`);
      }
    }
    if (isInputObjectType(type) && isInputObjectType(theirs)) {
      problems.push(...inputsIncompatibilities(type.name, Object.values(type.getFields()), Object.values(theirs.getFields())));
      if (theirs.isOneOf && !type.isOneOf) problems.push(`${type.name}: @oneOf upstream, not in the project`);
    }
  }
  for (const directive of project.getDirectives()) {
    if (!upstream.getDirective(directive.name)) problems.push(`@${directive.name}: directive absent upstream`);
  }
  return problems;
}

// --- Tests ----------------------------------------------------------------------------------

describe('queries/', () => {
  it('holds one named operation per file, and fragments only in queries/fragments', () => {
    expect(operationFiles.length).toBeGreaterThan(0);
    for (const { file, document } of operationFiles) {
      const kinds = document.definitions.map((d) => d.kind);
      expect(kinds, file).toEqual([Kind.OPERATION_DEFINITION]);
      const [operation] = document.definitions;
      expect(operation?.kind === Kind.OPERATION_DEFINITION && operation.name?.value, file).toBe(file.replace(/\.graphql$/, ''));
    }
    for (const file of graphqlFiles(fragmentsDir)) {
      const kinds = parse(readFileSync(join(fragmentsDir, file), 'utf8')).definitions.map((d) => d.kind);
      expect(new Set(kinds), file).toEqual(new Set([Kind.FRAGMENT_DEFINITION]));
    }
  });

  for (const { file, document } of operationFiles) {
    it(`${file} validates against the project schema`, () => {
      expect(validate(projectSchema, withFragments(document)).map((e) => e.message)).toEqual([]);
    });
    it.skipIf(skipUpstream)(`${file} validates against the upstream DS schema`, () => {
      expect(validate(upstream(), withFragments(document)).map((e) => e.message)).toEqual([]);
    });
  }
});

describe('project schema vs upstream DS schema', () => {
  it.skipIf(skipUpstream)('declares only types, fields and arguments that exist upstream with compatible types', () => {
    expect(schemaIncompatibilities(projectSchema, upstream())).toEqual([]);
  });

  it.skipIf(skipUpstream)('declares every value upstream can return for the enums the adapter reads', () => {
    // Answers are parsed strictly (src/graphql/answers.ts): an upstream value the project lacks
    // would reject whole pages, so it must be added here first.
    const missing: string[] = [];
    const schema = upstream();
    for (const type of Object.values(projectSchema.getTypeMap())) {
      const theirs = schema.getType(type.name);
      if (!isEnumType(type) || !isEnumType(theirs) || type.name.startsWith('__')) continue;
      const ours = new Set(type.getValues().map((value) => value.name));
      for (const value of theirs.getValues()) if (!ours.has(value.name)) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('the compatibility check catches what it should', () => {
    const upstream = buildSchema(`
      type Query { item(id: ID!, first: Int): Item, items: [Item!]! }
      interface Node { id: ID! }
      type Item implements Node { id: ID! name: String state: State! }
      enum State { a b }
      input Filter { q: String! }
      type Mutation { m(input: Filter!): Item }
    `);
    const project = buildSchema(`
      type Query { item(id: ID, extra: Int): Item!, items: [Item]!, gone: Int }
      interface Node { id: ID! }
      type Item implements Node { id: ID! name: String! state: State }
      enum State { a c }
      input Filter { q: String }
      type Mutation { m(input: Filter!): Item }
    `);
    expect(schemaIncompatibilities(project, upstream).sort()).toEqual(
      [
        'Query.item: project Item! vs upstream Item',
        'Query.item(id): project ID is not accepted by upstream ID!',
        'Query.item(extra): absent upstream',
        'Query.gone: field absent upstream',
        'Item.name: project String! vs upstream String',
        'State.c: enum value absent upstream',
        'Filter(q): project String is not accepted by upstream String!',
      ].sort(),
    );
    // Looser on output, stricter on input: compatible.
    expect(
      schemaIncompatibilities(buildSchema('type Query { item(id: ID!, first: Int!): Item } type Item { id: ID }'), upstream).filter(
        (p) => p.startsWith('Query.item') || p.startsWith('Item.id'),
      ),
    ).toEqual([]);
  });
});
