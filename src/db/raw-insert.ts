// Multi-row INSERTs for the hot path, written with Kysely's `sql` tag instead of its insert builder:
// the builder parses and freezes a node tree for every value of every row, which cost more CPU than
// SQLite spends executing the statement. The SQL text depends only on the table, the columns and the
// number of rows, so the driver's prepared-statement cache keeps serving it — and it is compiled only once
// per table, columns and row count (hot-sql.ts).
import { sql, type Insertable } from 'kysely';
import type { Db } from './connect.js';
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
