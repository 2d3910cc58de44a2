// SQLite through better-sqlite3, with the two things Kysely's stock driver lacks:
// write transactions begin IMMEDIATE (take the write lock up front, so two writers never deadlock
// on a lock upgrade), and prepared statements are cached (the hot path runs the same few queries).
import type { Database as BetterSqliteDatabase, Statement } from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Kysely,
  type TransactionSettings,
} from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

class SqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: BetterSqliteDatabase) {}

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (stmt) return stmt;
    stmt = this.db.prepare(sql);
    if (this.statements.size >= STATEMENT_CACHE_SIZE) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.prepare(compiled.sql);
    const params = compiled.parameters as unknown[];
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(params) as R[] });
    const { changes } = stmt.run(params);
    return Promise.resolve({ numAffectedRows: BigInt(changes), rows: [] });
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 500): AsyncIterableIterator<QueryResult<R>> {
    // better-sqlite3 iterators hold the connection busy; read in chunks and yield between them.
    const stmt = this.prepare(compiled.sql);
    let chunk: R[] = [];
    for (const row of stmt.iterate(compiled.parameters as unknown[])) {
      chunk.push(row as R);
      if (chunk.length >= chunkSize) {
        yield { rows: chunk };
        chunk = [];
      }
    }
    if (chunk.length > 0) yield { rows: chunk };
  }
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

class ImmediateSqliteDriver implements Driver {
  private connection!: SqliteConnection;
  private readonly mutex = new Mutex();
  private release: (() => void) | null = null;

  constructor(private readonly db: BetterSqliteDatabase) {}

  async init(): Promise<void> {
    this.connection = new SqliteConnection(this.db);
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    // SQLite has one connection; the mutex hands it to one caller (or transaction) at a time.
    this.release = await this.mutex.lock();
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    if (this.db.inTransaction) await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = null;
    release?.();
  }
  async destroy(): Promise<void> {
    this.db.close();
  }
}

export class ImmediateSqliteDialect implements Dialect {
  constructor(private readonly db: BetterSqliteDatabase) {}
  createDriver(): Driver {
    return new ImmediateSqliteDriver(this.db);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
