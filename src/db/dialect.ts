// Engine differences as SQL pieces (the way pg-boss keeps its plans): feature stores write one statement
// for both engines and take from here the parts that differ. Nothing outside src/db/ branches on the engine
// (eslint.config.js enforces it).
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Engine } from './connect.js';

export type ColumnType = 'text' | 'int' | 'bigint';

/**
 * A derived table of `rows` with the given columns, to join against in one statement
 * (`update t set … from ${rowsSource(…)} as v where t.id = v.id`): PostgreSQL unnests one array per
 * column, SQLite reads one JSON parameter. Either way the SQL text depends only on the columns, so the
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
  const picks = names.map((n) => sql.raw(`value ->> '$.${n}' as ${n}`));
  return sql`(select ${sql.join(picks)} from json_each(${JSON.stringify(rows)}))`;
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
