// The database's side of /metrics: four statements, the same on both engines, each served by an index
// (runs by status: an index-only scan of runs_status_log_idx; due runs and their age: runs_due_idx per
// enabled automation; pending mail: mail_outbox_due_idx; disabled automations: a small table). They
// run at most once per TTL whatever the scrape rate, and concurrent scrapes share one read.
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

export async function readQueueStats(db: Db, now: number): Promise<QueueStats> {
  const [runs, due, outbox, disabled] = await Promise.all([
    sql<{ status: string; n: number }>`select status, count(*) as n from runs group by status`.execute(db),
    sql<{ n: number; oldest: number | null }>`
      select count(*) as n, min(r.next_attempt_at) as oldest
      from automations a join runs r on r.automation_id = a.id
      where a.enabled = 1 and r.status = 'scheduled' and r.next_attempt_at <= ${now}`.execute(db),
    sql<{ n: number }>`select count(*) as n from mail_outbox where status = 'pending'`.execute(db),
    sql<{ reason: string | null; n: number }>`
      select disabled_reason as reason, count(*) as n from automations where enabled = 0
      group by disabled_reason`.execute(db),
  ]);
  const oldest = due.rows[0]?.oldest;
  return {
    runs: Object.fromEntries(runs.rows.map((r) => [r.status, Number(r.n)])),
    dueRuns: Number(due.rows[0]?.n ?? 0),
    oldestDueAgeSeconds:
      oldest === null || oldest === undefined ? 0 : Math.max(0, (now - Number(oldest)) / 1000),
    outboxPending: Number(outbox.rows[0]?.n ?? 0),
    automationsDisabled: Object.fromEntries(disabled.rows.map((r) => [r.reason ?? 'manual', Number(r.n)])),
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
