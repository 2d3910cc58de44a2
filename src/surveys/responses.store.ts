// SQL for responses. Ids sort by arrival, so "order by id" pages through a survey's responses
// on the (survey_id, id) index without ever holding a cursor open.
import type { Db } from '../db/connect.js';
import { insertRows } from '../db/raw-insert.js';
import type { ResponsesTable } from '../db/schema.js';

export type ResponseRow = ResponsesTable;

export async function insertResponse(db: Db, row: ResponsesTable): Promise<void> {
  await insertRows(db, 'responses', [row]);
}

/** True when an insert failed because the survey (or organization) it points to is gone. */
export function isMissingParent(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Up to `limit` responses of a survey in id (= creation) order — newest first or oldest first — starting
 * after the response `afterId` in that order when given (one short keyset query per page or batch).
 */
export function listResponsesInOrder(
  db: Db,
  orgId: string,
  surveyId: string,
  order: 'newest' | 'oldest',
  limit: number,
  afterId: string | null,
): Promise<ResponseRow[]> {
  let query = db
    .selectFrom('responses')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .where('org_id', '=', orgId);
  if (afterId !== null) query = query.where('id', order === 'newest' ? '<' : '>', afterId);
  return query
    .orderBy('id', order === 'newest' ? 'desc' : 'asc')
    .limit(limit)
    .execute();
}
