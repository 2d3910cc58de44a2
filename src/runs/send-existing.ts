// Sending existing responses (SPEC §12): a backfill creates runs (origin `backfill`) of one automation for
// the survey's responses completed in a period — all of them, or only those it has no run for — and a
// manual send creates one run (origin `manual`) for one response. Messages are rendered with the
// automation's current settings. Runs of a disabled automation are held, as completions hold them for an
// automation disabled by failures: they go once it is enabled again.
//
// A backfill writes in batches of BACKFILL_BATCH responses, one short transaction each, and yields to the
// event loop between batches, so requests keep being answered meanwhile (SQLite runs statements on the
// event loop). It answers once every batch is committed: the runs are in the log when the answer comes.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { findAutomation } from '../automations/automations.store.js';
import { loadAutomation } from '../automations/automations.service.js';
import type { AppContext } from '../context.js';
import { insertRows } from '../db/raw-insert.js';
import type { ResponsesTable } from '../db/schema.js';
import { AppError, invalidField, notFound } from '../http/errors.js';
import { getSurvey } from '../surveys/surveys.service.js';
import { newRun, type CompletedResponse } from './create-runs.js';
import { toRunSummary } from './runs.service.js';
import * as store from './send-existing.store.js';

/** At most this many runs per backfill (a bigger period is split by the owner). */
export const BACKFILL_MAX = 100_000;
/** Responses per write transaction (~25 ms of work on SQLite: requests wait at most about that long). */
export const BACKFILL_BATCH = 250;
/** Responses looked at per statement when counting, and per window of batches when creating. */
const WINDOW = 5000;

export interface BackfillInput {
  from?: string | undefined;
  to?: string | undefined;
  onlyMissing?: boolean | undefined;
  dryRun?: boolean | undefined;
}

export type BackfillResult =
  | { dryRun: true; wouldCreate: number }
  | { dryRun: false; created: number; automationEnabled: boolean; message: string };

function toCompleted(row: ResponsesTable): CompletedResponse {
  return {
    id: row.id,
    orgId: row.org_id,
    surveyId: row.survey_id,
    completedAt: Number(row.completed_at),
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    answers: JSON.parse(row.answers) as Record<string, unknown>,
  };
}

function periodOf(input: BackfillInput): { from?: number; to?: number } {
  const from = input.from === undefined ? undefined : Date.parse(input.from);
  const to = input.to === undefined ? undefined : Date.parse(input.to);
  if (Number.isNaN(from)) throw invalidField('from', 'is not an ISO 8601 time');
  if (Number.isNaN(to)) throw invalidField('to', 'is not an ISO 8601 time');
  if (from !== undefined && to !== undefined && from > to)
    throw invalidField('from', 'must not be later than `to`');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** How many responses the backfill takes (exact up to just past BACKFILL_MAX), a window per statement, yielding. */
async function countBackfill(
  ctx: AppContext,
  scope: store.BackfillScope,
): Promise<{ count: number; exact: boolean }> {
  let count = 0;
  let afterId: string | null = null;
  while (count <= BACKFILL_MAX) {
    const end = await store.windowEnd(ctx.db, scope, afterId, WINDOW);
    count += await store.countInWindow(ctx.db, scope, afterId, end);
    if (end === null) return { count, exact: true };
    afterId = end;
    await nextTurn();
  }
  return { count, exact: false };
}

/** Creates (or, on `dryRun`, counts) the runs of a backfill; 400 BACKFILL_TOO_LARGE beyond BACKFILL_MAX. */
export async function backfill(
  ctx: AppContext,
  orgId: string,
  automationId: string,
  input: BackfillInput,
): Promise<BackfillResult> {
  const automation = await loadAutomation(ctx, orgId, automationId);
  const survey = await getSurvey(ctx, orgId, automation.survey_id);
  const scope: store.BackfillScope = {
    orgId,
    surveyId: survey.id,
    automationId: automation.id,
    ...periodOf(input),
    onlyMissing: input.onlyMissing ?? true,
  };
  const { count, exact } = await countBackfill(ctx, scope);
  if (count > BACKFILL_MAX) {
    // Counting stops soon after the limit: a bigger survey is not read to the end just to say how big.
    const message = `${exact ? '' : 'At least '}${count} responses are in the period; at most ${BACKFILL_MAX} are sent at a time (choose a shorter period).`;
    throw new AppError('BACKFILL_TOO_LARGE', message, [
      { field: 'from', message, count, countIsExact: exact, max: BACKFILL_MAX },
    ]);
  }
  if (input.dryRun) return { dryRun: true, wouldCreate: count };

  const enabled = automation.enabled === 1;
  let created = 0;
  let windowStart: string | null = null;
  // Bounded by the count taken above; responses completed meanwhile are taken too, up to the limit.
  while (created < BACKFILL_MAX) {
    const end = await store.windowEnd(ctx.db, scope, windowStart, WINDOW);
    let afterId = windowStart;
    while (created < BACKFILL_MAX) {
      const limit = Math.min(BACKFILL_BATCH, BACKFILL_MAX - created);
      const batch = await ctx.queue.makeDue(async (trx, due) => {
        const rows = await store.backfillBatch(trx, ctx.engine, scope, afterId, end, limit);
        if (rows.length === 0) return { n: 0, last: null };
        const now = ctx.clock.now();
        const built = rows.map((r) => newRun(automation, survey, toCompleted(r), now, 'backfill'));
        await insertRows(
          trx,
          'runs',
          built.map((b) => b.run),
        );
        await insertRows(
          trx,
          'run_messages',
          built.map((b) => b.message),
        );
        if (enabled) due.automations([automation.id]);
        return { n: rows.length, last: rows.at(-1)!.id };
      });
      created += batch.n;
      await nextTurn(); // let waiting requests in before the next statement
      if (batch.last === null || batch.n < limit) break;
      afterId = batch.last;
    }
    if (end === null) break;
    windowStart = end;
  }
  const runs = created === 1 ? 'run' : 'runs';
  return {
    dryRun: false,
    created,
    automationEnabled: enabled,
    message: enabled
      ? `${created} ${runs} created and due now.`
      : `${created} ${runs} created; the automation is disabled, so they will be sent when it is enabled again.`,
  };
}

/** One run (origin `manual`) of `automationId`, which must be an automation of this survey, for one response. */
export async function sendResponse(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  responseId: string,
  automationId: string,
) {
  const survey = await getSurvey(ctx, orgId, surveyId);
  const automation = await findAutomation(ctx.db, orgId, automationId);
  if (!automation) {
    throw new AppError('NOT_FOUND', 'Automation not found.', [
      { field: 'automationId', message: 'no such automation' },
    ]);
  }
  if (automation.survey_id !== survey.id) {
    throw invalidField('automationId', 'is an automation of another survey');
  }
  const run = await ctx.queue.makeDue(async (trx, due) => {
    const row = await store.findResponseForSend(trx, ctx.engine, orgId, survey.id, responseId);
    if (!row) throw notFound('Response not found.');
    const { run, message } = newRun(automation, survey, toCompleted(row), ctx.clock.now(), 'manual');
    await insertRows(trx, 'runs', [run]);
    await insertRows(trx, 'run_messages', [message]);
    if (automation.enabled === 1)
      due.offer([{ id: run.id, automationId: automation.id, body: message.body }]);
    return run;
  });
  return {
    run: toRunSummary({
      id: run.id,
      automation_id: run.automation_id,
      response_id: run.response_id,
      name: run.name,
      email: run.email ?? null,
      status: run.status,
      status_changed_at: run.status_changed_at,
      created_at: run.created_at,
      push_url: run.push_url,
      attempts: run.attempts,
      next_attempt_at: run.next_attempt_at ?? null,
      origin: 'manual',
    }),
  };
}
