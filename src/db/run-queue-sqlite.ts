// The run queue on SQLite: one process, one writer. Signals stay in the process (no NOTIFY), and runs a
// request has just committed go straight to the dispatcher with their messages, once the commit returned.
import { sql } from 'kysely';
import type { Db } from './connect.js';
import { relaxDurability } from './durability.js';
import {
  DueCollector,
  RunQueue,
  toClaimed,
  type ClaimDueOptions,
  type ClaimResult,
  type DueRuns,
  type QueueListener,
} from './run-queue.js';

type Returned = Parameters<typeof toClaimed>[0][number];

export class SqliteRunQueue extends RunQueue {
  readonly engine = 'sqlite' as const;
  readonly solitary = true;
  private listener: QueueListener | null = null;

  async makeDue<T>(fn: (trx: Db, due: DueRuns) => Promise<T>): Promise<T> {
    const due = new DueCollector();
    const result = await this.db.transaction().execute((trx) => fn(trx, due));
    // Committed and durable: the dispatcher may send them now (never before: a crash in between would
    // otherwise deliver a response that was never stored).
    const listener = this.listener;
    if (listener && !due.empty) {
      if (due.offered.length > 0) listener.offered(due.offered);
      const offeredFor = new Set(due.offered.map((r) => r.automationId));
      const others = [...due.ids].filter((id) => !offeredFor.has(id));
      if (others.length > 0) listener.due(others);
    }
    return result;
  }

  async listen(listener: QueueListener): Promise<() => void> {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }

  claimDue(o: ClaimDueOptions): Promise<ClaimResult> {
    return this.db.transaction().execute(async (trx) => {
      await relaxDurability(trx);
      const due = await sql<{ id: string }>`
        select a.id from automations a
        where a.enabled = 1 and exists (
          select 1 from runs r where r.automation_id = a.id and r.status = 'scheduled' and r.next_attempt_at <= ${o.lease.now})
        order by a.id`.execute(trx);
      const ids = due.rows.map((r) => r.id).filter((id) => !o.skip?.has(id));
      if (ids.length === 0) return { runs: [], capped: [], full: [] };
      const counts = await sql<{ automation_id: string; n: number }>`
        select automation_id, count(*) as n from runs
        where status = 'running' and automation_id in (select value from json_each(${JSON.stringify(ids)}))
        group by automation_id`.execute(trx);
      const plan = o.plan(ids, new Map(counts.rows.map((r) => [r.automation_id, Number(r.n)])));
      const claimed: Returned[] = [];
      const full: string[] = [];
      for (const { id, k } of plan.claims) {
        // Constant SQL text: the prepared statement is reused for every automation and claim.
        const { rows } = await sql<Returned>`
          update runs set status = 'running', lease_token = ${o.lease.token}, lease_expires_at = ${o.lease.expiresAt},
            lease_owner = ${o.lease.owner}, status_changed_at = ${o.lease.now}
          where id in (select id from runs where automation_id = ${id} and status = 'scheduled'
                       and next_attempt_at <= ${o.lease.now} order by next_attempt_at limit ${k})
          returning id, automation_id, attempts, schedule_start, next_trigger`.execute(trx);
        claimed.push(...rows);
        if (rows.length >= k) full.push(id);
      }
      return { runs: toClaimed(claimed, o.lease.token), capped: plan.capped, full };
    });
  }
}
