// The runs log: filters and their rules, the one place rows become RunSummary / run details, replay.
import { toIso } from '../clock.js';
import { DAY, MINUTE } from '../config.js';
import type { AppContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { FailureCode } from '../delivery/failure-hints.js';
import { loadAutomation } from '../automations/automations.service.js';
import { AppError, invalidField, notFound } from '../http/errors.js';
import { replayFilterChunk, replayRunsById } from './replay-runs.js';
import { isCommonSearch } from '../db/run-search.js';
import { checkTimeZone, countRunsPerDay, lastRunAt } from './runs-daily.js';
import { parseRecordedHeaders } from '../delivery/sent-headers.js';
import * as store from './runs.store.js';
import { normalizeSearch } from './search-text.js';

/** A browser's "14 days ago" may be computed a little before ours; this much earlier is still accepted. */
export const PERIOD_GRACE_MS = 5 * MINUTE;
const REPLAY_CHUNK = 1000;

/** Filter fields as the API takes them (already shape-checked by the route schema). */
export interface FilterInput {
  search?: string | undefined;
  status?: store.RunStatus[] | undefined;
  origin?: store.RunOrigin[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

// ── Filters and cursors ──

/** The oldest creation time a period may start at: runs older than the retention period are gone. */
export function retentionStart(ctx: AppContext): number {
  return ctx.clock.now() - ctx.config.runRetentionDays * DAY;
}

/** Checks the period and normalises the search; `field` prefixes field names (e.g. `filter.`). */
export function toRunFilter(
  ctx: AppContext,
  automationId: string,
  input: FilterInput,
  prefix = '',
): store.RunFilter {
  const filter: store.RunFilter = { automationId };
  const search = normalizeSearch(input.search);
  if (search !== null) filter.search = search;
  if (input.status && input.status.length > 0) filter.statuses = [...new Set(input.status)];
  if (input.origin && input.origin.length > 0) filter.origins = [...new Set(input.origin)];
  if (input.from !== undefined) filter.from = Date.parse(input.from);
  if (input.to !== undefined) filter.to = Date.parse(input.to);
  if (Number.isNaN(filter.from)) throw invalidField(`${prefix}from`, 'is not an ISO 8601 time');
  if (Number.isNaN(filter.to)) throw invalidField(`${prefix}to`, 'is not an ISO 8601 time');
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw invalidField(`${prefix}from`, 'must not be later than `to`');
  }
  const oldest = retentionStart(ctx);
  if (filter.from !== undefined && filter.from < oldest - PERIOD_GRACE_MS) {
    const days = ctx.config.runRetentionDays;
    const message = `Runs are kept for ${days} days, so the period cannot start before ${toIso(oldest)}.`;
    throw new AppError('PERIOD_OUT_OF_RANGE', message, [
      { field: `${prefix}from`, message, retentionDays: days, earliest: toIso(oldest) },
    ]);
  }
  return filter;
}

/** Picks how the search is matched: a fragment many runs contain is cheaper to test in log order. */
export async function withSearchPlan(ctx: AppContext, filter: store.RunFilter): Promise<store.RunFilter> {
  if (
    filter.search !== undefined &&
    (await isCommonSearch(ctx.db, ctx.engine, filter.search, filter.automationId))
  ) {
    return { ...filter, searchPlan: 'scan' };
  }
  return filter;
}

// ── API objects ──

export function toRunSummary(r: store.RunSummaryRow) {
  return {
    id: r.id,
    automationId: r.automation_id,
    responseId: r.response_id,
    name: r.name,
    email: r.email,
    status: r.status as store.RunStatus,
    statusChangedAt: toIso(r.status_changed_at),
    createdAt: toIso(r.created_at),
    pushUrl: r.push_url,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'scheduled' && r.next_attempt_at !== null ? toIso(r.next_attempt_at) : null,
    origin: r.origin as store.RunOrigin,
  };
}

// ── Reading ──

export interface ListInput extends FilterInput {
  limit: number;
  cursor?: string | undefined;
}

/**
 * One page of an automation's runs, newest first, with counts per status for the filter minus status
 * (bounded: `countsCapped[s]` marks a count that is a lower bound, see runs.store.ts).
 */
export async function listRuns(ctx: AppContext, orgId: string, automationId: string, input: ListInput) {
  const automation = await loadAutomation(ctx, orgId, automationId);
  const position = decodeCursor(input.cursor);
  const filter = await withSearchPlan(ctx, toRunFilter(ctx, automation.id, input));
  const { statuses: _statuses, ...withoutStatus } = filter;
  const [rows, counts] = await Promise.all([
    store.listRuns(ctx.db, ctx.engine, filter, position, input.limit + 1),
    store.countRuns(ctx.db, ctx.engine, withoutStatus),
  ]);
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toRunSummary),
    nextCursor:
      rows.length > input.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    counts: counts.counts,
    countsCapped: counts.capped,
  };
}

/** The run with its names, message and attempt log; 404 for another organization's run. */
export async function getRun(ctx: AppContext, orgId: string, id: string) {
  const run = await store.findRun(ctx.db, orgId, id);
  if (!run) throw notFound('Run not found.');
  const [message, attempts] = await Promise.all([
    store.findMessage(ctx.db, run.id),
    store.listAttempts(ctx.db, run.id),
  ]);
  return {
    ...toRunSummary(run),
    firstName: run.first_name,
    lastName: run.last_name,
    message: message ?? '',
    attemptLog: attempts.map((a) => ({
      number: a.number,
      trigger: a.trigger as 'auto' | 'replay',
      url: a.url,
      startedAt: toIso(a.started_at),
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error:
        a.error_code === null
          ? null
          : { code: a.error_code as FailureCode, message: a.error_message ?? '', hint: a.error_hint ?? '' },
      responseBody: a.response_body,
      requestHeaders: parseRecordedHeaders(a.request_headers),
    })),
  };
}

/** Runs per local day and status for the last `days` days (today included), and the newest run's time. */
export async function dailyRuns(
  ctx: AppContext,
  orgId: string,
  automationId: string,
  input: { days: number; timeZone: string },
) {
  const automation = await loadAutomation(ctx, orgId, automationId);
  const timeZone = checkTimeZone(input.timeZone);
  const [days, last] = await Promise.all([
    countRunsPerDay(ctx.db, automation.id, ctx.clock.now(), input.days, timeZone),
    lastRunAt(ctx.db, automation.id),
  ]);
  return { timeZone, days, lastRunAt: last === null ? null : toIso(last) };
}

// ── Replay ──

export type ReplayInput = { runIds?: string[] | undefined; filter?: FilterInput | undefined };
export type SkipReason = 'running' | 'not_found';

/**
 * Replays the chosen runs, or every run matching the filter (created up to now), chunk by chunk.
 * Runs being sent are skipped (`running`); ids that are not runs of this automation are skipped
 * (`not_found`) rather than failing the whole request — retention may have removed some meanwhile.
 */
export async function replayRuns(ctx: AppContext, orgId: string, automationId: string, input: ReplayInput) {
  const automation = await loadAutomation(ctx, orgId, automationId);
  if ((input.runIds === undefined) === (input.filter === undefined)) {
    throw invalidField('runIds', 'send either `runIds` or `filter`, not both');
  }
  const now = ctx.clock.now();
  let replayed = 0;
  const skipped: { id: string; reason: SkipReason }[] = [];
  if (input.runIds !== undefined) {
    const ids = [...new Set(input.runIds)];
    const outcome = await replayRunsById(ctx.queue, automation.id, ids, now);
    replayed = outcome.replayed.length;
    skipped.push(...outcome.running.map((id) => ({ id, reason: 'running' as const })));
    skipped.push(...outcome.missing.map((id) => ({ id, reason: 'not_found' as const })));
  } else {
    const filter = toRunFilter(ctx, automation.id, input.filter!, 'filter.');
    // Runs created while this replay goes on are not part of it (they are new, and due anyway).
    filter.to = Math.min(filter.to ?? Infinity, now + 1);
    let position: store.LogPosition | null = null;
    do {
      const chunk = await replayFilterChunk(ctx.queue, filter, position, REPLAY_CHUNK, now);
      replayed += chunk.replayed.length;
      skipped.push(...chunk.running.map((id) => ({ id, reason: 'running' as const })));
      position = chunk.end;
    } while (position !== null);
  }
  const automationEnabled = automation.enabled === 1;
  const runs = replayed === 1 ? 'run' : 'runs';
  return {
    replayed,
    skipped,
    automationEnabled,
    message: automationEnabled
      ? `${replayed} ${runs} scheduled to be sent again now.`
      : `${replayed} ${runs} scheduled; the automation is disabled, so they will be sent when it is enabled again.`,
  };
}
