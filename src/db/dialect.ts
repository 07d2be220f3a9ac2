import {
  GeneratedNode,
  OperationNodeTransformer,
  PrimitiveValueListNode,
  ValueNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  sql,
  type RawBuilder,
  type SqlBool,
  PostgresAdapter,
  PostgresDialect,
  PostgresQueryCompiler,
  type ColumnDefinitionNode,
  type Kysely,
  type QueryCompiler,
} from 'kysely';
import { isPostgresUrl, redactPostgresUrl } from './database-url.ts';

/**
 * Everything that differs between SQLite and PostgreSQL lives here: which database a DS_ARS_DB
 * value names, how it is shown, which dialect a Kysely instance speaks, and the SQL fragments
 * that have no common spelling. The schema itself is the same on both (text dates in ISO form,
 * 0/1 integers for booleans, JSON kept as text), so every query compares and sorts alike.
 */
export type DialectName = 'sqlite' | 'postgres';

/**
 * The pg_dump command that backs up the PostgreSQL database of `target` into `file` (custom
 * format, for pg_restore), ready to paste: the URL loses its password (pg_dump reads PGPASSWORD or
 * ~/.pgpass) and both arguments are single-quoted for the shell.
 */
export function pgDumpCommand(target: string, file: string): string {
  let url: string;
  try {
    const parsed = new URL(target.trim());
    parsed.password = '';
    url = redactPostgresUrl(parsed.toString());
  } catch {
    url = redactPostgresUrl(target);
  }
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  return `pg_dump --format=custom --dbname=${quote(url)} --file=${quote(file)}`;
}

/** The database DS_ARS_DB names, as a user reads it (never with a password). */
export function describeDatabase(target: string): string {
  return isPostgresUrl(target) ? `PostgreSQL ${redactPostgresUrl(target)}` : `SQLite ${target}`;
}

export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * SQLite's `integer primary key autoincrement` becomes an identity column on PostgreSQL (kysely
 * would print MySQL's `auto_increment`). By default, so that `db copy` can keep the ids.
 */
class CompatPostgresQueryCompiler extends PostgresQueryCompiler {
  protected override visitColumnDefinition(node: ColumnDefinitionNode): void {
    if (!node.autoIncrement) {
      super.visitColumnDefinition(node);
      return;
    }
    super.visitColumnDefinition({
      ...node,
      autoIncrement: false,
      generated: GeneratedNode.create({ identity: true, byDefault: true }),
    });
  }
}

/** PostgreSQL's text cannot hold U+0000 (SQLite's can): the replacement character U+FFFD instead. */
export function withoutNul(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

class NulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = withoutNul(node.value);
    return value === node.value ? node : ValueNode.create(value);
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => typeof v === 'string' && v.includes('\u0000'))
      ? PrimitiveValueListNode.create(node.values.map(withoutNul))
      : node;
  }
}

/**
 * On PostgreSQL, every value bound by a kysely query loses its U+0000 characters (see withoutNul):
 * a stray one in a champ value or a finding would otherwise fail its whole write, at every run.
 * Raw compiled queries (bulkInsert) apply withoutNul themselves.
 */
export class StripNulPlugin implements KyselyPlugin {
  readonly #transformer = new NulTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** kysely's PostgresDialect, able to run the migrations written for SQLite unchanged. */
export class CompatPostgresDialect extends PostgresDialect {
  override createQueryCompiler(): QueryCompiler {
    return new CompatPostgresQueryCompiler();
  }
}

/** `column in (numbers)` with the whole list bound as ONE value, for kysely queries. */
export function inNumberList(db: Kysely<any>, column: string, numbers: readonly number[]): RawBuilder<SqlBool> {
  return dialectOf(db) === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = any(${[...numbers]}::bigint[])`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(numbers)}))`;
}

/** A JSON text column with its top-level `key` set to `json` (a JSON text). */
export function jsonWithKey(db: Kysely<any>, column: string, key: string, json: string): RawBuilder<string> {
  return dialectOf(db) === 'postgres'
    ? sql<string>`jsonb_set(${sql.ref(column)}::jsonb, ${`{${key}}`}, ${json}::jsonb)::text`
    : sql<string>`json_set(${sql.ref(column)}, ${`$.${key}`}, json(${json}))`;
}

/** Positional placeholder number `n` (1-based) in raw SQL text. */
export function placeholder(dialect: DialectName, n: number): string {
  return dialect === 'postgres' ? `$${n}` : '?';
}

/**
 * Rewrites the storage after personal data was erased, so that it does not stay in the files:
 * SQLite's VACUUM then an emptied WAL; PostgreSQL's VACUUM FULL (tables locked meanwhile).
 */
export async function compactAfterErase(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`vacuum full`.execute(db);
    return;
  }
  await sql`vacuum`.execute(db);
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}

/**
 * PostgreSQL compresses long texts (raw_json: ~15 kB a dossier) with pglz by default, about half
 * the cost of a page's dossier upsert; lz4 compresses as well at a fraction of the CPU. Kept as it
 * is when the server was built without lz4; SQLite does not compress.
 */
export async function useFastCompression(db: Kysely<any>, table: string, column: string): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  const { rows } = await sql<{
    lz4: boolean;
  }>`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db);
  if (!rows[0]?.lz4) return;
  await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression lz4`.execute(db);
}
