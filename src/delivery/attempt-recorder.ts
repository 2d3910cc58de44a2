// Recording finished attempts, in batches: one transaction per batch writes the new run states (fenced by
// the lease token, so a dispatcher that lost its lease cannot overwrite the run), the attempt log, and the
// automations' failure streaks (one statement for the batch) with the disable and warning decisions, the
// failure events. The commit does not wait for the
// disk: lost in a crash, the runs stay running until their dispatcher is known dead, and go again.
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { Db, Engine } from '../db/connect.js';
import { lockingForUpdate, rowsSource } from '../db/dialect.js';
import { relaxDurability } from '../db/durability.js';
import { insertRowsFrom } from '../db/raw-insert.js';
import type { ClaimedRun, RunQueue, RunStateUpdate } from '../db/run-queue.js';
import type { RunAttemptsTable } from '../db/schema.js';
import { newId } from '../ids.js';
import type { DeliveryEvents, FailedRunEvent } from './delivery-events.js';
import { decideStreak, type FinalKind } from './failure-streak.js';
import type { Outcome } from './retry-policy.js';

export interface FinishedAttempt {
  run: ClaimedRun;
  number: number;
  trigger: 'auto' | 'replay';
  url: string;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: { code: string; message: string; hint: string } | null;
  responseBody: string | null;
  /** The headers sent, as stored (`recordedHeaders`: signature shortened, credentials masked). */
  requestHeaders: string;
  outcome: Outcome;
  /** When the attempt ended (for ordering streak updates). */
  finishedAt: number;
}

export interface RecordOptions {
  now: number;
  disableAfterFailures: number;
  /** Streak that sends the "at risk" mail; null: none. */
  warnAfterFailures: number | null;
  events: DeliveryEvents;
}

function stateOf(a: FinishedAttempt): RunStateUpdate {
  const status =
    a.outcome.kind === 'retry' ? 'scheduled' : a.outcome.kind === 'succeeded' ? 'succeeded' : 'failed';
  return {
    id: a.run.id,
    token: a.run.leaseToken,
    status,
    next: a.outcome.kind === 'retry' ? a.outcome.at : null,
    attempts: a.number,
    url: a.url,
  };
}

const ATTEMPT_COLUMNS = {
  id: 'text',
  run_id: 'text',
  number: 'int',
  trigger: 'text',
  url: 'text',
  started_at: 'bigint',
  duration_ms: 'int',
  status_code: 'int',
  error_code: 'text',
  error_message: 'text',
  error_hint: 'text',
  response_body: 'text',
  request_headers: 'text',
} as const;

async function insertAttempts(trx: Db, engine: Engine, attempts: FinishedAttempt[]): Promise<void> {
  const rows: RunAttemptsTable[] = attempts.map((a) => ({
    id: newId('att', a.startedAt),
    run_id: a.run.id,
    number: a.number,
    trigger: a.trigger,
    url: a.url,
    started_at: a.startedAt,
    duration_ms: Math.round(a.durationMs),
    status_code: a.statusCode,
    error_code: a.error?.code ?? null,
    error_message: a.error?.message ?? null,
    error_hint: a.error?.hint ?? null,
    response_body: a.responseBody,
    request_headers: a.requestHeaders,
  }));
  await insertRowsFrom(trx, engine, 'run_attempts', ATTEMPT_COLUMNS, rows);
}

/** Failure streaks of the automations whose runs ended: the rule per automation, one UPDATE for all. */
async function updateStreaks(
  trx: Db,
  queue: RunQueue,
  attempts: FinishedAttempt[],
  o: RecordOptions,
): Promise<string[]> {
  const final = attempts
    .filter((a) => a.outcome.kind !== 'retry')
    .sort((x, y) => x.finishedAt - y.finishedAt);
  if (final.length === 0) return [];
  const byAutomation = new Map<string, FinishedAttempt[]>();
  for (const a of final)
    byAutomation.set(a.run.automationId, [...(byAutomation.get(a.run.automationId) ?? []), a]);
  // Already locked by recordAttempts: the streak read here is the one this batch writes back.
  const rows = await trx
    .selectFrom('automations')
    .select(['id', 'failure_streak', 'failure_warned_at', 'enabled'])
    .where('id', 'in', [...byAutomation.keys()])
    .execute();
  const changes: { id: string; streak: number; warned: number; disable: string | null }[] = [];
  const disabled: { id: string; reason: 'failures' | 'gone'; attempt: FinishedAttempt }[] = [];
  const atRisk: { id: string; streak: number; attempt: FinishedAttempt }[] = [];
  const failedEvents: FailedRunEvent[] = [];
  for (const row of rows) {
    const ended = byAutomation.get(row.id)!;
    const kinds = ended.map((a): FinalKind => a.outcome.kind as FinalKind);
    const before = {
      streak: Number(row.failure_streak),
      warned: row.failure_warned_at !== null,
      enabled: row.enabled === 1,
    };
    const decision = decideStreak(before, kinds, {
      disableAt: o.disableAfterFailures,
      warnAt: o.warnAfterFailures,
    });
    for (const a of ended) {
      if (a.outcome.kind === 'succeeded') continue;
      failedEvents.push({
        runId: a.run.id,
        automationId: row.id,
        at: a.finishedAt,
        errorCode: a.error?.code ?? null,
      });
    }
    if (decision.disable)
      disabled.push({ id: row.id, reason: decision.disable.reason, attempt: ended[decision.disable.index]! });
    if (decision.warn)
      atRisk.push({ id: row.id, streak: decision.streak, attempt: ended[decision.warn.index]! });
    if (decision.streak !== before.streak || decision.warned !== before.warned || decision.disable) {
      changes.push({
        id: row.id,
        streak: decision.streak,
        warned: decision.warned ? 1 : 0,
        disable: decision.disable?.reason ?? null,
      });
    }
  }
  if (changes.length > 0) {
    const columns = { id: 'text', streak: 'int', warned: 'int', disable: 'text' } as const;
    const v = rowsSource(queue.engine, columns, changes);
    // A warned streak keeps the time of its warning; a new streak has none.
    await sql`
      update automations set failure_streak = v.streak,
        failure_warned_at = case when v.warned = 0 then null
          else coalesce(automations.failure_warned_at, ${o.now}) end,
        enabled = case when v.disable is null then automations.enabled else 0 end,
        disabled_reason = coalesce(v.disable, automations.disabled_reason),
        disabled_at = case when v.disable is null then automations.disabled_at else ${o.now} end,
        updated_at = case when v.disable is null then automations.updated_at else ${o.now} end
      from ${v} as v
      where automations.id = v.id`.execute(trx);
  }
  for (const d of disabled) {
    const a = d.attempt;
    await o.events.automationDisabled(trx, {
      automationId: d.id,
      reason: d.reason,
      at: o.now,
      lastError: {
        code: a.error?.code ?? null,
        message: a.error?.message ?? null,
        hint: a.error?.hint ?? null,
        statusCode: a.statusCode,
      },
    });
  }
  for (const r of atRisk) {
    const a = r.attempt;
    await o.events.automationAtRisk(trx, {
      automationId: r.id,
      streak: r.streak,
      disableAt: o.disableAfterFailures,
      at: a.finishedAt,
      lastError: {
        code: a.error?.code ?? null,
        message: a.error?.message ?? null,
        hint: a.error?.hint ?? null,
        statusCode: a.statusCode,
      },
    });
  }
  if (failedEvents.length > 0) await o.events.runsFailed(trx, failedEvents);
  return disabled.map((d) => d.id);
}

/**
 * Records a batch of finished attempts in one transaction; attempts whose lease was lost are dropped.
 * Returns the attempts fenced out that way and the automations this batch disabled.
 */
async function recordAttempts(
  ctx: Pick<AppContext, 'db' | 'queue'>,
  attempts: FinishedAttempt[],
  o: RecordOptions,
): Promise<{ fencedOut: FinishedAttempt[]; disabled: string[] }> {
  if (attempts.length === 0) return { fencedOut: [], disabled: [] };
  return ctx.db.transaction().execute(async (trx) => {
    await relaxDurability(trx);
    // The batch's automations first, in id order, then their runs — the order in which deleting an automation
    // takes them (it cascades to its runs), so the two never deadlock; and another process recording runs of
    // the same automation reads the streak this one writes (no lost update, no second disable mail).
    await lockingForUpdate(
      ctx.queue.engine,
      trx
        .selectFrom('automations')
        .select('id')
        .where('id', 'in', [...new Set(attempts.map((a) => a.run.automationId))])
        .orderBy('id'),
    ).execute();
    const done = await ctx.queue.complete(trx, attempts.map(stateOf), o.now);
    const kept = attempts.filter((a) => done.has(a.run.id));
    await insertAttempts(trx, ctx.queue.engine, kept);
    const disabled = await updateStreaks(trx, ctx.queue, kept, o);
    return { fencedOut: attempts.filter((a) => !done.has(a.run.id)), disabled };
  });
}

export interface RecorderOptions extends Omit<RecordOptions, 'now'> {
  /** Flush at least this often (ms) and whenever `batchSize` attempts are waiting. */
  delayMs: number;
  batchSize: number;
  now(): number;
  /**
   * After a batch is written: its attempts leave the ledger; `disabled`: automations it disabled;
   * `fencedOut`: attempts not recorded because their run was no longer this dispatcher's (reclaimed after
   * its lease or liveness lapsed, or deleted).
   */
  onRecorded(
    batch: readonly FinishedAttempt[],
    disabled: readonly string[],
    fencedOut: readonly FinishedAttempt[],
  ): void;
  onError(err: unknown): void;
}

/** Buffers finished attempts and writes them in batches; a failed write keeps them for the next one. */
export class AttemptRecorder {
  private waiting: FinishedAttempt[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly ctx: Pick<AppContext, 'db' | 'queue'>,
    private readonly o: RecorderOptions,
  ) {}

  get pending(): number {
    return this.waiting.length + (this.writing ? 1 : 0);
  }

  add(attempt: FinishedAttempt): void {
    this.waiting.push(attempt);
    if (this.waiting.length >= this.o.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.o.delayMs);
  }

  /** Writes what is waiting (after any write under way); resolves when it is written or has failed. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.writing) await this.writing;
    if (this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    let failed = false;
    this.writing = recordAttempts(this.ctx, batch, { ...this.o, now: this.o.now() })
      .then(
        ({ disabled, fencedOut }) => this.o.onRecorded(batch, disabled, fencedOut),
        (err: unknown) => {
          // Kept for the next write; if the process dies first, its runs go again once it is known dead.
          failed = true;
          this.waiting.unshift(...batch);
          this.o.onError(err);
        },
      )
      .finally(() => (this.writing = null));
    await this.writing;
    // Back off a little after a failure (the database may be away); otherwise carry on at once.
    if (this.waiting.length > 0)
      this.timer ??= setTimeout(() => void this.flush(), failed ? 1000 : this.o.delayMs);
  }
}
