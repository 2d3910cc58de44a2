// PostgreSQL's run search moves off `runs` (issue 10). A run's status is indexed, so each status
// change (claim, completion, retry) is a non-HOT update that adds an entry to every index of `runs` —
// the pg_trgm GIN index on `runs.search_text` too, though a run's search text never changes: dropping it
// cut PostgreSQL's CPU per delivery by a fifth. The search texts now live in `run_search_terms`, written
// once when a run is inserted (by triggers, so every insert path is covered, as SQLite's FTS table of
// 0003), and the trigram index with them. Anonymous runs (search text '') have no row.
// `runs.search_text` stays: SQLite's triggers read it, and searches too short for a trigram test it.
// SQLite keeps its FTS5 table: nothing changes there.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`
    create table run_search_terms (
      run_id text primary key references runs (id) on delete cascade,
      search_text text not null
    )`.execute(db);
  // The table name is resolved through the search path, as every query of Svarbud's is, so a schema
  // restored under another name keeps working.
  await sql`
    create function run_search_terms_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into run_search_terms (run_id, search_text) values (new.id, new.search_text);
      elsif new.search_text = '' then
        delete from run_search_terms where run_id = new.id;
      else
        insert into run_search_terms (run_id, search_text) values (new.id, new.search_text)
        on conflict (run_id) do update set search_text = excluded.search_text;
      end if;
      return null;
    end
    $$`.execute(db);
  // An update that does not name search_text (every status change) never reaches the WHEN clause;
  // one that names it without changing it never calls the function.
  await sql`
    create trigger runs_search_insert after insert on runs
    for each row when (new.search_text <> '') execute function run_search_terms_sync()`.execute(db);
  await sql`
    create trigger runs_search_update after update of search_text on runs
    for each row when (old.search_text is distinct from new.search_text)
    execute function run_search_terms_sync()`.execute(db);
  await sql`
    insert into run_search_terms (run_id, search_text)
    select id, search_text from runs where search_text <> ''`.execute(db);
  // The same operator class as 0003's index, from wherever pg_trgm is installed (0003 installed it).
  const { rows } = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_trgm'`.execute(db);
  const trgm = rows[0];
  if (!trgm)
    throw new Error('Run search needs the PostgreSQL extension pg_trgm (migration 0003 installs it).');
  await sql`
    create index run_search_terms_trgm_idx on run_search_terms
    using gin (search_text ${sql.id(trgm.schema)}.gin_trgm_ops)`.execute(db);
  await sql`drop index runs_search_trgm_idx`.execute(db);
}
