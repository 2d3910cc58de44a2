// Engine differences as SQL pieces (the way pg-boss keeps its plans): feature stores write one statement
// for both engines and take from here the parts that differ. Nothing outside src/db/ branches on the engine
// (eslint.config.js enforces it).
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db, Engine } from './connect.js';

export type ColumnType = 'text' | 'int' | 'bigint';

/**
 * A derived table of `rows` with the given columns, to join against in one statement
 * (`update t set … from ${rowsSource(…)} as v where t.id = v.id`): PostgreSQL unnests one array per
 * column, SQLite reads one JSON parameter (as JSONB). Either way the SQL text depends only on the columns, so the
 * prepared statement is reused whatever the number of rows.
 */
export function rowsSource(
  engine: Engine,
  columns: Record<string, ColumnType>,
  rows: readonly Record<string, unknown>[],
): RawBuilder<unknown> {
  const names = Object.keys(columns);
  if (engine === 'postgres') {
    const arrays = names.map((n) => sql`${rows.map((r) => r[n] ?? null)}::${sql.raw(`${columns[n]}[]`)}`);
    return sql`(select * from unnest(${sql.join(arrays)}) as v(${sql.raw(names.join(', '))}))`;
  }
  // jsonb_each hands each row over as a binary JSON object, from which `->>` takes a field without parsing
  // the row's text again (json_each would re-parse it once per column: 12 µs a row of 13 columns, 5 this way).
  const picks = names.map((n) => sql.raw(`value ->> '$.${n}' as ${n}`));
  return sql`(select ${sql.join(picks)} from jsonb_each(${JSON.stringify(rows)}))`;
}

/**
 * The database server's clock in epoch milliseconds, read when the statement runs. Liveness compares
 * heartbeats written by different hosts, so it uses the one clock they share rather than each process's own
 * (a worker whose clock runs 4 s behind would otherwise look dead to the others while it sends).
 */
export function databaseNowMs(engine: Engine): RawBuilder<number> {
  return engine === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
}

/** The text of top-level key `key` of the JSON object stored as text in `column` (null when absent). */
export function jsonTextField(engine: Engine, column: string, key: string): RawBuilder<string | null> {
  return engine === 'postgres'
    ? sql<string | null>`(${sql.ref(column)}::json ->> ${key})`
    : sql<string | null>`json_extract(${sql.ref(column)}, ${`$."${key.replaceAll('"', '""')}"`})`;
}

/**
 * A select that share-locks the rows it returns until the transaction ends, so a concurrent delete of
 * them waits (PostgreSQL: runs created for a response must not outlive its erasure). SQLite's transactions
 * never overlap: the select as it is.
 */
export function lockingForShare<DB, TB extends keyof DB, O>(
  engine: Engine,
  q: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return engine === 'postgres' ? q.forKeyShare() : q;
}

/** A one-column row source of ids: `where id in (${idsSource(…)})`. */
export function idsSource(engine: Engine, ids: readonly string[]): RawBuilder<unknown> {
  return engine === 'postgres'
    ? sql`select unnest(${ids}::text[])`
    : sql`select value from json_each(${JSON.stringify(ids)})`;
}

/**
 * A condition on an indexed column that the planner must not drive the statement from. SQLite's planner,
 * fed statistics taken while the partial index `… where status = 'running'` was nearly empty, will scan
 * that index and read a JSON batch once per row; a unary `+` takes the column out of index selection.
 * PostgreSQL plans these joins well as they are.
 */
export function notIndexed(engine: Engine, column: string): RawBuilder<unknown> {
  return engine === 'postgres' ? sql.ref(column) : sql`+${sql.ref(column)}`;
}

/**
 * A select that locks the rows it returns for this transaction and skips rows another transaction has
 * locked (PostgreSQL: several processes take work from one table). SQLite has one writer, whose
 * transactions never overlap: the select as it is.
 */
export function lockingSkipLocked<DB, TB extends keyof DB, O>(
  engine: Engine,
  q: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return engine === 'postgres' ? q.forUpdate().skipLocked() : q;
}

/**
 * A select that locks the rows it returns until the transaction ends, waiting for other transactions
 * that hold them (PostgreSQL: two processes updating the same rows from what they read; take rows in a
 * fixed order so they cannot deadlock). SQLite's transactions never overlap: the select as it is.
 */
export function lockingForUpdate<DB, TB extends keyof DB, O>(
  engine: Engine,
  q: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return engine === 'postgres' ? q.forUpdate() : q;
}

// Session advisory lock keys: a class of their own (claims use 0x5b0d with hashed automation ids).
const EXCLUSIVE_CLASS = 0x5b0e;

/** Work that one process at a time does for the whole database (its key in EXCLUSIVE_CLASS). */
export const EXCLUSIVE = { sweeper: 1 } as const;

/**
 * Runs `fn` if no other process is running work `key` now; returns `busy` otherwise. PostgreSQL: a session
 * advisory lock on one pinned connection, released on every path (and by the server if the process dies).
 * SQLite has one process: it just runs.
 */
export async function exclusively<T>(
  db: Db,
  engine: Engine,
  key: number,
  busy: T,
  fn: (conn: Db) => Promise<T>,
): Promise<T> {
  if (engine !== 'postgres') return fn(db);
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(${EXCLUSIVE_CLASS}, ${key}) as locked`.execute(conn);
    if (!rows[0]?.locked) return busy;
    try {
      return await fn(conn);
    } finally {
      await sql`select pg_advisory_unlock(${EXCLUSIVE_CLASS}, ${key})`.execute(conn);
    }
  });
}

/**
 * SQLite: statistics for the planner (PostgreSQL's autovacuum keeps its own). A database never analysed
 * (new, or from before this) gets one ANALYZE with a row limit per index (~1 s at a million runs); after
 * that `pragma optimize`, all tables checked (0x10000), re-analyses only tables that changed much since —
 * well under a millisecond otherwise.
 */
export async function refreshPlannerStatistics(db: Db, engine: Engine): Promise<void> {
  if (engine !== 'sqlite') return;
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from sqlite_schema where type = 'table' and name = 'sqlite_stat1'`.execute(db);
  const analysed =
    Number(rows[0]?.n ?? 0) > 0 &&
    Number(
      (await sql<{ n: number }>`select count(*) as n from sqlite_stat1 where tbl = 'runs'`.execute(db))
        .rows[0]?.n ?? 0,
    ) > 0;
  if (analysed) {
    await sql`pragma optimize = 0x10002`.execute(db);
  } else {
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`analyze`.execute(db);
  }
}
