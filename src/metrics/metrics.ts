// Prometheus metrics (prom-client): the names are part of the API contract (API.md → Operations).
//
// Two kinds:
// - this process's own: counters of attempts and responses, the attempt-duration histogram, the requests
//   in flight, and prom-client's standard process_* / nodejs_* metrics. Module-wide, since they count
//   what this process does whatever app or dispatcher did it;
// - the database's: runs per status, the due queue and its lag, pending mail, disabled automations. Read
//   by a few index-backed queries at most once per QUEUE_STATS_TTL_MS however often anyone scrapes
//   (queue-stats.ts).
import client from 'prom-client';
import type { Db } from '../db/connect.js';
import { QueueStatsCache, QUEUE_STATS_TTL_MS, RUN_STATUSES, DISABLED_REASONS } from './queue-stats.js';

export const processRegistry = new client.Registry();
client.collectDefaultMetrics({ register: processRegistry });

export type AttemptOutcome = 'succeeded' | 'failed' | 'retry';

export const attemptsTotal = new client.Counter({
  name: 'svarbud_attempts_total',
  help: 'Delivery attempts this process made, by outcome (failed includes 410 Gone).',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});
for (const outcome of ['succeeded', 'failed', 'retry'] as const) attemptsTotal.inc({ outcome }, 0);

export const attemptDuration = new client.Histogram({
  name: 'svarbud_attempt_duration_seconds',
  help: 'Duration of delivery attempts (connect to last response byte, or to the error).',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
  registers: [processRegistry],
});

export const deliveriesInFlight = new client.Gauge({
  name: 'svarbud_deliveries_in_flight',
  help: 'Delivery requests this process has in flight.',
  registers: [processRegistry],
});

export const responsesTotal = new client.Counter({
  name: 'svarbud_responses_total',
  help: 'Completed responses this process stored.',
  registers: [processRegistry],
});

export const dbQueriesTotal = new client.Counter({
  name: 'svarbud_db_queries_total',
  help: 'Statements this process ran on the database through its query layer (PostgreSQL: each one a round trip, BEGIN and COMMIT included; SQLite: transaction control not counted).',
  registers: [processRegistry],
});

/** Records one finished attempt (the dispatcher's hook). */
export function recordAttempt(outcome: 'succeeded' | 'failed' | 'retry' | 'gone', durationMs: number): void {
  attemptsTotal.inc({ outcome: outcome === 'gone' ? 'failed' : outcome });
  attemptDuration.observe(durationMs / 1000);
}

export interface Metrics {
  contentType: string;
  /** The exposition text: this process's metrics and the database's. */
  render(): Promise<string>;
}

/** The metrics one app serves: the process's, plus gauges over its database (cached). */
export function createMetrics(db: Db, now: () => number, ttlMs: number = QUEUE_STATS_TTL_MS): Metrics {
  const stats = new QueueStatsCache(db, now, ttlMs);
  const registry = new client.Registry();
  new client.Gauge({
    name: 'svarbud_runs',
    help: 'Runs in the database (all organizations), by status.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const s = await stats.get();
      for (const status of RUN_STATUSES) this.set({ status }, s.runs[status] ?? 0);
    },
  });
  new client.Gauge({
    name: 'svarbud_due_runs',
    help: 'Runs due now (scheduled, their time reached, automation enabled): the queue.',
    registers: [registry],
    async collect() {
      this.set((await stats.get()).dueRuns);
    },
  });
  new client.Gauge({
    name: 'svarbud_oldest_due_run_age_seconds',
    help: 'How long the oldest due run has been due (0 when none is): the queue lag.',
    registers: [registry],
    async collect() {
      this.set((await stats.get()).oldestDueAgeSeconds);
    },
  });
  new client.Gauge({
    name: 'svarbud_outbox_pending',
    help: 'Notification mails waiting to be sent (the outbox).',
    registers: [registry],
    async collect() {
      this.set((await stats.get()).outboxPending);
    },
  });
  new client.Gauge({
    name: 'svarbud_automations_disabled',
    help: 'Disabled automations (all organizations), by reason: manual, failures, gone.',
    labelNames: ['reason'] as const,
    registers: [registry],
    async collect() {
      const s = await stats.get();
      for (const reason of DISABLED_REASONS) this.set({ reason }, s.automationsDisabled[reason] ?? 0);
    },
  });
  return {
    contentType: registry.contentType,
    // While the database is away the process's own metrics are still served (they show the outage:
    // attempts stop, requests in flight stay); the database's gauges are left out rather than faked.
    render: async () => {
      const own = await processRegistry.metrics();
      const database = await registry.metrics().catch(() => '');
      return database ? `${own}\n${database}` : own;
    },
  };
}
