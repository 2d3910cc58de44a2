// Multi-row INSERTs for the hot path, written with Kysely's `sql` tag instead of its insert builder:
// the builder parses and freezes a node tree for every value of every row, which cost more CPU than
// SQLite spends executing the statement. The SQL text depends only on the table, the columns and the
// number of rows, so the driver's prepared-statement cache keeps serving it — and it is compiled only once
// per table, columns and row count (hot-sql.ts).
import { sql, type Insertable } from 'kysely';
import type { Db, Engine } from './connect.js';
import { rowsSource, type ColumnType } from './dialect.js';
import { keyedSql } from './hot-sql.js';
import type { Database } from './schema.js';

export async function insertRows<T extends keyof Database & string>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  // Every row must have the first row's columns (all callers build rows of one shape).
  const columns = Object.keys(rows[0]!);
  const parameters: unknown[] = [];
  for (const row of rows) {
    const cells = row as Record<string, unknown>;
    for (const c of columns) parameters.push(cells[c]);
  }
  await keyedSql(
    db,
    `${table}\u0000${columns.join(',')}\u0000${rows.length}`,
    () => {
      const values = rows.map((row) => {
        const cells = row as Record<string, unknown>;
        return sql`(${sql.join(columns.map((c) => cells[c]))})`;
      });
      return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`;
    },
    parameters,
  );
}

/**
 * The same for batches that are written many times a second (attempt logs): the rows travel as one
 * parameter per column through `rowsSource` (SQLite: one JSON text; PostgreSQL: one array per column), so
 * the statement's text — and the prepared statement — is one whatever the number of rows, and no query
 * node is built per value. Every row must have every column of `columns`.
 */
export async function insertRowsFrom<T extends keyof Database & string>(
  db: Db,
  engine: Engine,
  table: T,
  columns: { readonly [C in keyof Database[T] & string]: ColumnType },
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const list = sql.join(names.map((c) => sql.ref(c)));
  const source = rowsSource(engine, columns, rows as unknown as Record<string, unknown>[]);
  await sql`insert into ${sql.table(table)} (${list}) select ${list} from ${source} as v`.execute(db);
}
