// SQL of sending existing responses (SPEC §12): which responses of a survey a backfill takes (completed in
// a period; optionally only those the automation has no run for), counted up to a bound and read in
// batches by id, each batch share-locked in the caller's transaction so an erasure waits for its runs
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

/** How many responses the backfill takes, counting at most `cap` + 1 (so a huge survey costs the same). */
export async function countBackfill(db: Db, s: BackfillScope, cap: number): Promise<number> {
  const row = await db
    .selectFrom(
      scoped(db, s)
        .select('responses.id')
        .limit(cap + 1)
        .as('taken'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next `limit` responses of the backfill after response `afterId` (id order), share-locked. */
export function backfillBatch(
  trx: Db,
  engine: Engine,
  s: BackfillScope,
  afterId: string | null,
  limit: number,
): Promise<ResponsesTable[]> {
  let q = scoped(trx, s).selectAll('responses');
  if (afterId !== null) q = q.where('responses.id', '>', afterId);
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
