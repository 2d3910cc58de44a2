// SQL for responses. Ids sort by arrival, so "order by id" pages through a survey's responses
// on the (survey_id, id) index without ever holding a cursor open.
import type { Db } from '../db/connect.js';
import type { ResponsesTable } from '../db/schema.js';

export type ResponseRow = ResponsesTable;

export async function insertResponse(db: Db, row: ResponsesTable): Promise<void> {
  await db.insertInto('responses').values(row).execute();
}

/** True when an insert failed because the survey (or organization) it points to is gone. */
export function isMissingParent(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Up to `limit` responses of a survey, newest first, those before `beforeId` when given. */
export function listResponsesNewestFirst(
  db: Db,
  orgId: string,
  surveyId: string,
  limit: number,
  beforeId: string | null,
): Promise<ResponseRow[]> {
  let query = db
    .selectFrom('responses')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .where('org_id', '=', orgId);
  if (beforeId !== null) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** The next `limit` responses of a survey after `afterId`, oldest first (one short query per batch). */
export function listResponsesOldestFirst(
  db: Db,
  orgId: string,
  surveyId: string,
  limit: number,
  afterId: string | null,
): Promise<ResponseRow[]> {
  let query = db
    .selectFrom('responses')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .where('org_id', '=', orgId);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.orderBy('id', 'asc').limit(limit).execute();
}
