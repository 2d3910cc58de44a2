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
  /** The listening connection, and the one way to give it back. */
  let current: { client: pg.PoolClient; release: (err?: Error) => void } | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;

  // One reconnect at a time, backing off 1 s, 2 s, 4 s … 30 s while the database stays away. (Both the
  // client's 'error' and the failed LISTEN scheduled one: two connects leaked a client, which then held
  // pool.end() at shutdown.)
  const retryLater = (): void => {
    if (stopped || retry) return;
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
    failures += 1;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
  };

  const connect = async (): Promise<void> => {
    let c: pg.PoolClient;
    try {
      c = await pool.connect();
    } catch (err) {
      log.warn({ err }, 'LISTEN failed; polling until it works');
      return retryLater();
    }
    const onNotification = (msg: pg.Notification): void => {
      if (msg.channel === RUNS_CHANNEL) wake(decodeDueAutomations(msg.payload));
    };
    let released = false;
    // Given back exactly once, and without our listeners: the pool may hand the client to anyone next.
    const release = (err?: Error): void => {
      if (released) return;
      released = true;
      c.off('notification', onNotification);
      c.off('error', onError);
      if (current?.client === c) current = null;
      c.release(err);
    };
    function onError(err: Error): void {
      log.warn({ err }, 'LISTEN connection lost; reconnecting');
      release(err);
      retryLater();
    }
    if (stopped) return release();
    c.on('notification', onNotification);
    c.on('error', onError);
    try {
      await c.query(`LISTEN ${RUNS_CHANNEL}`);
    } catch (err) {
      log.warn({ err }, 'LISTEN failed; polling until it works');
      release(err instanceof Error ? err : new Error(String(err)));
      return retryLater();
    }
    if (stopped || released) return release();
    current = { client: c, release };
    failures = 0;
    wake(null); // anything that arrived while we were not listening
  };
  await connect();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const listening = current;
    current = null;
    if (listening) {
      listening.client
        .query(`UNLISTEN ${RUNS_CHANNEL}`)
        .catch(() => {})
        .finally(() => listening.release());
    }
  };
}
