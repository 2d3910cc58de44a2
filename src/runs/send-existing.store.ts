// SQL of sending existing responses (SPEC §12): which responses of a survey a backfill takes (completed in
// a period; optionally only those the automation has no run for), counted and read window by window of
// response ids, each batch share-locked in the caller's transaction so an erasure waits for its runs
// (erasure.store.ts), and one response for a manual send.
import { sql, type SqlBool } from 'kysely';
import type { Db, Engine } from '../db/connect.js';
import { lockingForShare } from '../db/dialect.js';
import type { ResponsesTable } from '../db/schema.js';

export interface BackfillScope {
  orgId: string;
  surveyId: string;
  automationId: string;
  /** Completion time, inclusive (epoch ms). */
  from?: number | undefined;
  /** Completion time, exclusive (epoch ms). */
  to?: number | undefined;
  /** Only responses the automation has no run for. */
  onlyMissing: boolean;
}

function scoped(db: Db, s: BackfillScope) {
  let q = db.selectFrom('responses').where('survey_id', '=', s.surveyId).where('org_id', '=', s.orgId);
  if (s.from !== undefined) q = q.where('completed_at', '>=', s.from);
  if (s.to !== undefined) q = q.where('completed_at', '<', s.to);
  if (s.onlyMissing) {
    q = q.where(
      sql<SqlBool>`not exists (select 1 from runs r where r.response_id = responses.id and r.automation_id = ${s.automationId})`,
    );
  }
  return q;
}

/**
 * Where a window of the survey's responses after `afterId` ends: the id of the `size`-th response in id
 * order (whether the backfill takes it or not), or null when fewer are left. Counting and creating walk the
 * survey window by window, so no statement reads more than `size` responses, however few of them match.
 */
export async function windowEnd(
  db: Db,
  s: Pick<BackfillScope, 'orgId' | 'surveyId'>,
  afterId: string | null,
  size: number,
): Promise<string | null> {
  let q = db
    .selectFrom('responses')
    .select('id')
    .where('survey_id', '=', s.surveyId)
    .where('org_id', '=', s.orgId);
  if (afterId !== null) q = q.where('id', '>', afterId);
  const row = await q
    .orderBy('id')
    .limit(1)
    .offset(size - 1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** How many responses in the window (`afterId`, `end`] the backfill takes (`end` null: to the last). */
export async function countInWindow(
  db: Db,
  s: BackfillScope,
  afterId: string | null,
  end: string | null,
): Promise<number> {
  let q = scoped(db, s);
  if (afterId !== null) q = q.where('responses.id', '>', afterId);
  if (end !== null) q = q.where('responses.id', '<=', end);
  const row = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The next `limit` responses the backfill takes after `afterId` up to `end` (null: to the last), in id
 * order, share-locked in the caller's transaction.
 */
export function backfillBatch(
  trx: Db,
  engine: Engine,
  s: BackfillScope,
  afterId: string | null,
  end: string | null,
  limit: number,
): Promise<ResponsesTable[]> {
  let q = scoped(trx, s).selectAll('responses');
  if (afterId !== null) q = q.where('responses.id', '>', afterId);
  if (end !== null) q = q.where('responses.id', '<=', end);
  return lockingForShare(engine, q.orderBy('responses.id').limit(limit)).execute();
}

/** One response of the survey (share-locked in the caller's transaction), or undefined. */
export function findResponseForSend(
  trx: Db,
  engine: Engine,
  orgId: string,
  surveyId: string,
  responseId: string,
): Promise<ResponsesTable | undefined> {
  return lockingForShare(
    engine,
    trx
      .selectFrom('responses')
      .selectAll()
      .where('id', '=', responseId)
      .where('survey_id', '=', surveyId)
      .where('org_id', '=', orgId),
  ).executeTakeFirst();
}
