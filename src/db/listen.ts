// Subscribing to "runs are due" signals: LISTEN on a dedicated PostgreSQL connection (reconnecting
// after errors; the dispatcher's polling covers any gap), or the in-process signal on SQLite.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { DbHandle } from './connect.js';
import {
  decodeDueAutomations,
  onLocalRunsDue,
  onRunsOffered,
  RUNS_CHANNEL,
  type DueAutomations,
  type RunsOfferedListener,
} from './wakeup.js';

/** Subscribes to "runs are due" signals, and on SQLite to runs offered by the requests that made them. */
export async function subscribeRunsDue(
  handle: DbHandle,
  log: Logger,
  wake: (due: DueAutomations) => void,
  offered?: RunsOfferedListener,
): Promise<() => void> {
  if (handle.engine === 'sqlite' || !handle.pool) {
    const offUnsubscribe = offered ? onRunsOffered(handle.db, offered) : () => {};
    const dueUnsubscribe = onLocalRunsDue(wake);
    return () => {
      offUnsubscribe();
      dueUnsubscribe();
    };
  }
  const pool = handle.pool;
  let client: pg.PoolClient | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    try {
      const c = await pool.connect();
      if (stopped) {
        c.release();
        return;
      }
      c.on('notification', (msg) => {
        if (msg.channel === RUNS_CHANNEL) wake(decodeDueAutomations(msg.payload));
      });
      c.on('error', (err) => {
        log.warn({ err }, 'LISTEN connection lost; reconnecting');
        c.release(err);
        client = null;
        if (!stopped) retry = setTimeout(() => void connect(), 1000);
      });
      await c.query(`LISTEN ${RUNS_CHANNEL}`);
      client = c;
      wake(null); // anything that arrived while we were not listening
    } catch (err) {
      log.warn({ err }, 'LISTEN failed; polling until it works');
      if (!stopped) retry = setTimeout(() => void connect(), 1000);
    }
  };
  await connect();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    if (client) {
      const c = client;
      client = null;
      c.query(`UNLISTEN ${RUNS_CHANNEL}`)
        .catch(() => {})
        .finally(() => c.release());
    }
  };
}
