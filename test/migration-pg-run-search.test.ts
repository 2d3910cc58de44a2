// 0011_pg_run_search (PostgreSQL only): the search texts of runs move to `run_search_terms`, kept by
// triggers on `runs`. Runs stored before the migration are copied (anonymous ones are not), the trigram
// index moves with them, and every later insert, search-text change and delete keeps the table in step.
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrganizationWithUser } from '../src/accounts/accounts.store.js';
import { createAutomation } from '../src/automations/automations.service.js';
import type { AppContext } from '../src/context.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { newId } from '../src/ids.js';
import { createLogger } from '../src/logger.js';
import * as store from '../src/runs/runs.store.js';
import { TEST_SECRET_KEY, testConfig } from './helpers/app.js';
import { openTestDatabase, type TestDatabase } from './helpers/db.js';
import { insertLogRuns, type Respondent } from './helpers/runs.js';
import { createSurveyFixture } from './helpers/surveys.js';

const MIGRATION = '0011_pg_run_search';
const BEFORE = Object.keys(migrations).filter((name) => name < MIGRATION);

const KARI: Respondent = { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com' };
const OLA: Respondent = { firstName: 'Ola', lastName: 'Hansen', email: 'ola@firma.no' };
const SOLVEIG: Respondent = { firstName: 'Solveig', lastName: 'Berg', email: null };

describe(`migration ${MIGRATION} (postgres)`, () => {
  let t: TestDatabase;
  let ctx: AppContext;
  let orgId: string;
  let automationId: string;
  const now = Date.now();

  const terms = async () =>
    (
      await sql<{ run_id: string; search_text: string }>`
        select run_id, search_text from run_search_terms order by search_text`.execute(t.db)
    ).rows;
  const indexesOf = async (table: string) =>
    (
      await sql<{ indexname: string }>`
        select indexname from pg_indexes where schemaname = current_schema() and tablename = ${table}
        order by indexname`.execute(t.db)
    ).rows.map((r) => r.indexname);
  const search = async (s: string) =>
    (await store.listRuns(t.db, 'postgres', { automationId, search: s }, null, 50)).map((r) => r.id);

  beforeAll(async () => {
    t = await openTestDatabase('postgres', { migrate: false });
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db)).rows[0]!
      .schema;
    const migrator = new Migrator({
      db: t.db,
      provider: {
        getMigrations: async () => Object.fromEntries(BEFORE.map((name) => [name, migrations[name]!])),
      },
      migrationTableSchema: schema,
    });
    const before = await migrator.migrateToLatest();
    expect(before.error).toBeUndefined();
    ctx = {
      db: t.db,
      engine: 'postgres',
      queue: t.queue,
      config: testConfig(),
      clock: { now: () => now },
      log: createLogger('silent'),
      secretKey: TEST_SECRET_KEY,
    };
    orgId = newId('org', now);
    await insertOrganizationWithUser(
      t.db,
      { id: orgId, name: 'Org', created_at: now },
      {
        id: newId('usr', now),
        org_id: orgId,
        email: `owner-${now}@example.com`,
        name: 'Owner',
        password_hash: 'x',
        created_at: now,
      },
    );
    const fx = await createSurveyFixture(t.db, orgId);
    automationId = (
      await createAutomation(ctx, orgId, {
        surveyId: fx.survey.id,
        name: 'Search',
        url: 'https://hooks.example.com/in',
        variables: { mode: 'all' },
        labels: 'auto',
      })
    ).id;
  });
  afterAll(async () => t.destroy());

  it('copies the search texts of earlier runs (none for anonymous ones) and moves the trigram index', async () => {
    // An identified run and an anonymous one.
    const [kari] = await insertLogRuns(t.db, {
      orgId,
      automationId,
      runs: [
        { respondent: KARI, createdAt: now - 2000 },
        { respondent: null, createdAt: now - 1000 },
      ],
    });
    expect(await indexesOf('runs')).toContain('runs_search_trgm_idx');

    expect(await migrateToLatest(t.db, 'postgres')).toEqual([MIGRATION]);
    expect(await terms()).toEqual([{ run_id: kari, search_text: 'kari nordmann\u001fkari@example.com' }]);
    expect(await indexesOf('runs')).not.toContain('runs_search_trgm_idx');
    expect(await indexesOf('run_search_terms')).toEqual([
      'run_search_terms_pkey',
      'run_search_terms_trgm_idx',
    ]);
    expect(await search('nordm')).toEqual([kari]);
    expect(await search('ka')).toEqual([kari]); // too short for a trigram: runs.search_text
  });

  it('gives a run inserted later its search row, and an anonymous run none', async () => {
    const [ola, anonymous] = await insertLogRuns(t.db, {
      orgId,
      automationId,
      runs: [
        { respondent: OLA, createdAt: now },
        { respondent: null, createdAt: now },
      ],
    });
    const rows = await terms();
    expect(rows.find((r) => r.run_id === ola)).toEqual({
      run_id: ola,
      search_text: 'ola hansen\u001fola@firma.no',
    });
    expect(rows.map((r) => r.run_id)).not.toContain(anonymous);
    expect(await search('firma.no')).toEqual([ola]);
  });

  it('follows a change of search text, and a status change leaves it alone', async () => {
    const [id] = await insertLogRuns(t.db, {
      orgId,
      automationId,
      runs: [{ respondent: SOLVEIG, createdAt: now + 1 }],
    });
    const textOf = async () => (await terms()).find((r) => r.run_id === id)?.search_text;
    expect(await textOf()).toBe('solveig berg\u001f');

    await t.db.updateTable('runs').set({ status: 'succeeded' }).where('id', '=', id!).execute();
    expect(await textOf()).toBe('solveig berg\u001f');
    await t.db.updateTable('runs').set({ search_text: 'solveig dahl\u001f' }).where('id', '=', id!).execute();
    expect(await textOf()).toBe('solveig dahl\u001f');
    expect(await search('dahl')).toEqual([id]);
    expect(await search('berg')).toEqual([]);
    // Emptied (as an erased identity would be): no row, so no search finds it.
    await t.db.updateTable('runs').set({ search_text: '' }).where('id', '=', id!).execute();
    expect(await textOf()).toBeUndefined();
    await t.db.updateTable('runs').set({ search_text: 'solveig berg\u001f' }).where('id', '=', id!).execute();
    expect(await textOf()).toBe('solveig berg\u001f');
  });

  it('deletes the search row with its run', async () => {
    const [id] = await insertLogRuns(t.db, {
      orgId,
      automationId,
      runs: [{ respondent: { firstName: 'Gone', lastName: 'Soon', email: null }, createdAt: now + 2 }],
    });
    expect((await terms()).map((r) => r.run_id)).toContain(id);
    await t.db.deleteFrom('runs').where('id', '=', id!).execute();
    expect((await terms()).map((r) => r.run_id)).not.toContain(id);
  });
});
