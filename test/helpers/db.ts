// A fresh, migrated database per test file (or test): its own SQLite file or PostgreSQL schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, type DbHandle, type Engine } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { dbQueriesTotal } from '../../src/metrics/metrics.js';
import { TEST_PG_URL, withAdminClient } from './pg.js';

export const ENGINES: Engine[] = ['sqlite', 'postgres'];

// Statements count towards svarbud_db_queries_total as they do in the real processes (cli.ts).
const onQuery = () => dbQueriesTotal.inc();

export interface TestDatabase extends DbHandle {
  /** For SQLite: the file; for PostgreSQL: the schema. */
  location: string;
  /** The DATABASE_URL a child process would use to open the same database. */
  url: string;
  destroy(): Promise<void>;
}

export async function openTestDatabase(
  engine: Engine,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'svarbud-test-'));
    const path = join(dir, 'test.db');
    const handle = await openDatabase({ engine: 'sqlite', path }, { onQuery });
    if (options.migrate !== false) await migrateToLatest(handle.db, handle.engine);
    return {
      ...handle,
      location: path,
      url: `sqlite:${path}`,
      destroy: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // The creation time in the name lets a later run drop schemas an interrupted run left behind.
  const schema = `svbtest_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) => c.query(`create schema "${schema}"`));
  const handle = await openDatabase(
    { engine: 'postgres', url: TEST_PG_URL },
    { schema, poolSize: 5, applicationName: schema, onQuery },
  );
  if (options.migrate !== false) await migrateToLatest(handle.db, handle.engine);
  const separator = TEST_PG_URL.includes('?') ? '&' : '?';
  const url = `${TEST_PG_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    ...handle,
    location: schema,
    url,
    destroy: async () => {
      await handle.close();
      await withAdminClient((c) => c.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}
