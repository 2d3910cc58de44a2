// Replay (SPEC §7): runs that are not running become scheduled and due now, their next attempt has
// trigger `replay`, and the retry schedule starts afresh (schedule_start = attempts made so far).
// The dispatcher then sends the stored message bytes with the same webhook-id, newly signed.
// One UPDATE per chunk of ids, in a run-queue transaction: the dispatchers hear of them at its commit.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { DueRuns, RunQueue } from '../db/run-queue.js';
import { afterPosition, filterCondition, type LogPosition, type RunFilter } from './runs.store.js';

export interface ChunkOutcome {
  replayed: string[];
  /** Ids that were running (being sent) and were left alone. */
  running: string[];
}

async function replayIds(trx: Db, due: DueRuns, automationId: string, ids: string[], now: number) {
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable('runs')
    .set({
      status: 'scheduled',
      status_changed_at: now,
      next_attempt_at: now,
      next_trigger: 'replay',
      schedule_start: sql<number>`attempts`,
      lease_token: null,
      lease_expires_at: null,
    })
    .where('automation_id', '=', automationId)
    .where('id', 'in', ids)
    .where('status', '<>', 'running')
    .returning('id')
    .execute();
  if (rows.length > 0) due.automations([automationId]);
  return rows.map((r) => r.id);
}

function outcomeOf(found: { id: string }[], replayed: string[]): ChunkOutcome {
  const done = new Set(replayed);
  return { replayed, running: found.map((r) => r.id).filter((id) => !done.has(id)) };
}

/**
 * Replays the runs among `ids` that belong to the automation; the others come back as `missing`.
 * A run that is running (or became running meanwhile) is reported in `running` and left alone.
 */
export async function replayRunsById(
  queue: RunQueue,
  automationId: string,
  ids: string[],
  now: number,
): Promise<ChunkOutcome & { missing: string[] }> {
  return queue.makeDue(async (trx, due) => {
    const found = await trx
      .selectFrom('runs')
      .select(['id', 'status'])
      .where('automation_id', '=', automationId)
      .where('id', 'in', ids)
      .execute();
    const known = new Set(found.map((r) => r.id));
    const candidates = found.filter((r) => r.status !== 'running').map((r) => r.id);
    const replayed = await replayIds(trx, due, automationId, candidates, now);
    return { ...outcomeOf(found, replayed), missing: ids.filter((id) => !known.has(id)) };
  });
}

/**
 * Replays the next `limit` runs matching the filter after `position` (log order); returns what it did
 * and where the chunk ended (null when no run was left). Status changes do not move a run in log
 * order, so chunk after chunk visits every matching run once.
 */
export async function replayFilterChunk(
  queue: RunQueue,
  filter: RunFilter,
  position: LogPosition | null,
  limit: number,
  now: number,
): Promise<ChunkOutcome & { end: LogPosition | null }> {
  return queue.makeDue(async (trx, due) => {
    let q = trx
      .selectFrom('runs')
      .select(['runs.id', 'runs.status', 'runs.created_at'])
      .where(filterCondition(queue.engine, filter));
    if (position) q = q.where(afterPosition(position));
    const found = await q
      .orderBy('runs.created_at', 'desc')
      .orderBy('runs.id', 'desc')
      .limit(limit)
      .execute();
    const last = found[found.length - 1];
    const candidates = found.filter((r) => r.status !== 'running').map((r) => r.id);
    const replayed = await replayIds(trx, due, filter.automationId, candidates, now);
    return {
      ...outcomeOf(found, replayed),
      end: last ? { createdAt: Number(last.created_at), id: last.id } : null,
    };
  });
}
