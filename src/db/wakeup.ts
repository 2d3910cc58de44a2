// Wakes dispatchers when runs become due: an in-process signal on SQLite (one process), and
// NOTIFY on PostgreSQL (delivered to every listening worker when the transaction commits). A signal
// names the automations whose runs became due, so a dispatcher can ignore it when all of them are
// already at their in-flight cap.
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Db, Engine } from './connect.js';

export const RUNS_CHANNEL = 'svarbud_runs';
// NOTIFY payloads must stay under 8000 bytes; a longer list is sent as "unknown" (wake everyone).
const MAX_PAYLOAD = 7000;

/** The automations named by a signal; null means "unknown: look at everything". */
export type DueAutomations = string[] | null;

const local = new EventEmitter();
local.setMaxListeners(0);

function encode(automationIds: string[]): string {
  const payload = [...new Set(automationIds)].join(',');
  return payload.length > MAX_PAYLOAD ? '' : payload;
}

/** Parses a signal's payload (empty → unknown). */
export function decodeDueAutomations(payload: string | undefined): DueAutomations {
  return payload ? payload.split(',') : null;
}

/** Signals that runs of `automationIds` are due; call inside the transaction that made them due. */
export async function signalRunsDue(db: Db, engine: Engine, automationIds: string[]): Promise<void> {
  const payload = encode(automationIds);
  if (engine === 'postgres') {
    await sql`select pg_notify(${RUNS_CHANNEL}, ${payload})`.execute(db);
  } else {
    // After the current microtask queue: on SQLite the transaction commits before a listener queries.
    setImmediate(() => local.emit(RUNS_CHANNEL, payload));
  }
}

/** A run that has just been committed, due now, with its message: everything needed to send it. */
export interface OfferedRun {
  id: string;
  automationId: string;
  body: string;
}

/** Takes just-committed runs straight from the request that made them (SQLite's in-process dispatcher). */
export type RunsOfferedListener = (runs: OfferedRun[]) => void;

const offerListeners = new WeakMap<object, RunsOfferedListener>();

/**
 * Hands runs that were just committed (durably) to the in-process dispatcher of `db`, which then claims
 * them by id with the message already in memory — no search for due runs, no message read. Without
 * such a dispatcher (PostgreSQL, whose workers are other processes, or none running) it is a plain
 * "runs are due" signal. Call after the commit returns.
 */
export function offerRuns(db: Db, engine: Engine, runs: OfferedRun[]): void {
  if (runs.length === 0) return;
  const listener = engine === 'sqlite' ? offerListeners.get(db) : undefined;
  if (listener) listener(runs);
  else if (engine === 'sqlite') local.emit(RUNS_CHANNEL, encode(runs.map((r) => r.automationId)));
  // PostgreSQL: the transaction's NOTIFY already woke the workers.
}

/** Registers the in-process dispatcher of `db` for offered runs (SQLite); returns an unsubscribe. */
export function onRunsOffered(db: Db, listener: RunsOfferedListener): () => void {
  offerListeners.set(db, listener);
  return () => {
    if (offerListeners.get(db) === listener) offerListeners.delete(db);
  };
}

/** Subscribes to in-process wake-ups (SQLite; PostgreSQL workers LISTEN instead). */
export function onLocalRunsDue(listener: (due: DueAutomations) => void): () => void {
  const handler = (payload: string) => listener(decodeDueAutomations(payload));
  local.on(RUNS_CHANNEL, handler);
  return () => local.off(RUNS_CHANNEL, handler);
}
