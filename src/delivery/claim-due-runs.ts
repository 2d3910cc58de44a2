// Claiming due runs: scheduled → running with a lease token and expiry, at most `cap` in flight per
// automation (counted in the database, so the cap holds across worker processes) and at most
// `limit` in this claim. SQLite has one writer (BEGIN IMMEDIATE serialises claims); PostgreSQL
// workers take a per-automation advisory lock and skip locked rows, so no run is claimed twice.
import { sql } from 'kysely';
import type { Db, Engine } from '../db/connect.js';
import { relaxDurability } from '../db/durability.js';

export interface ClaimedRun {
  id: string;
  automationId: string;
  attempts: number;
  scheduleStart: number;
  nextTrigger: 'auto' | 'replay';
  leaseToken: string;
}

export interface ClaimResult {
  runs: ClaimedRun[];
  /** Automations with due runs left unclaimed because they are at their in-flight cap. */
  capped: string[];
}

export interface ClaimOptions {
  now: number;
  leaseToken: string;
  leaseExpiresAt: number;
  /** Most runs to claim now (free global capacity of this worker). */
  limit: number;
  /** Fairness cap: runs in flight per automation across all workers. */
  cap: number;
  /** Rotates which automation is served first when capacity is short. */
  offset: number;
  /**
   * This worker's runs per automation whose attempt has ended but is not yet recorded: still
   * `running` in the database, no longer in flight at the receiver, so they do not count.
   */
  endedUnrecorded?: ReadonlyMap<string, number>;
  /**
   * With sends of its own in flight, an automation is claimed for only when at least this many of its
   * runs can be (default a quarter of `cap`), so one claim serves several runs.
   */
  minBatch?: number;
  /** Automations this worker is serving from offered runs (SQLite): left to that path. */
  skip?: ReadonlySet<string>;
}

const ADVISORY_CLASS = 0x5b0d; // namespaces our advisory locks

function rotate<T>(items: T[], offset: number): T[] {
  if (items.length === 0) return items;
  const k = offset % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Enabled automations that have due scheduled runs. */
async function automationsWithDueRuns(trx: Db, now: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('automations as a')
    .select('a.id')
    .where('a.enabled', '=', 1)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('runs as r')
          .select(sql.lit(1).as('one'))
          .whereRef('r.automation_id', '=', 'a.id')
          .where('r.status', '=', 'scheduled')
          .where('r.next_attempt_at', '<=', now),
      ),
    )
    .orderBy('a.id')
    .execute();
  return rows.map((r) => r.id);
}

async function runningCounts(trx: Db, automationIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (automationIds.length === 0) return counts;
  const rows = await trx
    .selectFrom('runs')
    .select(['automation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'running')
    .where('automation_id', 'in', automationIds)
    .groupBy('automation_id')
    .execute();
  for (const r of rows) counts.set(r.automation_id, Number(r.n));
  return counts;
}

interface Plan {
  claims: { id: string; k: number }[];
  /** Automations with due runs that are at their in-flight cap. */
  capped: string[];
}

function allowances(ids: string[], running: Map<string, number>, o: ClaimOptions): Plan {
  let left = o.limit;
  const plan: Plan = { claims: [], capped: [] };
  for (const id of ids) {
    if (o.skip?.has(id)) continue;
    const inFlight = (running.get(id) ?? 0) - (o.endedUnrecorded?.get(id) ?? 0);
    const room = o.cap - Math.max(0, inFlight);
    // With sends of its own in flight, an automation waits for a few free slots, so one claim serves
    // several of its runs instead of one claim per finished send.
    const worth = inFlight > 0 ? (o.minBatch ?? Math.ceil(o.cap / 4)) : 1;
    if (room < worth) {
      plan.capped.push(id);
      continue;
    }
    if (left <= 0) continue;
    const k = Math.min(left, room);
    plan.claims.push({ id, k });
    left -= k;
  }
  return plan;
}

type Returned = {
  id: string;
  automation_id: string;
  attempts: number;
  schedule_start: number;
  next_trigger: string;
};

function toClaimed(rows: Returned[], leaseToken: string): ClaimedRun[] {
  return rows.map((r) => ({
    id: r.id,
    automationId: r.automation_id,
    attempts: Number(r.attempts),
    scheduleStart: Number(r.schedule_start),
    nextTrigger: r.next_trigger === 'replay' ? 'replay' : 'auto',
    leaseToken,
  }));
}

async function claimSqlite(db: Db, o: ClaimOptions): Promise<ClaimResult> {
  return db.transaction().execute(async (trx) => {
    await relaxDurability(trx);
    const ids = rotate(await automationsWithDueRuns(trx, o.now), o.offset);
    const plan = allowances(ids, await runningCounts(trx, ids), o);
    const claimed: Returned[] = [];
    for (const { id, k } of plan.claims) {
      // Constant SQL text: the prepared statement is reused for every automation and claim.
      const { rows } = await sql<Returned>`
        update runs set status = 'running', lease_token = ${o.leaseToken}, lease_expires_at = ${o.leaseExpiresAt},
          status_changed_at = ${o.now}
        where id in (select id from runs where automation_id = ${id} and status = 'scheduled'
                     and next_attempt_at <= ${o.now} order by next_attempt_at limit ${k})
        returning id, automation_id, attempts, schedule_start, next_trigger`.execute(trx);
      claimed.push(...rows);
    }
    return { runs: toClaimed(claimed, o.leaseToken), capped: plan.capped };
  });
}

async function claimPostgres(db: Db, o: ClaimOptions): Promise<ClaimResult> {
  return db.transaction().execute(async (trx) => {
    await relaxDurability(trx);
    // One statement: the enabled automations with due runs, those whose advisory lock we get (another
    // worker claiming for one holds it: skipped this round), and how many runs each has running.
    const { rows } = await sql<{ id: string; running: number }>`
      with due as materialized (
        select a.id from automations a
        where a.enabled = 1 and exists (
          select 1 from runs r
          where r.automation_id = a.id and r.status = 'scheduled' and r.next_attempt_at <= ${o.now})
      ), locked as materialized (
        select id from due where pg_try_advisory_xact_lock(${ADVISORY_CLASS}, hashtext(id))
      )
      select l.id, (select count(*) from runs r where r.automation_id = l.id and r.status = 'running')::int as running
      from locked l order by l.id`.execute(trx);
    if (rows.length === 0) return { runs: [], capped: [] };
    const ids = rotate(
      rows.map((r) => r.id),
      o.offset,
    );
    const running = new Map(rows.map((r) => [r.id, Number(r.running)]));
    const plan = allowances(ids, running, o);
    if (plan.claims.length === 0) return { runs: [], capped: plan.capped };
    const result = await sql<Returned>`
      update runs set status = 'running', lease_token = ${o.leaseToken},
        lease_expires_at = ${o.leaseExpiresAt}, status_changed_at = ${o.now}
      from (
        select p.id from unnest(${plan.claims.map((p) => p.id)}::text[], ${plan.claims.map((p) => p.k)}::int[]) as a(id, k)
        cross join lateral (
          select r.id from runs r
          where r.automation_id = a.id and r.status = 'scheduled' and r.next_attempt_at <= ${o.now}
          order by r.next_attempt_at limit a.k
          for update skip locked
        ) p
      ) picked
      where runs.id = picked.id
      returning runs.id, runs.automation_id, runs.attempts, runs.schedule_start, runs.next_trigger`.execute(
      trx,
    );
    return { runs: toClaimed(result.rows, o.leaseToken), capped: plan.capped };
  });
}

/**
 * Claims due runs for this worker; each returned run is leased to `leaseToken` until `leaseExpiresAt`.
 * The claim does not wait for the disk: lost in a crash, its runs are still scheduled and go again.
 */
export function claimDueRuns(db: Db, engine: Engine, options: ClaimOptions): Promise<ClaimResult> {
  return engine === 'postgres' ? claimPostgres(db, options) : claimSqlite(db, options);
}

export interface ClaimByIdOptions {
  now: number;
  leaseToken: string;
  leaseExpiresAt: number;
}

/**
 * Claims the given runs by id if they are still scheduled and due and their automation is enabled —
 * runs just committed and offered to this (SQLite's only) dispatcher, which counts its automations'
 * caps itself. One statement with constant text whatever the number of runs.
 */
export function claimRunsById(
  db: Db,
  engine: Engine,
  ids: string[],
  o: ClaimByIdOptions,
): Promise<ClaimedRun[]> {
  return db.transaction().execute(async (trx) => {
    await relaxDurability(trx);
    const picked =
      engine === 'postgres'
        ? sql`select unnest(${ids}::text[])`
        : sql`select value from json_each(${JSON.stringify(ids)})`;
    // SQLite: `+status` keeps the planner on the primary key rather than scanning runs_due_idx.
    const isScheduled = engine === 'postgres' ? sql`status = 'scheduled'` : sql`+status = 'scheduled'`;
    const { rows } = await sql<Returned>`
      update runs set status = 'running', lease_token = ${o.leaseToken}, lease_expires_at = ${o.leaseExpiresAt},
        status_changed_at = ${o.now}
      where id in (${picked}) and ${isScheduled} and next_attempt_at <= ${o.now}
        and exists (select 1 from automations a where a.id = runs.automation_id and a.enabled = 1)
      returning id, automation_id, attempts, schedule_start, next_trigger`.execute(trx);
    return toClaimed(rows, o.leaseToken);
  });
}

/** A claimed run put back in the queue, due now, without a lease. */
const requeued = (now: number) => ({
  status: 'scheduled',
  lease_token: null,
  lease_expires_at: null,
  next_attempt_at: now,
  status_changed_at: now,
});

/** Runs whose lease expired (their worker died mid-send) become due again; same run id, at-least-once. */
export async function reclaimExpiredLeases(db: Db, now: number): Promise<number> {
  const r = await db
    .updateTable('runs')
    .set(requeued(now))
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Hands claimed runs that were never sent back to the queue (fenced by their lease token). */
export async function releaseClaims(db: Db, runs: ClaimedRun[], now: number): Promise<void> {
  const byToken = new Map<string, string[]>();
  for (const r of runs) byToken.set(r.leaseToken, [...(byToken.get(r.leaseToken) ?? []), r.id]);
  await db.transaction().execute(async (trx) => {
    for (const [token, ids] of byToken) {
      await trx
        .updateTable('runs')
        .set(requeued(now))
        .where('id', 'in', ids)
        .where('lease_token', '=', token)
        .where('status', '=', 'running')
        .execute();
    }
  });
}
