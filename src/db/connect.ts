// Opens the configured engine. Engine differences live in this folder, not in the features.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { redactUrl, type DatabaseSetting } from '../config.js';
import type { Database } from './schema.js';
import { startCheckpointer, WRITER_AUTOCHECKPOINT_PAGES } from './checkpointer.js';
import { ImmediateSqliteDialect, WalSyncer } from './sqlite-driver.js';
import type { RunQueue } from './run-queue.js';
import { SqliteRunQueue } from './run-queue-sqlite.js';
import { PostgresRunQueue } from './run-queue-postgres.js';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  engine: Engine;
  /** PostgreSQL only: the pool, for LISTEN/NOTIFY clients. */
  pool: pg.Pool | null;
  /** Runs waiting to be delivered, on this engine (run-queue.ts). */
  queue: RunQueue;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL: the schema to use (tests isolate themselves in their own schema). */
  schema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /**
   * PostgreSQL: the `application_name` of this process's sessions (`svarbud-serve-<pid>` …), so an
   * operator sees in pg_stat_activity which process holds which connection. A URL's own wins.
   */
  applicationName?: string;
  /** Told of every statement this process runs through the query layer (the statements metric). */
  onQuery?: () => void;
}

/** How long a request waits for a PostgreSQL connection (new or from the pool) before it fails (503). */
export const PG_CONNECT_TIMEOUT_MS = 5000;

/** Creates the SQLite file (and its folder) private to this user: folder 0700, database, WAL and SHM 0600. */
function preparePrivateFile(path: string): void {
  const dir = dirname(path);
  // Only a folder we create is made 0700; an existing one (say /tmp) is the operator's to set.
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  // SQLite creates the -wal and -shm files with the database file's mode; files from before are fixed.
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

const INT8_OID = 20;

/** Kysely's log hook, counting statements (successful or not) for `onQuery`; none without it. */
function queryLog(options: OpenOptions): ((event: LogEvent) => void) | undefined {
  const { onQuery } = options;
  return onQuery ? () => onQuery() : undefined;
}

export async function openDatabase(setting: DatabaseSetting, options: OpenOptions = {}): Promise<DbHandle> {
  if (setting.engine === 'sqlite') {
    if (setting.path !== ':memory:') preparePrivateFile(setting.path);
    const raw = new BetterSqlite3(setting.path);
    raw.pragma('journal_mode = WAL');
    // NORMAL: commits do not fsync the log on the event loop; the driver fsyncs it off the loop before a
    // commit returns, which together is synchronous=FULL's guarantee (sqlite-driver.ts).
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('foreign_keys = ON');
    // Savepoint journals (every transaction of the group commit runs in one) and sort spills stay in memory.
    raw.pragma('temp_store = MEMORY');
    // Checkpoints run on their own thread (checkpointer.ts); the writer's own is only a backstop.
    const checkpointer = raw.memory ? null : await startCheckpointer(raw.name);
    if (checkpointer) raw.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
    const syncer = raw.memory ? null : new WalSyncer(`${raw.name}-wal`);
    const db = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect(raw, syncer),
      log: queryLog(options),
    });
    const close = async () => {
      await checkpointer?.stop();
      await db.destroy();
    };
    return { db, engine: 'sqlite', pool: null, queue: new SqliteRunQueue(db), close };
  }
  const pool = new pg.Pool({
    connectionString: setting.url,
    max: options.poolSize ?? 10,
    // Times and counts are int8; they fit a JS number comfortably (epoch ms, row counts).
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as never,
    },
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
    // Never wait for ever: a request that cannot get a connection fails (503 UNAVAILABLE) instead.
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  // A checked-out client whose backend goes away (pg_terminate_backend, a restart, a failover) emits
  // 'error' too, and an 'error' without a listener ends the process. Its query rejects on its own, the
  // pool drops the client on release, and the next checkout connects afresh.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryLog(options) });
  return { db, engine: 'postgres', pool, queue: new PostgresRunQueue(db, pool), close: () => db.destroy() };
}

/** True for a unique-constraint violation on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** Whether several processes may use the database at once (PostgreSQL); SQLite has one process. */
export function isShared(
  setting: DatabaseSetting,
): setting is Extract<DatabaseSetting, { engine: 'postgres' }> {
  return setting.engine === 'postgres';
}

/** The database for logs and the console, its password hidden. */
export function describeDatabase(setting: DatabaseSetting): string {
  return setting.engine === 'sqlite' ? `SQLite ${setting.path}` : `PostgreSQL ${redactUrl(setting.url)}`;
}
