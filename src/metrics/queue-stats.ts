// The database's side of /metrics: one statement, the same on both engines (so its figures are one
// consistent snapshot), each part of it served by an index and none grouping the whole runs table:
// - runs by status: scheduled and running from their partial indexes (runs_due_idx,
//   runs_running_idx), failed from runs_status_log_idx per automation, the total from the smallest
//   index; succeeded is the rest (a GROUP BY over every run cost 25–33 ms at 100 000 runs, this ~1 ms on
//   SQLite — where it would block the event loop — and ~15 ms on PostgreSQL, bench/metrics-scrape.ts);
// - due runs and the oldest one's time: runs_due_idx per enabled automation;
// - pending mail: mail_outbox_due_idx; disabled automations: the (small) automations table.
// It runs at most once per TTL whatever the scrape rate, and concurrent scrapes share one read.
import { sql } from 'kysely';
import { SECOND } from '../config.js';
import type { Db } from '../db/connect.js';

/** How long one read of the queue's figures serves scrapes. */
export const QUEUE_STATS_TTL_MS = 5 * SECOND;
export const RUN_STATUSES = ['scheduled', 'running', 'succeeded', 'failed'] as const;
export const DISABLED_REASONS = ['manual', 'failures', 'gone'] as const;

export interface QueueStats {
  runs: Record<string, number>;
  dueRuns: number;
  oldestDueAgeSeconds: number;
  outboxPending: number;
  automationsDisabled: Record<string, number>;
}

interface StatsRow {
  total: number;
  scheduled: number;
  running: number;
  failed: number;
  due: number;
  oldest_due: number | null;
  outbox: number;
  manual: number;
  failures: number;
  gone: number;
}

export async function readQueueStats(db: Db, now: number): Promise<QueueStats> {
  const { rows } = await sql<StatsRow>`select
      (select count(*) from runs) as total,
      (select count(*) from runs where status = 'scheduled') as scheduled,
      (select count(*) from runs where status = 'running') as running,
      (select count(*) from automations a join runs r on r.automation_id = a.id
        where r.status = 'failed') as failed,
      (select count(*) from automations a join runs r on r.automation_id = a.id
        where a.enabled = 1 and r.status = 'scheduled' and r.next_attempt_at <= ${now}) as due,
      (select min(r.next_attempt_at) from automations a join runs r on r.automation_id = a.id
        where a.enabled = 1 and r.status = 'scheduled' and r.next_attempt_at <= ${now}) as oldest_due,
      (select count(*) from mail_outbox where status = 'pending') as outbox,
      (select count(*) from automations where enabled = 0 and disabled_reason = 'manual') as manual,
      (select count(*) from automations where enabled = 0 and disabled_reason = 'failures') as failures,
      (select count(*) from automations where enabled = 0 and disabled_reason = 'gone') as gone`.execute(db);
  const r = rows[0]!;
  const n = (v: number | string | null) => Number(v ?? 0);
  const [scheduled, running, failed] = [n(r.scheduled), n(r.running), n(r.failed)];
  return {
    runs: { scheduled, running, failed, succeeded: Math.max(0, n(r.total) - scheduled - running - failed) },
    dueRuns: n(r.due),
    oldestDueAgeSeconds: r.oldest_due === null ? 0 : Math.max(0, (now - Number(r.oldest_due)) / 1000),
    outboxPending: n(r.outbox),
    automationsDisabled: { manual: n(r.manual), failures: n(r.failures), gone: n(r.gone) },
  };
}

/** One read per TTL; concurrent callers share the read in progress. */
export class QueueStatsCache {
  private value: QueueStats | null = null;
  private readAt = -Infinity;
  private reading: Promise<QueueStats> | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly ttlMs: number = QUEUE_STATS_TTL_MS,
  ) {}

  async get(): Promise<QueueStats> {
    const now = this.now();
    if (this.value && now - this.readAt < this.ttlMs) return this.value;
    this.reading ??= readQueueStats(this.db, now)
      .then((v) => {
        this.value = v;
        this.readAt = now;
        return v;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }
}
