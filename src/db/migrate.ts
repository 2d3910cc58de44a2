// Runs the migration set; each migration in its own transaction on both engines.
import { Migrator, sql, type MigrationResultSet } from 'kysely';
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
    db,
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
