// Run search and filtered runs-log reads (SPEC §7 → Filter).
// `runs.search_text` is the lower-cased "first last<US>e-mail" of a run, empty for anonymous runs (so
// no identity search — not even "anon" — ever finds them). It is indexed per engine:
// - SQLite: an FTS5 trigram table kept in sync by triggers (the trigram tokenizer needs ≥ 3 characters;
//   shorter searches fall back to a substring test over the automation's runs);
// - PostgreSQL: a pg_trgm GIN index, used by ILIKE.
// Both engines also get (automation, status, created_at, id) for status-filtered pages and counts.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

const BACKFILL_BATCH = 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('runs')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await backfillSearchText(db);
  await db.schema
    .createIndex('runs_status_log_idx')
    .on('runs')
    .columns(['automation_id', 'status', 'created_at', 'id'])
    .execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) await sqliteSearch(db);
  else await postgresSearch(db);
}

/** Runs created before this migration: computed here, in JavaScript, so case folding matches new runs. */
async function backfillSearchText(db: AnyDb): Promise<void> {
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('runs')
      .select(['id', 'name', 'email', 'first_name', 'last_name'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute()) as {
      id: string;
      name: string;
      email: string | null;
      first_name: string | null;
      last_name: string | null;
    }[];
    for (const r of rows) {
      // Anonymous runs were stored as "Anonymous" with no identity at all.
      const anonymous =
        r.name === 'Anonymous' && r.email === null && r.first_name === null && r.last_name === null;
      const text = anonymous ? '' : backfillText(r.first_name, r.last_name, r.email);
      if (text !== '')
        await db.updateTable('runs').set({ search_text: text }).where('id', '=', r.id).execute();
    }
    if (rows.length < BACKFILL_BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

// A frozen copy of src/runs/search-text.ts `searchTextOf` as it was when this migration shipped.
function backfillText(first: string | null, last: string | null, email: string | null): string {
  const name = [first, last].filter((s) => s && s.trim() !== '').join(' ');
  const text = `${name}\u001f${email ?? ''}`.toLowerCase();
  return text === '\u001f' ? '' : text;
}

async function sqliteSearch(db: AnyDb): Promise<void> {
  // The FTS rowid of each run's entry, so a deleted run removes exactly its own entry. (runs has a
  // text key; its implicit rowid may change on VACUUM, so it cannot be the link.)
  await sql`create table run_search_docs (run_id text primary key, doc integer not null) without rowid`.execute(
    db,
  );
  await sql`create virtual table run_search using fts5(search_text, run_id unindexed, tokenize = 'trigram')`.execute(
    db,
  );
  await sql`
    create trigger runs_search_insert after insert on runs when new.search_text <> '' begin
      insert into run_search (search_text, run_id) values (new.search_text, new.id);
      insert into run_search_docs (run_id, doc) values (new.id, last_insert_rowid());
    end`.execute(db);
  await sql`
    create trigger runs_search_delete after delete on runs when old.search_text <> '' begin
      delete from run_search where rowid = (select doc from run_search_docs where run_id = old.id);
      delete from run_search_docs where run_id = old.id;
    end`.execute(db);
  await sql`
    create trigger runs_search_update after update of search_text on runs begin
      delete from run_search where rowid = (select doc from run_search_docs where run_id = old.id);
      delete from run_search_docs where run_id = old.id;
      insert into run_search (search_text, run_id) select new.search_text, new.id where new.search_text <> '';
      insert into run_search_docs (run_id, doc) select new.id, last_insert_rowid() where new.search_text <> '';
    end`.execute(db);
  await sql`
    insert into run_search (search_text, run_id) select search_text, id from runs where search_text <> ''`.execute(
    db,
  );
  await sql`
    insert into run_search_docs (run_id, doc) select run_id, rowid from run_search`.execute(db);
}

async function postgresSearch(db: AnyDb): Promise<void> {
  // pg_trgm is installed once per database (in `public` unless it is already somewhere else), never in
  // the migrating schema: several Svarbud schemas (tests, staging) share one database, and dropping one
  // must not drop the others' indexes. The lock serialises concurrent first migrations.
  await sql`select pg_advisory_xact_lock(hashtext('svarbud:pg_trgm'))`.execute(db);
  const find = () =>
    sql<{ schema: string }>`
      select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_trgm'`.execute(db);
  let found = (await find()).rows[0];
  if (!found) {
    try {
      await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    } catch (err) {
      throw new Error(
        'Run search needs the PostgreSQL extension pg_trgm: ask the database administrator to run ' +
          '"create extension pg_trgm with schema public" (it ships with PostgreSQL), then migrate again.',
        { cause: err },
      );
    }
    found = (await find()).rows[0]!;
  }
  await sql`
    create index runs_search_trgm_idx on runs
    using gin (search_text ${sql.id(found.schema)}.gin_trgm_ops)`.execute(db);
}
