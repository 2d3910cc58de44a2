// Runs the migration set; each migration in its own transaction on both engines.
import {
  Migrator,
  sql,
  type DatabaseIntrospector,
  type MigrationResultSet,
  type TableMetadata,
} from 'kysely';
import type { Db, Engine } from './connect.js';
import { migrations } from './migrations/index.js';

export async function migrateToLatest(db: Db, engine: Engine): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one; name ours, so
  // databases that hold several Svarbud schemas (tests, staging) never see each other's.
  const schema =
    engine === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: schema ? withTablesOfSchema(db, schema) : db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * `db` with an introspector that lists only the tables of `schema` (all the migrator asks: do its two
 * bookkeeping tables exist). Kysely's own lists every column of every schema in the database and calls
 * `pg_get_serial_sequence` on each by name, which fails ("schema … does not exist") when another schema of
 * the same database is dropped meanwhile — staging or test schemas sharing one database.
 */
function withTablesOfSchema(db: Db, schema: string): Db {
  const introspector: DatabaseIntrospector = {
    async getSchemas() {
      return [{ name: schema }];
    },
    async getTables(): Promise<TableMetadata[]> {
      const { rows } = await sql<{ name: string; kind: string }>`
        select c.relname as name, c.relkind as kind from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v')`.execute(db);
      return rows.map((r) => ({ name: r.name, schema, isView: r.kind === 'v', columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspector;
      const value: unknown = Reflect.get(target, prop, target);
      // Kysely keeps its state in private fields: its methods must run on the instance itself.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
