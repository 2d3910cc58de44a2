// SQLite through better-sqlite3, with what Kysely's stock driver lacks: write transactions begin
// IMMEDIATE (take the write lock up front, so two writers never deadlock on a lock upgrade), prepared
// statements are cached (the hot path runs the same few queries), group commit, and durability that does
// not block the event loop (see WalSyncer).
import { open, type FileHandle } from 'node:fs/promises';
import type { Database as BetterSqliteDatabase, Statement } from 'better-sqlite3';
import { RELAX_DURABILITY_SQL } from './durability.js';
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

/** A FIFO lock that knows how many are waiting for it. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  waiting = 0;
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    this.waiting += 1;
    await previous;
    this.waiting -= 1;
    return release;
  }
}

// Group commit: each transaction runs in a savepoint of one open write transaction; when it ends the
// connection passes on at once, and a COMMIT queued one event-loop turn later makes every transaction that
// ended meanwhile visible together; one fsync of the write-ahead log, on libuv's thread pool, then makes
// them durable. Only then does any of their commits return.
//
// The connection runs with synchronous=NORMAL, under which SQLite's WAL commit writes the log but does not
// fsync it; synchronous=FULL is exactly NORMAL plus an fsync of the log after each commit (SQLite's
// documentation of the pragma). We do that fsync ourselves, off the event loop, so the loop keeps serving
// while the disk works, and a transaction's commit still returns only once its work is on disk.

/** Makes the write-ahead log durable; concurrent requests share one fsync. */
export class WalSyncer {
  private handle: Promise<FileHandle> | null = null;
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the log before this call is on disk. */
  sync(): Promise<void> {
    // A sync already running may have started before our write: queue one more after it (shared).
    if (!this.current) return this.start();
    this.next ??= this.current.then(
      () => this.start(),
      () => this.start(),
    );
    return this.next;
  }

  private start(): Promise<void> {
    this.next = null;
    const run = (async () => {
      this.handle ??= open(this.walPath, 'r');
      const handle = await this.handle.catch((err: unknown) => {
        this.handle = null;
        throw err;
      });
      await handle.datasync();
    })();
    this.current = run;
    void run.then(
      () => this.settle(run),
      () => this.settle(run),
    );
    return run;
  }

  private settle(run: Promise<void>): void {
    if (this.current === run) this.current = null;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle.catch(() => null))?.close();
  }
}

interface GroupMember {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** One use of the single connection: a transaction, or one query outside a transaction. */
class ConnectionUse implements DatabaseConnection {
  savepoint: string | null = null;
  done = false;
  wrote = false;
  transactional = false;
  /** Its commit need not wait for the fsync (see durability.ts). */
  relaxed = false;
  constructor(
    readonly inner: SqliteConnection,
    readonly unlock: () => void,
  ) {}
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (compiled.sql === RELAX_DURABILITY_SQL) {
      // PostgreSQL's statement for "this commit need not wait for the disk" (durability.ts), honoured here.
      this.relaxed = true;
      return Promise.resolve({ rows: [] });
    }
    if (!/^\s*select\b/i.test(compiled.sql)) this.wrote = true;
    return this.inner.executeQuery<R>(compiled);
  }
  streamQuery<R>(compiled: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiled, chunkSize);
  }
}

class ImmediateSqliteDriver implements Driver {
  private connection!: SqliteConnection;
  private readonly mutex = new Mutex();
  private group: GroupMember[] | null = null;
  private commitScheduled = false;

  constructor(
    private readonly db: BetterSqliteDatabase,
    private readonly syncer: { sync(): Promise<void>; close(): Promise<void> } | null,
  ) {}

  async init(): Promise<void> {
    this.connection = new SqliteConnection(this.db);
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    // SQLite has one connection; the mutex hands it to one caller (or transaction) at a time.
    const unlock = await this.mutex.lock();
    return new ConnectionUse(this.connection, unlock);
  }
  private readonly control = new Map<string, Statement>();
  /** Runs a transaction-control statement, prepared once (they are few and run for every transaction). */
  private exec(sql: string): void {
    let stmt = this.control.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.control.set(sql, stmt);
    }
    stmt.run();
  }
  async beginTransaction(conn: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    const use = conn as ConnectionUse;
    if (this.group && !this.db.inTransaction) {
      // SQLite rolled the whole transaction back after an I/O-class error: the group's work is gone.
      const lost = this.group;
      this.group = null;
      for (const member of lost) member.reject(new Error('The write transaction was rolled back by SQLite'));
    }
    if (!this.group) {
      this.exec('begin immediate');
      this.group = [];
    }
    use.transactional = true;
    // Transactions hold the connection one at a time, so one savepoint name serves them all.
    use.savepoint = 'txn';
    this.exec(`savepoint ${use.savepoint}`);
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    const use = conn as ConnectionUse;
    this.exec(`release ${use.savepoint}`);
    use.savepoint = null;
    await this.finishUse(use);
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    const use = conn as ConnectionUse;
    if (use.savepoint && this.db.inTransaction) {
      this.exec(`rollback to ${use.savepoint}`);
      this.exec(`release ${use.savepoint}`);
    }
    use.savepoint = null;
    await this.finishUse(use);
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    const use = conn as ConnectionUse;
    if (!use.done) await this.finishUse(use);
  }

  /** Ends one use: a transaction waits in the open group for the next group commit. */
  private finishUse(use: ConnectionUse): Promise<void> {
    use.done = true;
    const group = this.group;
    // A read outside a transaction has nothing to make durable.
    if (!group || (!use.transactional && !use.wrote)) {
      use.unlock();
      return Promise.resolve();
    }
    // A relaxed transaction returns at once; it still commits with its group.
    const durable = use.relaxed
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => group.push({ resolve, reject }));
    if (!this.commitScheduled) {
      this.commitScheduled = true;
      // One turn of the event loop lets the work that is ready now join this group.
      setImmediate(() => void this.commitGroup());
    }
    use.unlock();
    return durable;
  }

  /**
   * Commits the open group and settles every member once the log is on disk; queues for the connection
   * like any use, and lets go of it before waiting for the disk.
   */
  private async commitGroup(): Promise<void> {
    const unlock = await this.mutex.lock();
    this.commitScheduled = false;
    const group = this.group;
    this.group = null;
    try {
      if (!group) return;
      this.exec('commit');
    } catch (err) {
      if (this.db.inTransaction) this.exec('rollback');
      for (const member of group ?? []) member.reject(err);
      return;
    } finally {
      unlock();
    }
    if (group.length === 0) return; // only relaxed members: nobody waits for the disk
    try {
      await this.syncer?.sync();
    } catch (err) {
      for (const member of group) member.reject(err);
      return;
    }
    for (const member of group) member.resolve();
  }

  async destroy(): Promise<void> {
    // The open group, if any, commits and reaches the disk before the connection closes.
    await this.commitGroup();
    await this.syncer?.close();
    this.db.close();
  }
}

export class ImmediateSqliteDialect implements Dialect {
  /** `syncer`: makes the write-ahead log durable (null for an in-memory database). */
  constructor(
    private readonly db: BetterSqliteDatabase,
    private readonly syncer: { sync(): Promise<void>; close(): Promise<void> } | null,
  ) {}
  createDriver(): Driver {
    return new ImmediateSqliteDriver(this.db, this.syncer);
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
