// Issue 13 (SPEC §12): where a run came from, what an automation lost, and the indexes erasure needs.
// - runs.origin: `completion` (every run before this), `backfill` or `manual`;
// - automations.lost_variables: JSON `[{id, label, lostAt}]`, variables its specific selection named that
//   were deleted from the survey; cleared when the owner saves a new selection;
// - runs (response_id, automation_id): erasing a response finds its runs, and a backfill "only missing"
//   asks whether an automation has a run for a response, without scanning the runs;
// - responses (org_id, lower(email)): a data-subject erasure finds a respondent's responses.
// On SQLite the run search table deletes securely from now on: an erased run's trigrams leave the index
// at once instead of lingering in old segments until a merge.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('runs')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('completion'))
    .execute();
  await db.schema
    .alterTable('automations')
    .addColumn('lost_variables', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createIndex('runs_response_idx')
    .on('runs')
    .columns(['response_id', 'automation_id'])
    .execute();
  await sql`create index responses_email_idx on responses (org_id, lower(email))`.execute(db);
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`insert into run_search (run_search, rank) values ('secure-delete', 1)`.execute(db);
  }
}
