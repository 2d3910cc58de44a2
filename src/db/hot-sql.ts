// Statements of the hot path (every API request, every completed response) sent without Kysely's
// per-call work: a `sql` tag builds, freezes and compiles an operation-node tree on every call, which for
// these short statements costs about as much CPU as SQLite spends running them. Here the SQL text is
// compiled once per call site (the template's strings) and database, by Kysely's own compiler, and
// later calls pass only their values. Only templates whose interpolations are all plain values qualify:
// the first compilation checks that its parameters are exactly those values, in order (so the text
// cannot depend on them); a template that fails the check keeps going through `sql` every time.
import { CompiledQuery, sql, type QueryResult, type RootOperationNode } from 'kysely';
import type { Db } from './connect.js';

interface Compiled {
  sql: string;
  query: RootOperationNode;
}

/** Per template (call site) and per database (each compiles for its own dialect): the text, or null. */
const compiledTexts = new WeakMap<TemplateStringsArray, WeakMap<object, Compiled | null>>();

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function execute<R>(db: Db, compiled: Compiled, parameters: readonly unknown[]): Promise<QueryResult<R>> {
  // A CompiledQuery as Kysely's own compiler would return it; the query id is only read by plugins,
  // which the hot path's databases do not have (checked in `compile`).
  return db.executeQuery<R>({ ...compiled, parameters, queryId: HOT_QUERY_ID });
}

const HOT_QUERY_ID = CompiledQuery.raw('').queryId;

function compile(db: Db, strings: TemplateStringsArray, values: readonly unknown[]): Compiled | null {
  const executor = db.getExecutor();
  // The compiled text is keyed by the executor's adapter: one per database (Kysely instance), shared by
  // its transactions.
  let perDb = compiledTexts.get(strings);
  if (!perDb) {
    perDb = new WeakMap();
    compiledTexts.set(strings, perDb);
  }
  const key = executor.adapter;
  const known = perDb.get(key);
  if (known !== undefined) return known;
  const first = sql(strings, ...values).compile(db);
  const compiled =
    executor.plugins.length === 0 && sameValues(first.parameters, values)
      ? { sql: first.sql, query: first.query }
      : null;
  perDb.set(key, compiled);
  return compiled;
}

/**
 * Runs a statement written like Kysely's `sql` tag — `hotSql<Row>(db)\`select … where id = ${id}\`` —
 * compiled once per call site and database. Interpolate values only (no `sql` fragments, identifiers or
 * lists): a template that does is run through `sql` on every call, correct but without the saving.
 */
export function hotSql<R>(db: Db) {
  return (strings: TemplateStringsArray, ...values: unknown[]): Promise<QueryResult<R>> => {
    const compiled = compile(db, strings, values);
    if (compiled) return execute<R>(db, compiled, values);
    return sql<R>(strings, ...values).execute(db);
  };
}

/** Compiled statements built from a text key (not a call site): multi-row inserts (raw-insert.ts). */
const compiledByKey = new WeakMap<object, Map<string, Compiled | null>>();

/**
 * Runs the statement `build()` returns — whose SQL text is determined by `key` — with `parameters`,
 * compiling it only the first time `key` is seen on this database. `parameters` must be the values
 * `build()` interpolates, in order (checked at that first compilation, as in `hotSql`).
 */
export function keyedSql<R>(
  db: Db,
  key: string,
  build: () => { compile(db: Db): CompiledQuery },
  parameters: readonly unknown[],
): Promise<QueryResult<R>> {
  const executor = db.getExecutor();
  let perDb = compiledByKey.get(executor.adapter);
  if (!perDb) {
    perDb = new Map();
    compiledByKey.set(executor.adapter, perDb);
  }
  let compiled = perDb.get(key);
  if (compiled === undefined) {
    const first = build().compile(db);
    compiled =
      executor.plugins.length === 0 && sameValues(first.parameters, parameters)
        ? { sql: first.sql, query: first.query }
        : null;
    // Bounded: the keys of one database are few (table × columns × row count of its callers).
    if (perDb.size < 1000) perDb.set(key, compiled);
    if (!compiled) return db.executeQuery<R>(first as CompiledQuery<R>);
  }
  if (compiled === null) return db.executeQuery<R>(build().compile(db) as CompiledQuery<R>);
  return execute<R>(db, compiled, parameters);
}
