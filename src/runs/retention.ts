// The retention sweeper: deletes runs (with attempts and messages, by ON DELETE CASCADE) older than
// the retention period. Small batches, one statement each, with a pause between them, so deliveries
// (and on SQLite every other writer) get the database in between. On PostgreSQL one sweeper works at a
// time across all worker processes (a session advisory lock); the others skip that round.
// On SQLite the sweeper also keeps the planner's statistics fresh (`pragma optimize`, at start and then
// hourly): the runs log's plans rely on them; PostgreSQL's autovacuum does the same there.
import { DAY, HOUR, MINUTE } from '../config.js';
import { deleteExpiredSessions } from '../accounts/accounts.store.js';
import { deleteOldInvitations } from '../accounts/teams.store.js';
import type { AppContext } from '../context.js';
import { deleteStaleRateLimits } from '../http/rate-limit.js';
import type { Db, DbHandle } from '../db/connect.js';
import { exclusively, EXCLUSIVE, refreshPlannerStatistics } from '../db/dialect.js';

export const SWEEP_INTERVAL_MS = MINUTE;
export const SWEEP_BATCH_SIZE = 500;
export const SWEEP_PAUSE_MS = 50;
/** How often the sweeper lets SQLite refresh planner statistics. */
export const OPTIMIZE_INTERVAL_MS = HOUR;

export interface SweepOptions {
  batchSize?: number;
  pauseMs?: number;
  /** Stops between batches when it returns true (shutdown). */
  stopped?: () => boolean;
}

/** Deletes up to `batchSize` runs created before `cutoff`, oldest first; returns how many. */
export async function deleteExpiredBatch(db: Db, cutoff: number, batchSize: number): Promise<number> {
  const result = await db
    .deleteFrom('runs')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('runs')
        .select('id')
        .where('created_at', '<', cutoff)
        .orderBy('created_at')
        .limit(batchSize),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function deleteAllExpired(db: Db, cutoff: number, o: Required<SweepOptions>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteExpiredBatch(db, cutoff, o.batchSize);
    total += n;
    if (n < o.batchSize || o.stopped()) return total;
    if (o.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, o.pauseMs));
  }
}

/**
 * Deletes every run created before `now` − the retention period, batch by batch; returns how many
 * (0 on PostgreSQL when another process is sweeping right now).
 */
export async function sweepExpiredRuns(
  ctx: Pick<AppContext, 'db' | 'engine' | 'config'>,
  now: number,
  options: SweepOptions = {},
): Promise<number> {
  const o: Required<SweepOptions> = {
    batchSize: SWEEP_BATCH_SIZE,
    pauseMs: SWEEP_PAUSE_MS,
    stopped: () => false,
    ...options,
  };
  const cutoff = now - ctx.config.runRetentionDays * DAY;
  // One sweeper at a time across all processes; the others skip that round.
  return exclusively(ctx.db, ctx.engine, EXCLUSIVE.sweeper, 0, (db) => deleteAllExpired(db, cutoff, o));
}

/** Starts the sweeper (once now, then every minute); the returned function stops it and waits for it. */
export interface SweeperOptions {
  /** Called after each sweep (with its error, null when it went well) and each batch: readiness. */
  onTurn?: (error: unknown) => void;
}

export function startRetentionSweeper(
  ctx: AppContext,
  _handle: DbHandle,
  options: SweeperOptions = {},
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();
  let optimizedAt = -Infinity;

  const tick = (): void => {
    timer = null;
    // Every batch of a long sweep shows the sweeper alive.
    const batchDone = () => {
      options.onTurn?.(null);
      return stopped;
    };
    current = sweepExpiredRuns(ctx, ctx.clock.now(), { stopped: batchDone })
      .then(async (n) => {
        if (n > 0) ctx.log.info({ runs: n }, 'deleted runs past the retention period');
        const now = ctx.clock.now();
        // Expired sessions and finished rate-limit windows are of no use to anyone.
        await deleteExpiredSessions(ctx.db, now);
        await deleteStaleRateLimits(ctx.db, now - DAY);
        // An expired or used invitation answers 404 either way; a month on nobody asks about it.
        await deleteOldInvitations(ctx.db, now - 30 * DAY);
        if (!stopped && now - optimizedAt >= OPTIMIZE_INTERVAL_MS) {
          optimizedAt = now;
          await refreshPlannerStatistics(ctx.db, ctx.engine);
        }
        options.onTurn?.(null);
      })
      .catch((err: unknown) => {
        ctx.log.error({ err }, 'retention sweep failed; will try again');
        options.onTurn?.(err);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, SWEEP_INTERVAL_MS);
      });
  };
  tick();

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await current;
  };
}
