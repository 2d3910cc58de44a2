// Wakes dispatchers when runs become due: an in-process signal on SQLite (one process), and
// NOTIFY on PostgreSQL (delivered to every listening worker when the transaction commits).
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Db, Engine } from './connect.js';

export const RUNS_CHANNEL = 'svarbud_runs';

const local = new EventEmitter();
local.setMaxListeners(0);

/** Signals that runs are due; call inside the transaction that made them due. */
export async function signalRunsDue(db: Db, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql`select pg_notify(${RUNS_CHANNEL}, '')`.execute(db);
  } else {
    // After the current microtask queue: on SQLite the transaction commits before a listener queries.
    setImmediate(() => local.emit(RUNS_CHANNEL));
  }
}

/** Subscribes to in-process wake-ups (SQLite; PostgreSQL workers LISTEN instead). */
export function onLocalRunsDue(listener: () => void): () => void {
  local.on(RUNS_CHANNEL, listener);
  return () => local.off(RUNS_CHANNEL, listener);
}
