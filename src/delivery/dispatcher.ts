// The dispatcher: claims due runs in batches, sends each over the pooled HTTP sender, and records
// attempts and new run states in batched, token-fenced transactions. One per worker process.
import { sql } from 'kysely';
import { randomToken } from '../ids.js';
import type { AppContext } from '../context.js';
import { SECOND } from '../config.js';
import { deliverySettingsOf, type DeliverySettings } from '../automations/automations.service.js';
import type { AutomationRow } from '../automations/automations.store.js';
import { USER_AGENT } from '../version.js';
import {
  claimDueRuns,
  claimRunsById,
  reclaimExpiredLeases,
  releaseClaims,
  type ClaimedRun,
} from './claim-due-runs.js';
import { completeAttempts, type FinishedAttempt } from './complete-attempts.js';
import { noDeliveryEvents, type DeliveryEvents } from './delivery-events.js';
import type { DueAutomations, OfferedRun } from '../db/wakeup.js';
import type { AttemptResult, Sender } from './http-sender.js';
import { decideOutcome } from './retry-policy.js';
import { signatureHeader } from './signing.js';

// A lease outlives the longest possible attempt by this much (claim-to-send and flush delays).
const LEASE_MARGIN_MS = 10 * SECOND;
const RECLAIM_INTERVAL_MS = SECOND;
/** Offered runs held in memory at most (about 0.5 KiB each); more are left to the claim loop. */
const MAX_PENDING_OFFERS = 10_000;

export interface DispatcherOptions {
  sender: Sender;
  events?: DeliveryEvents;
  /**
   * Subscribes to "runs are due" signals and, where this is the only dispatcher (SQLite), to runs offered
   * right after their commit; returns an unsubscribe function.
   */
  subscribe?: (
    wake: (due: DueAutomations) => void,
    offered: (runs: OfferedRun[]) => void,
  ) => Promise<() => void> | (() => void);
  random?: () => number;
  pollIntervalMs?: number;
  /** Flush finished attempts at least this often (ms) and whenever `flushBatchSize` are waiting. */
  flushDelayMs?: number;
  flushBatchSize?: number;
  /**
   * Runs an automation may have claimed and ready beyond its in-flight cap, so a finished send is
   * followed at once by the next without a claim in between. Only safe where this dispatcher is the
   * only one (SQLite): the database then counts claimed runs, not requests in flight, against the cap.
   */
  prefetchPerAutomation?: number;
  /** Operations hooks (src/background.ts): each turn of the claim loop (with its error), each attempt. */
  onTurn?: (error: unknown) => void;
  onAttempt?: (outcome: 'succeeded' | 'failed' | 'retry' | 'gone', durationMs: number) => void;
}

/** The headers of one delivery attempt: Standard Webhooks headers, signed now, plus custom headers. */
export function deliveryHeaders(runId: string, body: string, settings: DeliverySettings, nowMs: number) {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    ...settings.headers,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': runId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(settings.secrets, runId, timestamp, body),
  };
}

export class Dispatcher {
  private readonly ctx: AppContext;
  private readonly o: Required<Omit<DispatcherOptions, 'subscribe' | 'onTurn' | 'onAttempt'>> &
    Pick<DispatcherOptions, 'subscribe' | 'onTurn' | 'onAttempt'>;
  private running = false;
  private inFlight = 0;
  private readonly inFlightSends = new Set<Promise<void>>();
  private finished: FinishedAttempt[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private offset = 0;
  /** Claimed runs waiting for a free slot under their automation's cap (see `prefetchPerAutomation`). */
  private readonly ready = new Map<string, { run: ClaimedRun; body: string; settings: DeliverySettings }[]>();
  /** Requests in flight per automation, and in all. */
  private readonly sending = new Map<string, number>();
  private totalSending = 0;
  /** Automations whose due runs were left unclaimed at the last claim (or offer) because of their cap. */
  private capped = new Set<string>();
  /** The last claim took all it was allowed to: more runs may be due beyond this worker's capacity. */
  private globallyLimited = false;
  /** Offered runs waiting for room under their automation's cap, oldest first (see `offer`). */
  private readonly pending = new Map<string, OfferedRun[]>();
  private pendingCount = 0;
  private takeScheduled = false;
  private takingOffered: Promise<void> | null = null;
  /** Per automation: attempts that ended but are not yet recorded (still `running` in the database). */
  private readonly endedUnrecorded = new Map<string, number>();
  private lastReclaim = 0;
  private readonly settingsCache = new Map<
    string,
    { updatedAt: number; settings: DeliverySettings; at: number }
  >();
  /**
   * Derived once from the configuration: runs an automation may hold claimed (in flight plus ready),
   * runs the worker may hold claimed, and the smallest claim worth making for an automation that still
   * has sends under way (with runs held ready, half its allowance: fewer, larger claims while the ready
   * runs keep its sends going; without, a quarter of the cap).
   */
  private readonly limits: { perAutomation: number; held: number; minBatch: number };
  /** Errors of the loop itself (database unreachable …), for logs and tests. */
  lastError: unknown = null;

  constructor(ctx: AppContext, options: DispatcherOptions) {
    this.ctx = ctx;
    this.o = {
      events: noDeliveryEvents,
      random: Math.random,
      pollIntervalMs: 1000,
      flushDelayMs: 20,
      flushBatchSize: 200,
      prefetchPerAutomation: 0,
      ...options,
    };
    const { maxInFlight, maxInFlightPerAutomation } = ctx.config;
    const prefetch = this.o.prefetchPerAutomation;
    const perAutomation = maxInFlightPerAutomation + prefetch;
    this.limits = {
      perAutomation,
      // With prefetch, as many runs again as may be in flight may wait ready (claimed, not yet sent).
      held: prefetch > 0 ? 2 * maxInFlight : maxInFlight,
      minBatch: prefetch > 0 ? Math.ceil(perAutomation / 2) : Math.ceil(perAutomation / 4),
    };
  }

  /** When a lease taken now expires: after the longest possible attempt, plus a margin. */
  private leaseUntil(now: number): number {
    const { requestTimeoutMs, connectTimeoutMs } = this.ctx.config;
    return now + requestTimeoutMs + connectTimeoutMs + LEASE_MARGIN_MS;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.o.subscribe) {
      this.unsubscribe = await this.o.subscribe(
        (due) => this.runsDue(due),
        (runs) => this.offer(runs),
      );
    }
    this.loopDone = this.loop();
  }

  /** Stops claiming, waits for in-flight sends and records their attempts. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.wake();
    await this.loopDone;
    while (this.takingOffered) await this.takingOffered;
    // Offered runs not yet claimed are scheduled in the database: the next dispatcher takes them.
    this.pending.clear();
    this.pendingCount = 0;
    // Runs claimed but not yet sent go back to the queue now, rather than when their lease expires.
    const unsent = [...this.ready.values()].flat().map((r) => r.run);
    this.ready.clear();
    this.inFlight -= unsent.length;
    if (unsent.length > 0) {
      await releaseClaims(this.ctx.db, unsent, this.ctx.clock.now()).catch((err: unknown) =>
        this.ctx.log.warn({ err }, 'could not release unsent runs; they go again when their lease expires'),
      );
    }
    while (this.inFlightSends.size > 0) await Promise.allSettled([...this.inFlightSends]);
    await this.flush();
  }

  /**
   * New runs are due for `due` automations (null: unknown). Automations at their in-flight cap take
   * no new run until a send of theirs ends, so a signal naming only those causes no (empty) claim.
   */
  runsDue(due: DueAutomations): void {
    if (due && due.length > 0 && due.every((id) => this.capped.has(id))) return;
    this.wake();
  }

  /**
   * Runs just committed, offered by the request that made them (SQLite: this is the only dispatcher).
   * They wait here, per automation, until it has room under its cap; then they are claimed by id —
   * together, once per turn of the event loop — and sent with the message in hand. Beyond
   * MAX_PENDING_OFFERS they are left to the claim loop (they are scheduled in the database either way).
   */
  offer(runs: OfferedRun[]): void {
    if (!this.running) return;
    for (const run of runs) {
      if (this.pendingCount >= MAX_PENDING_OFFERS) {
        this.capped.add(run.automationId);
        continue;
      }
      const queue = this.pending.get(run.automationId);
      if (queue) queue.push(run);
      else this.pending.set(run.automationId, [run]);
      this.pendingCount += 1;
    }
    this.takeOfferedSoon();
  }

  private takeOfferedSoon(): void {
    if (this.takeScheduled || this.pendingCount === 0) return;
    this.takeScheduled = true;
    setImmediate(() => void this.takeOffered());
  }

  private async takeOffered(): Promise<void> {
    while (this.takingOffered) await this.takingOffered;
    this.takeScheduled = false;
    if (!this.running) return;
    const take = this.offeredWithRoom();
    if (take.length === 0) return;
    this.takingOffered = this.claimOffered(take).finally(() => (this.takingOffered = null));
    await this.takingOffered;
  }

  /** Takes from the pending offers what each automation (and the worker) has room for now. */
  private offeredWithRoom(): OfferedRun[] {
    const { perAutomation: cap, held } = this.limits;
    const take: OfferedRun[] = [];
    for (const [automationId, queue] of this.pending) {
      const mine = (this.ready.get(automationId)?.length ?? 0) + (this.sending.get(automationId) ?? 0);
      const room = Math.min(cap - mine, held - this.inFlight - take.length);
      // With sends of its own under way, wait for a few free slots, so one claim serves several runs.
      if (room <= 0 || (mine > 0 && room < Math.ceil(cap / 4))) continue;
      const taken = queue.splice(0, room);
      take.push(...taken);
      this.pendingCount -= taken.length;
      if (queue.length === 0) this.pending.delete(automationId);
    }
    return take;
  }

  private async claimOffered(take: OfferedRun[]): Promise<void> {
    const now = this.ctx.clock.now();
    this.inFlight += take.length; // reserved while claiming
    try {
      const [claimed, settings] = await Promise.all([
        claimRunsById(
          this.ctx.db,
          this.ctx.engine,
          take.map((r) => r.id),
          { now, leaseToken: randomToken(12), leaseExpiresAt: this.leaseUntil(now) },
        ),
        this.settingsFor(take.map((r) => r.automationId)),
      ]);
      this.inFlight -= take.length;
      // Runs not claimed were claimed by the loop meanwhile, or deleted or disabled: nothing to do.
      this.enqueue(claimed, new Map(take.map((r) => [r.id, r.body])), settings);
    } catch (err) {
      this.inFlight -= take.length;
      // Still scheduled: the claim loop picks them up.
      this.ctx.log.error({ err }, 'claiming offered runs failed; the claim loop will take them');
      for (const r of take) this.capped.add(r.automationId);
      this.wake();
    }
  }

  /** Looks for due runs now (new work, freed capacity, a moved clock in tests). */
  wake(): void {
    this.woken = true;
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  /** Resolves when nothing is in flight and no finished attempt waits to be recorded (tests). */
  async idle(): Promise<void> {
    while (this.inFlight > 0 || this.finished.length > 0 || this.flushing) {
      await Promise.allSettled([...this.inFlightSends]);
      await this.flush();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    const { config, clock } = this.ctx;
    while (this.running) {
      this.woken = false;
      try {
        const now = clock.now();
        if (now - this.lastReclaim >= RECLAIM_INTERVAL_MS) {
          this.lastReclaim = now;
          const n = await reclaimExpiredLeases(this.ctx.db, now);
          if (n > 0) this.ctx.log.warn({ runs: n }, 'reclaimed runs whose lease expired');
        }
        const free = this.limits.held - this.inFlight;
        // Claim in batches: while many sends are in flight, wait until a good share of the capacity is
        // free, so each claim transaction (and its commit) serves many runs, not one.
        const worthClaiming = this.inFlight === 0 ? 1 : Math.max(1, Math.floor(config.maxInFlight / 4));
        if (free >= worthClaiming) {
          const { runs: claimed, capped } = await claimDueRuns(this.ctx.db, this.ctx.engine, {
            now,
            leaseToken: randomToken(12),
            leaseExpiresAt: this.leaseUntil(now),
            limit: free,
            cap: this.limits.perAutomation,
            minBatch: this.limits.minBatch,
            offset: this.offset++,
            endedUnrecorded: this.endedUnrecorded,
            // Their due runs are offered runs waiting here for room: claiming them by scan would only race.
            skip: new Set(this.pending.keys()),
          });
          this.capped = new Set(capped);
          this.globallyLimited = claimed.length >= free;
          if (claimed.length > 0) {
            this.o.onTurn?.(null);
            await this.sendAll(claimed);
            continue; // more may be due
          }
        }
        this.lastError = null;
        this.o.onTurn?.(null);
      } catch (err) {
        this.lastError = err;
        this.o.onTurn?.(err);
        this.ctx.log.error({ err }, 'dispatcher loop failed; retrying');
      }
      if (this.running) await this.sleep(this.o.pollIntervalMs);
    }
  }

  private async settingsFor(automationIds: string[]): Promise<Map<string, DeliverySettings>> {
    const now = this.ctx.clock.now();
    if (automationIds.length === 0) return new Map();
    const { rows } = await sql<AutomationRow>`select * from automations
      where id in (${sql.join([...new Set(automationIds)])})`.execute(this.ctx.db);
    const out = new Map<string, DeliverySettings>();
    for (const row of rows) {
      const cached = this.settingsCache.get(row.id);
      // Secrets overlap during rotation by time, so cached settings are refreshed every minute too.
      if (cached && cached.updatedAt === Number(row.updated_at) && now - cached.at < 60 * SECOND) {
        out.set(row.id, cached.settings);
        continue;
      }
      const settings = deliverySettingsOf(row, this.ctx.secretKey, now);
      this.settingsCache.set(row.id, { updatedAt: Number(row.updated_at), settings, at: now });
      out.set(row.id, settings);
    }
    return out;
  }

  private async sendAll(claimed: ClaimedRun[]): Promise<void> {
    const ids = claimed.map((r) => r.id);
    const [messages, settings] = await Promise.all([
      sql<{ run_id: string; body: string }>`select run_id, body from run_messages
        where run_id in (${sql.join(ids)})`.execute(this.ctx.db),
      this.settingsFor(claimed.map((r) => r.automationId)),
    ]);
    this.enqueue(claimed, new Map(messages.rows.map((m) => [m.run_id, m.body])), settings);
  }

  /** Queues claimed runs behind their automation's cap and starts what may start. */
  private enqueue(
    claimed: ClaimedRun[],
    bodies: Map<string, string>,
    settings: Map<string, DeliverySettings>,
  ): void {
    const touched = new Set<string>();
    for (const run of claimed) {
      const body = bodies.get(run.id);
      const s = settings.get(run.automationId);
      if (body === undefined || !s) continue; // deleted meanwhile (automation or retention): nothing to send
      this.inFlight += 1;
      const queue = this.ready.get(run.automationId) ?? [];
      queue.push({ run, body, settings: s });
      this.ready.set(run.automationId, queue);
      touched.add(run.automationId);
    }
    for (const automationId of touched) this.pump(automationId);
  }

  /** Starts sends of an automation's ready runs while it and the worker are under their caps. */
  private pump(automationId: string): void {
    const queue = this.ready.get(automationId);
    const cap = this.ctx.config.maxInFlightPerAutomation;
    while (
      queue &&
      queue.length > 0 &&
      (this.sending.get(automationId) ?? 0) < cap &&
      this.totalSending < this.ctx.config.maxInFlight
    ) {
      const { run, body, settings } = queue.shift()!;
      this.sending.set(automationId, (this.sending.get(automationId) ?? 0) + 1);
      this.totalSending += 1;
      const p = this.sendOne(run, body, settings).finally(() => {
        this.inFlight -= 1;
        this.totalSending -= 1;
        this.sending.set(automationId, this.sending.get(automationId)! - 1);
        this.inFlightSends.delete(p);
        const hadDueRuns = this.capped.delete(automationId);
        this.pump(automationId);
        // A slot of the worker's global cap is free too: any automation with ready runs may use it.
        for (const other of this.ready.keys()) {
          if (this.totalSending >= this.ctx.config.maxInFlight) break;
          if (other !== automationId) this.pump(other);
        }
        // Claim again only where due runs were left behind for want of room; new runs are signalled.
        if (hadDueRuns || this.globallyLimited) this.wake();
        this.takeOfferedSoon();
      });
      this.inFlightSends.add(p);
    }
    if (queue && queue.length === 0) this.ready.delete(automationId);
  }

  private async sendOne(run: ClaimedRun, body: string, settings: DeliverySettings): Promise<void> {
    const { clock, config } = this.ctx;
    const startedAt = clock.now();
    let result: AttemptResult;
    try {
      result = await this.o.sender.send({
        url: settings.url,
        headers: deliveryHeaders(run.id, body, settings, startedAt),
        body,
      });
    } catch (err) {
      // The sender reports failures as data; an exception here is our bug, logged once, retried.
      this.ctx.log.error({ err, runId: run.id }, 'sender threw');
      result = {
        ok: false,
        statusCode: null,
        durationMs: clock.now() - startedAt,
        error: {
          code: 'CONNECTION_RESET',
          message: 'The attempt failed unexpectedly.',
          hint: 'It will be retried.',
        },
        responseHeaders: null,
        responseBody: null,
        retryAfterMs: null,
      };
    }
    const finishedAt = clock.now();
    const number = run.attempts + 1;
    const outcome = decideOutcome({
      statusCode: result.statusCode,
      error: result.error,
      attemptNumber: number - run.scheduleStart,
      scheduleMs: config.retrySchedule,
      retryAfterMs: result.retryAfterMs,
      now: finishedAt,
      random: this.o.random,
    });
    this.o.onAttempt?.(outcome.kind, result.durationMs);
    this.finished.push({
      run,
      number,
      trigger: run.nextTrigger,
      url: settings.url,
      startedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      error: result.error,
      responseBody: result.responseBody,
      outcome,
      finishedAt,
    });
    this.endedUnrecorded.set(run.automationId, (this.endedUnrecorded.get(run.automationId) ?? 0) + 1);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.finished.length >= this.o.flushBatchSize) {
      void this.flush();
      return;
    }
    if (!this.flushTimer) this.flushTimer = setTimeout(() => void this.flush(), this.o.flushDelayMs);
  }

  private async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    while (this.flushing) await this.flushing;
    if (this.finished.length === 0) return;
    const batch = this.finished;
    this.finished = [];
    this.flushing = completeAttempts(this.ctx.db, this.ctx.engine, batch, {
      now: this.ctx.clock.now(),
      disableAfterFailures: this.ctx.config.disableAfterFailures,
      events: this.o.events,
    })
      .then(() => {
        for (const a of batch) {
          const left = (this.endedUnrecorded.get(a.run.automationId) ?? 1) - 1;
          if (left > 0) this.endedUnrecorded.set(a.run.automationId, left);
          else this.endedUnrecorded.delete(a.run.automationId);
        }
        // Recorded runs no longer count against their automation's in-flight cap: claim again if runs
        // were left behind for want of room.
        if (this.capped.size > 0 || this.globallyLimited) this.wake();
      })
      .catch((err: unknown) => {
        // Keep them for the next flush; if the process dies first, the leases expire and the runs go again.
        this.finished.unshift(...batch);
        this.ctx.log.error({ err }, 'recording attempts failed; will retry');
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
    if (this.finished.length > 0) this.scheduleFlush();
  }
}
