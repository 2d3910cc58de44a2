// The run queue on PostgreSQL: any number of dispatcher processes. Wake-ups are NOTIFY (sent by the
// transaction that made runs due, delivered at its commit) on a LISTEN connection of each dispatcher,
// which reconnects by itself and claims once on reconnecting (it may have missed signals meanwhile).
// Claims take a per-automation advisory lock (another process claiming for it: skipped this round) and
// skip locked rows, so no run is claimed twice and the per-automation cap holds across processes.
import type pg from 'pg';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import type { Db } from './connect.js';
import { relaxDurability } from './durability.js';
import {
  decodeDue,
  DueCollector,
  encodeDue,
  RunQueue,
  RUNS_CHANNEL,
  toClaimed,
  type ClaimDueOptions,
  type ClaimResult,
  type DueRuns,
  type QueueListener,
} from './run-queue.js';

const ADVISORY_CLASS = 0x5b0d; // namespaces our advisory locks
const LISTEN_RETRY_MIN_MS = 250;
const LISTEN_RETRY_MAX_MS = 5000;

type Returned = Parameters<typeof toClaimed>[0][number];

export class PostgresRunQueue extends RunQueue {
  readonly engine = 'postgres' as const;
  readonly solitary = false;

  constructor(
    db: Db,
    private readonly pool: pg.Pool,
  ) {
    super(db);
  }

  async makeDue<T>(fn: (trx: Db, due: DueRuns) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const due = new DueCollector();
      const result = await fn(trx, due);
      if (!due.empty) await sql`select pg_notify(${RUNS_CHANNEL}, ${encodeDue(due.ids)})`.execute(trx);
      return result;
    });
  }

  async listen(listener: QueueListener, log: Logger): Promise<() => void> {
    const pool = this.pool;
    let client: pg.PoolClient | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | null = null;
    let delay = LISTEN_RETRY_MIN_MS;

    const again = () => {
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, delay);
      delay = Math.min(delay * 2, LISTEN_RETRY_MAX_MS);
    };
    // Each client is given back exactly once, its listeners gone: its error and its failed LISTEN may
    // both report the same loss.
    const released = new WeakSet<pg.PoolClient>();
    const drop = (c: pg.PoolClient, err?: Error) => {
      if (client === c) client = null;
      if (released.has(c)) return;
      released.add(c);
      c.removeAllListeners('notification');
      c.removeAllListeners('error');
      c.on('error', () => {}); // a late error of a dropped client must not end the process
      c.release(err ?? true);
    };
    const connect = async (): Promise<void> => {
      let c: pg.PoolClient | null = null;
      try {
        c = await pool.connect();
        if (stopped) {
          c.release();
          return;
        }
        const mine = c;
        mine.on('notification', (msg) => {
          if (msg.channel === RUNS_CHANNEL) listener.due(decodeDue(msg.payload));
        });
        mine.on('error', (err) => {
          log.warn({ err }, 'LISTEN connection lost; reconnecting');
          drop(mine, err);
          again();
        });
        await mine.query(`LISTEN ${RUNS_CHANNEL}`);
        if (stopped) {
          drop(mine);
          return;
        }
        client = mine;
        delay = LISTEN_RETRY_MIN_MS;
        listener.due(null); // anything that became due while we were not listening
      } catch (err) {
        log.warn({ err }, 'LISTEN failed; polling until it works');
        if (c) drop(c, err as Error);
        again();
      }
    };
    await connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        c.query(`UNLISTEN ${RUNS_CHANNEL}`)
          .catch(() => {})
          .finally(() => drop(c));
      }
    };
  }

  claimDue(o: ClaimDueOptions): Promise<ClaimResult> {
    const { lease } = o;
    return this.db.transaction().execute(async (trx) => {
      await relaxDurability(trx);
      // One statement: the enabled automations with due runs, those whose advisory lock we get (another
      // dispatcher claiming for one holds it: skipped this round), and how many runs each has running.
      const { rows } = await sql<{ id: string; running: number }>`
        with due as materialized (
          select a.id from automations a
          where a.enabled = 1 and exists (
            select 1 from runs r
            where r.automation_id = a.id and r.status = 'scheduled' and r.next_attempt_at <= ${lease.now})
        ), locked as materialized (
          select id from due where pg_try_advisory_xact_lock(${ADVISORY_CLASS}, hashtext(id))
        )
        select l.id, (select count(*) from runs r where r.automation_id = l.id and r.status = 'running')::int as running
        from locked l order by l.id`.execute(trx);
      const ids = rows.map((r) => r.id).filter((id) => !o.skip?.has(id));
      if (ids.length === 0) return { runs: [], capped: [], full: [] };
      const plan = o.plan(ids, new Map(rows.map((r) => [r.id, Number(r.running)])));
      if (plan.claims.length === 0) return { runs: [], capped: plan.capped, full: [] };
      // The plan counted running runs with the first statement's snapshot, which may predate the commit
      // of the dispatcher that held an automation's lock just before us: this statement's snapshot is
      // taken with the locks held, so it counts again and never lets an automation past its cap.
      const result = await sql<Returned>`
        update runs set status = 'running', lease_token = ${lease.token}, lease_expires_at = ${lease.expiresAt},
          lease_owner = ${lease.owner}, status_changed_at = ${lease.now}
        from (
          select p.id from unnest(${plan.claims.map((p) => p.id)}::text[], ${plan.claims.map((p) => p.k)}::int[],
                                  ${plan.claims.map((p) => o.ended(p.id))}::int[]) as a(id, k, ended)
          cross join lateral (
            select r.id from runs r
            where r.automation_id = a.id and r.status = 'scheduled' and r.next_attempt_at <= ${lease.now}
            order by r.next_attempt_at
            limit greatest(0, least(a.k, ${o.cap} + a.ended -
              (select count(*) from runs x where x.automation_id = a.id and x.status = 'running')))
            for update skip locked
          ) p
        ) picked
        where runs.id = picked.id
        returning runs.id, runs.automation_id, runs.attempts, runs.schedule_start, runs.next_trigger`.execute(
        trx,
      );
      const taken = new Map<string, number>();
      for (const r of result.rows) taken.set(r.automation_id, (taken.get(r.automation_id) ?? 0) + 1);
      const full = plan.claims.filter((c) => (taken.get(c.id) ?? 0) >= c.k).map((c) => c.id);
      return { runs: toClaimed(result.rows, lease.token), capped: plan.capped, full };
    });
  }
}
