// The dispatcher: one per process that delivers. Three parts —
//   the claim loop (`claimTurn`), the only way runs enter this process's books: it takes runs offered by
//     the requests that committed them (by id, message in hand) and claims due runs from the queue for the
//     capacity left, one turn at a time; a wake-up during a turn always leads to another turn;
//   the capacity ledger (capacity-ledger.ts): held / sending / ended-but-unrecorded per automation;
//   the attempt recorder (attempt-recorder.ts): batched, fenced writes of what the sends ended with.
// Liveness: the dispatcher beats every second (run-queue.ts); on PostgreSQL it reclaims the runs of
// dispatchers that stopped beating; the only SQLite dispatcher takes back its predecessor's at start-up.
import { sql } from 'kysely';
import { idsSource } from '../db/dialect.js';
import { randomToken } from '../ids.js';
import type { AppContext } from '../context.js';
import { SECOND } from '../config.js';
import { deliverySettingsOf, type DeliverySettings } from './delivery-settings.js';
import type { AutomationRow } from '../automations/automations.store.js';
import {
  HEARTBEAT_INTERVAL_MS,
  type ClaimedRun,
  type DueAutomations,
  type Lease,
  type OfferedRun,
  type QueueListener,
} from '../db/run-queue.js';
import { AttemptRecorder, type FinishedAttempt } from './attempt-recorder.js';
import { recordedHeaders } from './sent-headers.js';
import { CapacityLedger } from './capacity-ledger.js';
import { planClaims } from './claim-plan.js';
import { noDeliveryEvents, type DeliveryEvents } from './delivery-events.js';
import type { AttemptResult, Sender } from './http-sender.js';
import { decideOutcome } from './retry-policy.js';
import { deliveryHeaders } from './signing.js';

// A lease outlives the longest possible attempt by this much (claim-to-send and flush delays); liveness,
// not the lease, frees a dead dispatcher's runs — the lease is the backstop.
const LEASE_MARGIN_MS = 10 * SECOND;
/** Offered runs held in memory at most (about 0.5 KiB each); more are left to the claim scan. */
const MAX_PENDING_OFFERS = 10_000;
/** After a failed claim (database away), the next turn waits this long, doubling up to the poll interval. */
const CLAIM_RETRY_MIN_MS = 100;

export interface DispatcherOptions {
  sender: Sender;
  events?: DeliveryEvents;
  /** Subscribes the dispatcher to its queue's signals (default: `ctx.queue.listen`). */
  listen?: (listener: QueueListener) => Promise<() => void>;
  random?: () => number;
  pollIntervalMs?: number;
  /** Record finished attempts at least this often (ms) and whenever `flushBatchSize` are waiting. */
  flushDelayMs?: number;
  flushBatchSize?: number;
  /**
   * Runs an automation may have claimed and ready beyond its in-flight cap, so a finished send is
   * followed at once by the next without a claim in between. Only where this dispatcher is the only one
   * (`queue.solitary`): the database then counts claimed runs, not requests in flight, against the cap.
   * Default: the cap there, 0 elsewhere.
   */
  prefetchPerAutomation?: number;
  /** Operations hooks (src/background.ts): each claim turn (with its error), each attempt. */
  onTurn?: (error: unknown) => void;
  onAttempt?: (outcome: 'succeeded' | 'failed' | 'retry' | 'gone', durationMs: number) => void;
}

interface Ready {
  run: ClaimedRun;
  body: string;
  settings: DeliverySettings;
}

export class Dispatcher {
  private readonly ctx: AppContext;
  private readonly o: Required<Omit<DispatcherOptions, 'listen' | 'onTurn' | 'onAttempt'>> &
    Pick<DispatcherOptions, 'listen' | 'onTurn' | 'onAttempt'>;
  /** This process's name in the queue's liveness table. */
  readonly id = `dsp_${randomToken(12)}`;
  private readonly startedAt: number;
  private running = false;
  readonly ledger: CapacityLedger;
  private readonly recorder: AttemptRecorder;
  private readonly minBatch: number;
  /** Claimed runs waiting for a free slot under their automation's cap, per automation. */
  private readonly ready = new Map<string, Ready[]>();
  /** Offered runs waiting for room under their automation's cap, oldest first. */
  private readonly pending = new Map<string, OfferedRun[]>();
  private pendingCount = 0;
  /** Automations with due runs left in the queue for want of room (a send's end claims again for them). */
  private readonly backlog = new Set<string>();
  /**
   * Automations whose attempt just came back 410 Gone: disabled once that attempt is recorded, and sent
   * nothing more meanwhile (no claim for them, their claimed runs handed back).
   */
  private readonly gone = new Set<string>();
  /** The last claim took all this process had room for: more runs may be due. */
  private globallyLimited = false;
  private readonly sends = new Set<Promise<void>>();
  private turn: Promise<void> | null = null;
  private again = false;
  /**
   * The next turn also scans the queue for due runs. Offers alone do not ask for a scan: their runs are
   * taken by id, and a scan then would only race the offers of runs committed a moment later.
   */
  private scanNeeded = true;
  private turnScheduled = false;
  private retryMs = CLAIM_RETRY_MIN_MS;
  private pollTimer: NodeJS.Timeout | null = null;
  private beatTimer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;
  private offset = 0;
  private lastBeat = -Infinity;
  private readonly settingsCache = new Map<
    string,
    { updatedAt: number; settings: DeliverySettings; at: number }
  >();

  constructor(ctx: AppContext, options: DispatcherOptions) {
    this.ctx = ctx;
    const solitary = ctx.queue.solitary;
    const { maxInFlight, maxInFlightPerAutomation } = ctx.config;
    this.o = {
      events: noDeliveryEvents,
      random: Math.random,
      pollIntervalMs: 1000,
      flushDelayMs: 20,
      flushBatchSize: 200,
      prefetchPerAutomation: solitary ? maxInFlightPerAutomation : 0,
      ...options,
    };
    const prefetch = solitary ? this.o.prefetchPerAutomation : 0;
    const perAutomation = maxInFlightPerAutomation + prefetch;
    this.ledger = new CapacityLedger({
      sendingPerAutomation: maxInFlightPerAutomation,
      sending: maxInFlight,
      perAutomation,
      // With prefetch, as many runs again as may be in flight may wait ready (claimed, not yet sent).
      held: prefetch > 0 ? 2 * maxInFlight : maxInFlight,
    });
    // The smallest claim worth making for an automation that still has sends under way: with runs held
    // ready, half its allowance (fewer, larger claims while the ready runs keep its sends going); else a quarter.
    this.minBatch = prefetch > 0 ? Math.ceil(perAutomation / 2) : Math.ceil(perAutomation / 4);
    this.startedAt = ctx.clock.now();
    this.recorder = new AttemptRecorder(ctx, {
      delayMs: this.o.flushDelayMs,
      batchSize: this.o.flushBatchSize,
      disableAfterFailures: ctx.config.disableAfterFailures,
      warnAfterFailures: ctx.config.warnAfterFailures,
      events: this.o.events,
      now: () => ctx.clock.now(),
      onRecorded: (batch, disabled, fencedOut) => this.recorded(batch, disabled, fencedOut),
      onError: (err) => ctx.log.error({ err }, 'recording attempts failed; will retry'),
    });
  }

  /** When a lease taken now expires: after the longest possible attempt, plus a margin. */
  private lease(now: number): Lease {
    const { requestTimeoutMs, connectTimeoutMs } = this.ctx.config;
    return {
      now,
      owner: this.id,
      token: randomToken(12),
      expiresAt: now + requestTimeoutMs + connectTimeoutMs + LEASE_MARGIN_MS,
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { queue, clock, log } = this.ctx;
    // Alive before the first claim: another dispatcher would otherwise take this one's claims as a dead one's.
    await this.beat();
    if (queue.solitary) {
      const n = await queue.takeBack(this.id, clock.now()).catch((err: unknown) => {
        log.error({ err }, 'could not take back runs left running by an earlier process');
        return 0;
      });
      if (n > 0) log.warn({ runs: n }, 'took back runs an earlier process left running');
    }
    const listener: QueueListener = {
      due: (due) => this.runsDue(due),
      offered: (runs) => this.offer(runs),
    };
    this.unlisten = await (this.o.listen ? this.o.listen(listener) : queue.listen(listener, log));
    this.beatTimer = setInterval(() => void this.beat().catch(() => {}), HEARTBEAT_INTERVAL_MS).unref();
    this.pollTimer = setInterval(() => this.requestClaim(), this.o.pollIntervalMs).unref();
    this.requestClaim();
  }

  /** Stops claiming, hands back what was claimed but not sent, waits for the sends and records them. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.unlisten?.();
    while (this.turn) await this.turn;
    // Offered runs not yet claimed are scheduled in the database: the next dispatcher takes them.
    this.pending.clear();
    this.pendingCount = 0;
    const unsent: ClaimedRun[] = [];
    for (const [automationId, queue] of this.ready) {
      for (const r of queue) unsent.push(r.run);
      this.ledger.dropHeld(automationId, queue.length);
    }
    this.ready.clear();
    if (unsent.length > 0) {
      await this.ctx.queue
        .release(unsent, this.ctx.clock.now())
        .catch((err: unknown) =>
          this.ctx.log.warn(
            { err },
            'could not release unsent runs; they go again when this process is known dead',
          ),
        );
    }
    while (this.sends.size > 0) await Promise.allSettled([...this.sends]);
    await this.recorder.flush();
    // Beating until here: the sends in flight may take the whole request timeout, and a dispatcher that
    // stopped beating would see them reclaimed and sent again by another process meanwhile.
    if (this.beatTimer) clearInterval(this.beatTimer);
    this.beatTimer = null;
    if (this.recorder.pending === 0) {
      await this.ctx.queue.retire(this.id).catch(() => {});
    }
  }

  /** Resolves when nothing is claimed, in flight or waiting to be recorded (tests). */
  async idle(): Promise<void> {
    while (this.turn || this.ledger.totals.held + this.ledger.totals.sending + this.ledger.totals.ended > 0) {
      if (this.turn) await this.turn;
      await Promise.allSettled([...this.sends]);
      await this.recorder.flush();
      if (this.ledger.totals.held > 0 && this.sends.size === 0) break; // held runs wait for an enable
    }
  }

  /** Looks for due runs now (new work, freed capacity, a moved clock in tests). */
  wake(): void {
    this.requestClaim();
  }

  /**
   * Runs of `due` automations became due (null: unknown). One whose books are full here takes no new run
   * until a send of its own ends — which claims again for it — so a signal naming only those costs nothing.
   */
  private runsDue(due: DueAutomations): void {
    if (due && due.length > 0 && due.every((id) => this.ledger.roomFor(id) === 0)) {
      for (const id of due) this.backlog.add(id);
      return;
    }
    this.requestClaim();
  }

  /**
   * Runs just committed, offered by the request that made them (only where this is the only dispatcher).
   * They wait here per automation until it has room, then are claimed by id — together, once per claim
   * turn — and sent with the message in hand. Beyond MAX_PENDING_OFFERS they are left to the claim scan.
   */
  private offer(runs: OfferedRun[]): void {
    if (!this.running) return;
    for (const run of runs) {
      if (this.gone.has(run.automationId)) continue; // scheduled in the database, held once disabled
      if (this.pendingCount >= MAX_PENDING_OFFERS) {
        this.backlog.add(run.automationId);
        this.scanNeeded = true;
        continue;
      }
      const queue = this.pending.get(run.automationId);
      if (queue) queue.push(run);
      else this.pending.set(run.automationId, [run]);
      this.pendingCount += 1;
    }
    this.requestClaim(false);
  }

  /**
   * Asks for a claim turn. Turns never overlap: one asked for while a turn is under way runs right after
   * it, so a wake-up that arrives mid-claim is never lost. Asks within one event-loop turn share a turn.
   * `scan`: the turn also looks for due runs in the queue (everything but an offer asks for that).
   */
  private requestClaim(scan = true): void {
    if (!this.running) return;
    if (scan) this.scanNeeded = true;
    if (this.turn) {
      this.again = true;
      return;
    }
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      if (!this.running || this.turn) {
        if (this.turn) this.again = true;
        return;
      }
      this.turn = this.turns().finally(() => {
        this.turn = null;
        // Asked for after the loop's last look at `again` (a microtask before this one): not lost.
        if (this.again) this.requestClaim(this.scanNeeded);
      });
    });
  }

  private async turns(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.claimTurn();
        this.retryMs = CLAIM_RETRY_MIN_MS;
        this.o.onTurn?.(null);
      } catch (err) {
        this.scanNeeded = true;
        this.o.onTurn?.(err);
        this.ctx.log.error({ err }, 'claiming runs failed; retrying');
        // The database may be away: try again after a pause that grows up to the poll interval.
        const wait = this.retryMs;
        this.retryMs = Math.min(this.retryMs * 2, this.o.pollIntervalMs);
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
        this.again = true;
      }
    } while (this.again && this.running);
  }

  /** One claim turn: offered runs with room, then due runs for what capacity is left. */
  private async claimTurn(): Promise<void> {
    const { queue, clock } = this.ctx;
    if (!this.running) return;
    // A dispatcher whose own beat is late may already count as dead elsewhere: it beats before claiming.
    if (!queue.solitary && clock.now() - this.lastBeat > HEARTBEAT_INTERVAL_MS * 1.5) await this.beat(true);
    const now = clock.now();
    await this.claimOffered(now);
    const free = this.ledger.freeToHold();
    // Claim in batches: while many sends are in flight, wait until a good share of the capacity is free,
    // so each claim transaction (and its commit) serves many runs, not one.
    const sending = this.ledger.totals.sending + this.ledger.totals.held;
    const worth = sending === 0 ? 1 : Math.max(1, Math.floor(this.ctx.config.maxInFlight / 4));
    if (free < worth) {
      this.globallyLimited = true;
      return;
    }
    if (!this.scanNeeded) return;
    // Cleared before the scan: a signal that arrives during it asks for another.
    this.scanNeeded = false;
    const result = await queue.claimDue({
      lease: this.lease(now),
      // Their due runs are offered runs waiting here for room: claiming them by scan would only race.
      skip: new Set([...this.pending.keys(), ...this.gone]),
      cap: this.ledger.limits.perAutomation,
      ended: (id) => this.ledger.counts(id).ended,
      plan: (automations, running) =>
        planClaims(automations, running, {
          cap: this.ledger.limits.perAutomation,
          limit: free,
          minBatch: this.minBatch,
          offset: this.offset++,
          ended: (id) => this.ledger.counts(id).ended,
        }),
    });
    this.backlog.clear();
    for (const id of result.capped) this.backlog.add(id);
    for (const id of result.full) this.backlog.add(id);
    this.globallyLimited = result.runs.length >= free;
    if (result.runs.length === 0) return;
    for (const r of result.runs) this.ledger.claimed(r.automationId);
    await this.enqueueClaimed(result.runs);
    // An automation that got all it asked for may have more due: look again (its cap decides).
    if (result.full.length > 0 || this.globallyLimited) {
      this.again = true;
      this.scanNeeded = true;
    }
  }

  /** Takes from the pending offers what each automation (and this process) has room for, claims them by id. */
  private async claimOffered(now: number): Promise<void> {
    if (this.pendingCount === 0) return;
    const take: OfferedRun[] = [];
    let free = this.ledger.freeToHold();
    for (const [automationId, queue] of this.pending) {
      const room = Math.min(this.ledger.roomFor(automationId), free);
      const c = this.ledger.counts(automationId);
      // With sends of its own under way, wait for a few free slots, so one claim serves several runs.
      if (room <= 0 || (c.held + c.sending > 0 && room < Math.ceil(this.ledger.limits.perAutomation / 4)))
        continue;
      const taken = queue.splice(0, room);
      take.push(...taken);
      free -= taken.length;
      this.pendingCount -= taken.length;
      if (queue.length === 0) this.pending.delete(automationId);
    }
    if (take.length === 0) return;
    const [claim, read] = await Promise.allSettled([
      this.ctx.queue.claimByIds(
        take.map((r) => r.id),
        this.lease(now),
      ),
      this.settingsFor(take.map((r) => r.automationId)),
    ]);
    if (claim.status === 'rejected' || read.status === 'rejected') {
      // Still scheduled (or handed back now): the claim scan takes them (these automations are no longer skipped).
      for (const r of take) this.backlog.add(r.automationId);
      if (claim.status === 'fulfilled')
        await this.ctx.queue.release(claim.value, this.ctx.clock.now()).catch(() => {});
      throw claim.status === 'rejected' ? claim.reason : (read as PromiseRejectedResult).reason;
    }
    const claimed = claim.value;
    const settings = read.value;
    // Runs not claimed were deleted or disabled meanwhile: nothing to do.
    for (const r of claimed) this.ledger.claimed(r.automationId);
    this.enqueue(claimed, new Map(take.map((r) => [r.id, r.body])), settings);
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

  /** Claimed runs (already in the ledger as held) with their messages and settings read, then queued. */
  private async enqueueClaimed(claimed: ClaimedRun[]): Promise<void> {
    let messages: { run_id: string; body: string }[];
    let settings: Map<string, DeliverySettings>;
    try {
      const ids = claimed.map((r) => r.id);
      const [m, s] = await Promise.all([
        sql<{ run_id: string; body: string }>`select run_id, body from run_messages
          where run_id in (${idsSource(this.ctx.queue.engine, ids)})`.execute(this.ctx.db),
        this.settingsFor(claimed.map((r) => r.automationId)),
      ]);
      messages = m.rows;
      settings = s;
    } catch (err) {
      // Hand them back now rather than when the lease expires.
      for (const r of claimed) this.ledger.dropHeld(r.automationId);
      await this.ctx.queue.release(claimed, this.ctx.clock.now()).catch(() => {});
      throw err;
    }
    this.enqueue(claimed, new Map(messages.map((m) => [m.run_id, m.body])), settings);
  }

  /** Queues claimed runs (held in the ledger) behind their automation's cap and starts what may start. */
  private enqueue(
    claimed: ClaimedRun[],
    bodies: Map<string, string>,
    settings: Map<string, DeliverySettings>,
  ): void {
    const touched = new Set<string>();
    for (const run of claimed) {
      const body = bodies.get(run.id);
      const s = settings.get(run.automationId);
      if (body === undefined || !s) {
        // Deleted meanwhile (automation or retention): nothing to send, nothing to record.
        this.ledger.dropHeld(run.automationId);
        continue;
      }
      const queue = this.ready.get(run.automationId);
      if (queue) queue.push({ run, body, settings: s });
      else this.ready.set(run.automationId, [{ run, body, settings: s }]);
      touched.add(run.automationId);
    }
    for (const automationId of touched) this.pump(automationId);
  }

  /** Starts sends of an automation's ready runs while it and this process are under their caps. */
  private pump(automationId: string): void {
    const queue = this.ready.get(automationId);
    while (queue && queue.length > 0 && this.ledger.canSend(automationId)) {
      const ready = queue.shift()!;
      this.ledger.startSend(automationId);
      const p = this.sendOne(ready).finally(() => {
        this.sends.delete(p);
        this.sendEnded(automationId);
      });
      this.sends.add(p);
    }
    if (queue && queue.length === 0) this.ready.delete(automationId);
  }

  private sendEnded(automationId: string): void {
    this.pump(automationId);
    // A slot of this process's cap is free too: any automation with ready runs may use it.
    for (const other of this.ready.keys()) {
      if (this.ledger.totals.sending >= this.ledger.limits.sending) break;
      if (other !== automationId) this.pump(other);
    }
    // Claim again where runs wait for room; new runs are signalled.
    if (this.backlog.has(automationId) || this.globallyLimited) this.requestClaim();
    else if (this.pending.has(automationId)) this.requestClaim(false);
  }

  private recorded(
    batch: readonly FinishedAttempt[],
    disabled: readonly string[],
    fencedOut: readonly FinishedAttempt[],
  ): void {
    if (fencedOut.length > 0) {
      // Sent, but the run was no longer ours to record: it was reclaimed (this process was taken for dead or
      // its lease ran out) or deleted. The receiver may get it again under the same webhook-id.
      this.ctx.log.warn(
        { attempts: fencedOut.length, runIds: fencedOut.slice(0, 10).map((a) => a.run.id) },
        'attempts not recorded: their runs were reclaimed or deleted meanwhile',
      );
    }
    for (const a of batch) {
      this.ledger.recorded(a.run.automationId);
      if (a.outcome.kind === 'gone') this.gone.delete(a.run.automationId); // the database says disabled now
    }
    if (disabled.length > 0) void this.holdBack(disabled);
    // Recorded runs no longer count against their automation's cap in the database: claim again if runs
    // were left behind for want of room.
    if (this.backlog.size > 0 || this.globallyLimited) this.requestClaim();
  }

  /**
   * Automations just disabled (by failures or 410) send nothing more (SPEC §9): their runs claimed and
   * waiting here go back to the queue, held until the automation is enabled again; their offers are dropped
   * (those runs are scheduled in the database). Sends already under way finish.
   */
  private async holdBack(automationIds: readonly string[]): Promise<void> {
    const unsent: ClaimedRun[] = [];
    for (const id of automationIds) {
      const queue = this.ready.get(id);
      if (queue) {
        unsent.push(...queue.map((r) => r.run));
        this.ledger.dropHeld(id, queue.length);
        this.ready.delete(id);
      }
      const offered = this.pending.get(id);
      if (offered) {
        this.pendingCount -= offered.length;
        this.pending.delete(id);
      }
      this.backlog.delete(id);
    }
    await this.ctx.queue
      .release(unsent, this.ctx.clock.now())
      .catch((err: unknown) =>
        this.ctx.log.warn(
          { err },
          'could not hand back the runs of a disabled automation; they go again after a restart or when their lease expires',
        ),
      );
  }

  /**
   * The heartbeat: this process is alive (it beats while it runs and while it winds down). Each regular beat
   * also returns to the queue the runs of dispatchers that stopped beating (and of expired leases), off the
   * claim path, and claims at once if there were any. `beforeClaim`: the beat a claim waits for when this
   * process's own beat is late; it throws when it fails, so no claim is made while others may count this
   * process as dead.
   */
  private async beat(beforeClaim = false): Promise<void> {
    const { queue, clock, log } = this.ctx;
    const now = clock.now();
    try {
      await queue.beat(this.id, this.startedAt);
      this.lastBeat = now;
      if (beforeClaim) return;
      const n = await queue.reclaim(now, this.id);
      if (n > 0) {
        log.warn({ runs: n }, 'reclaimed runs of a dispatcher that stopped, or whose lease expired');
        this.requestClaim();
      }
    } catch (err) {
      log.warn({ err }, 'dispatcher heartbeat failed; will try again');
      if (beforeClaim) throw err;
    }
  }

  private async sendOne({ run, body, settings }: Ready): Promise<void> {
    const { clock, config } = this.ctx;
    const startedAt = clock.now();
    const headers = deliveryHeaders(run.id, body, settings, startedAt);
    let result: AttemptResult;
    try {
      result = await this.o.sender.send({ url: settings.url, headers, body });
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
    this.ledger.endSend(run.automationId);
    if (outcome.kind === 'gone' && !this.gone.has(run.automationId)) {
      // 410 disables the automation at once (SPEC §8): nothing more of it goes out, even before the record.
      this.gone.add(run.automationId);
      void this.holdBack([run.automationId]);
    }
    this.o.onAttempt?.(outcome.kind, result.durationMs);
    this.recorder.add({
      run,
      number,
      trigger: run.nextTrigger,
      url: settings.url,
      startedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      error: result.error,
      responseBody: result.responseBody,
      requestHeaders: recordedHeaders(headers),
      outcome,
      finishedAt,
    });
  }
}
