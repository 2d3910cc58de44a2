// Several Svarbud schemas may share one PostgreSQL database (staging, tests). Migrating one must not read
// the others: Kysely's own introspection looked up every column of every schema by name, so a schema dropped
// while a migration read them made it fail ("schema … does not exist") — it failed test runs at random.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.js';
import { openTestDatabase, type TestDatabase } from './helpers/db.js';
import { TEST_PG_URL } from './helpers/pg.js';

const COLUMNS = Array.from({ length: 200 }, (_, i) => `c${i} int`).join(', ');

describe('migrating one schema of a shared database (postgres)', () => {
  const opened: TestDatabase[] = [];
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  afterAll(async () => {
    for (const d of opened) await d.destroy();
    await admin.end();
  });

  it('is not disturbed by other schemas being dropped meanwhile', async () => {
    await admin.connect();
    for (let round = 0; round < 5; round++) {
      // Other schemas with many columns, dropped one after another while this one migrates.
      const others = Array.from(
        { length: 8 },
        () => `svbtest_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`,
      );
      for (const s of others) {
        await admin.query(`create schema "${s}"`);
        for (let t = 0; t < 5; t++) await admin.query(`create table "${s}".t${t} (${COLUMNS})`);
      }
      const fresh = await openTestDatabase('postgres', { migrate: false });
      opened.push(fresh);
      const dropping = (async () => {
        for (const s of others) await admin.query(`drop schema "${s}" cascade`);
      })();
      const [migrated] = await Promise.all([migrateToLatest(fresh.db, 'postgres'), dropping]);
      expect(migrated[0]).toBe('0001_foundation');
    }
  });
});
