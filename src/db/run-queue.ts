// The run queue: the one seam between the features and the engine for runs waiting to be delivered.
// Features make runs due inside their own transactions (`makeDue`); the dispatcher listens, claims due
// runs in batches under a fenced lease, records their new states in batches, and gives back what it
// could not send. Liveness: every dispatcher beats once a second; the runs of one that stopped beating
// are claimable again within seconds (`reclaim`), and a run's lease token fences out a late recording.
//
// One implementation per engine (run-queue-sqlite.ts, run-queue-postgres.ts); the statements both share
// are here, with the pieces that differ taken from dialect.ts.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, Engine } from './connect.js';
import { databaseNowMs, notIndexed, idsSource, rowsSource } from './dialect.js';
import { relaxDurability } from './durability.js';

/** A dispatcher beats this often … */
export const HEARTBEAT_INTERVAL_MS = 1000;
/** … and is dead, its claims free for others, once its last beat is older than this. */
export const DEAD_AFTER_MS = 3000;

export interface ClaimedRun {
  id: string;
  automationId: string;
  attempts: number;
  scheduleStart: number;
  nextTrigger: 'auto' | 'replay';
  leaseToken: string;
}

/** What a claim takes: the owner (a dispatcher id), a fresh token and the lease's expiry. */
export interface Lease {
  now: number;
  owner: string;
  token: string;
  expiresAt: number;
}

export interface ClaimPlan {
  /** Automations to claim for, in order, and at most how many runs of each. */
  claims: { id: string; k: number }[];
  /** Automations with due runs left unclaimed for want of room. */
  capped: string[];
}

/** Decides, given the automations with due runs and how many runs each has running (all dispatchers). */
export type ClaimPlanner = (automations: string[], running: ReadonlyMap<string, number>) => ClaimPlan;

export interface ClaimDueOptions {
  lease: Lease;
  plan: ClaimPlanner;
  /**
   * The cap the plan applied and this process's ended-but-unrecorded runs per automation: PostgreSQL
   * checks each automation's room again with a snapshot taken after its lock was held.
   */
  cap: number;
  ended(automationId: string): number;
  /** Automations left out of this claim (their runs are being taken by id). */
  skip?: ReadonlySet<string>;
}

export interface ClaimResult {
  runs: ClaimedRun[];
  capped: string[];
  /** Automations whose claim took all it was allowed: more of their runs may be due. */
  full: string[];
}

/** A run's state after an attempt, applied only if its lease token still matches. */
export interface RunStateUpdate {
  id: string;
  token: string;
  status: 'scheduled' | 'succeeded' | 'failed';
  next: number | null;
  attempts: number;
  url: string;
}

/** A run that has just been committed, due now, with its message: everything needed to send it. */
export interface OfferedRun {
  id: string;
  automationId: string;
  body: string;
}

/** The automations named by a signal; null means "unknown: look at everything". */
export type DueAutomations = string[] | null;

export interface QueueListener {
  /** Runs of these automations became due (another process, or a replay, an enable …). */
  due(automations: DueAutomations): void;
  /** Runs just committed by this process, with their messages (SQLite: the only dispatcher). */
  offered(runs: OfferedRun[]): void;
}

/** Collected inside a `makeDue` transaction; sent once it has committed. */
export interface DueRuns {
  /** Runs of these automations are due now. */
  automations(ids: readonly string[]): void;
  /** These runs are due now and their messages are in hand. */
  offer(runs: readonly OfferedRun[]): void;
}

export class DueCollector implements DueRuns {
  readonly ids = new Set<string>();
  readonly offered: OfferedRun[] = [];
  automations(ids: readonly string[]): void {
    for (const id of ids) this.ids.add(id);
  }
  offer(runs: readonly OfferedRun[]): void {
    for (const r of runs) {
      this.offered.push(r);
      this.ids.add(r.automationId);
    }
  }
  get empty(): boolean {
    return this.ids.size === 0;
  }
}

export const RUNS_CHANNEL = 'svarbud_runs';
// NOTIFY payloads must stay under 8000 bytes; a longer list is sent as "unknown" (wake everyone).
const MAX_PAYLOAD = 7000;

export function encodeDue(automationIds: Iterable<string>): string {
  const payload = [...new Set(automationIds)].join(',');
  return payload.length > MAX_PAYLOAD ? '' : payload;
}

export function decodeDue(payload: string | undefined): DueAutomations {
  return payload ? payload.split(',') : null;
}

type Returned = {
  id: string;
  automation_id: string;
  attempts: number;
  schedule_start: number;
  next_trigger: string;
};

export function toClaimed(rows: Returned[], token: string): ClaimedRun[] {
  return rows.map((r) => ({
    id: r.id,
    automationId: r.automation_id,
    attempts: Number(r.attempts),
    scheduleStart: Number(r.schedule_start),
    nextTrigger: r.next_trigger === 'replay' ? 'replay' : 'auto',
    leaseToken: token,
  }));
}

/** A claimed run put back in the queue, due now, without a lease. */
const requeued = (now: number) => ({
  status: 'scheduled',
  lease_token: null,
  lease_expires_at: null,
  lease_owner: null,
  next_attempt_at: now,
  status_changed_at: now,
});

export abstract class RunQueue {
  abstract readonly engine: Engine;
  /**
   * This process runs the database's only dispatcher (SQLite: one writer). It may then keep runs
   * claimed ahead of its cap, take runs straight from the requests that commit them, and take back
   * every claim left behind at start-up.
   */
  abstract readonly solitary: boolean;

  constructor(readonly db: Db) {}

  /**
   * Runs `fn` in a transaction that makes runs due; the dispatchers hear of them once it has committed
   * (PostgreSQL: NOTIFY, delivered at commit; SQLite: the in-process listener, after the commit returns).
   */
  abstract makeDue<T>(fn: (trx: Db, due: DueRuns) => Promise<T>): Promise<T>;

  /** Registers this process's dispatcher; returns an unsubscribe function. */
  abstract listen(listener: QueueListener, log: Logger): Promise<() => void>;

  /** Claims due runs of enabled automations as the planner allows. Not waiting for the disk (durability.ts). */
  abstract claimDue(o: ClaimDueOptions): Promise<ClaimResult>;

  /**
   * Claims the given runs by id if they are still scheduled and due and their automation enabled: runs
   * just committed and offered to this process's dispatcher. One statement whatever the number of runs.
   */
  claimByIds(ids: readonly string[], lease: Lease): Promise<ClaimedRun[]> {
    const e = this.engine;
    return this.db.transaction().execute(async (trx) => {
      await relaxDurability(trx);
      const { rows } = await sql<Returned>`
        update runs set status = 'running', lease_token = ${lease.token}, lease_expires_at = ${lease.expiresAt},
          lease_owner = ${lease.owner}, status_changed_at = ${lease.now}
        where id in (${idsSource(e, ids)}) and ${notIndexed(e, 'status')} = 'scheduled'
          and next_attempt_at <= ${lease.now}
          and exists (select 1 from automations a where a.id = runs.automation_id and a.enabled = 1)
        returning id, automation_id, attempts, schedule_start, next_trigger`.execute(trx);
      return toClaimed(rows, lease.token);
    });
  }

  /** Applies new run states in the caller's transaction, fenced by lease token; returns the ids applied. */
  async complete(trx: Db, updates: readonly RunStateUpdate[], now: number): Promise<Set<string>> {
    const e = this.engine;
    const source = rowsSource(
      e,
      { id: 'text', token: 'text', status: 'text', next: 'bigint', attempts: 'int', url: 'text' },
      updates as unknown as Record<string, unknown>[],
    );
    const { rows } = await sql<{ id: string }>`
      update runs set status = v.status, next_attempt_at = v.next, attempts = v.attempts, push_url = v.url,
        status_changed_at = ${now}, lease_token = null, lease_expires_at = null, lease_owner = null,
        next_trigger = 'auto'
      from ${source} as v
      where runs.id = v.id and runs.lease_token = v.token and ${notIndexed(e, 'runs.status')} = 'running'
      returning runs.id`.execute(trx);
    return new Set(rows.map((r) => r.id));
  }

  /** Hands claimed runs that were never sent back to the queue (fenced by their lease token). */
  async release(runs: readonly ClaimedRun[], now: number): Promise<void> {
    if (runs.length === 0) return;
    const e = this.engine;
    const source = rowsSource(
      e,
      { id: 'text', token: 'text' },
      runs.map((r) => ({ id: r.id, token: r.leaseToken })),
    );
    await this.db.transaction().execute(async (trx) => {
      await relaxDurability(trx);
      await sql`
        update runs set status = 'scheduled', lease_token = null, lease_expires_at = null, lease_owner = null,
          next_attempt_at = ${now}, status_changed_at = ${now}
        from ${source} as v
        where runs.id = v.id and runs.lease_token = v.token and ${notIndexed(e, 'runs.status')} = 'running'`.execute(
        trx,
      );
    });
  }

  /**
   * Records that dispatcher `owner` is alive now (inserted on its first beat). Heartbeats are stamped with
   * the database's clock, the one every process shares, so a process clock that is off never makes a live
   * dispatcher look dead.
   */
  async beat(owner: string, startedAt: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await relaxDurability(trx);
      await sql`
        insert into dispatchers (id, started_at, heartbeat_at)
        values (${owner}, ${startedAt}, ${databaseNowMs(this.engine)})
        on conflict (id) do update set heartbeat_at = excluded.heartbeat_at`.execute(trx);
    });
  }

  /** A dispatcher stopping cleanly: its row goes (it holds no claim any more). */
  async retire(owner: string): Promise<void> {
    await this.db.deleteFrom('dispatchers').where('id', '=', owner).execute();
  }

  /**
   * Runs whose lease expired, or whose dispatcher stopped beating, become due again (same run id:
   * at-least-once); dead dispatchers' rows go. Returns how many runs came back. Leases are compared with
   * `now` (the claimer's clock wrote them); heartbeats with the database's clock.
   */
  async reclaim(now: number, self: string): Promise<number> {
    const deadBefore = sql<number>`${databaseNowMs(this.engine)} - ${DEAD_AFTER_MS}`;
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('runs')
        .set(requeued(now))
        .where('status', '=', 'running')
        .where((eb) =>
          // The only dispatcher never gives up its own claims — not for a late beat of its own (a long pause
          // of its event loop), nor for a lease that ran out while a prefetched run waited: it took back its
          // predecessors' at start-up.
          this.solitary
            ? eb.and([
                eb('lease_expires_at', '<', now),
                eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '<>', self)]),
              ])
            : eb.or([
                eb('lease_expires_at', '<', now),
                eb.and([
                  eb('lease_owner', 'is not', null),
                  eb(
                    'lease_owner',
                    'not in',
                    eb.selectFrom('dispatchers').select('id').where('heartbeat_at', '>=', deadBefore),
                  ),
                ]),
              ]),
        )
        .executeTakeFirst();
      await trx.deleteFrom('dispatchers').where('heartbeat_at', '<', deadBefore).execute();
      return Number(r.numUpdatedRows);
    });
  }

  /**
   * Start-up of the only dispatcher (SQLite): every claim not its own was left by an earlier process of
   * this database, which is gone; its runs go again now rather than when their leases expire.
   */
  async takeBack(owner: string, now: number): Promise<number> {
    const r = await this.db
      .updateTable('runs')
      .set(requeued(now))
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '<>', owner)]))
      .executeTakeFirst();
    await this.db.deleteFrom('dispatchers').where('id', '<>', owner).execute();
    return Number(r.numUpdatedRows);
  }
}
