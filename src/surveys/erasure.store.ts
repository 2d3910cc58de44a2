// SQL of erasure (SPEC §12): responses, their runs (messages, attempt logs and search entries go with
// them: foreign keys cascade, the SQLite trigram index is kept by triggers, PostgreSQL's trigram index by
// the rows themselves) and the built-in inbox's copies of their deliveries, in the caller's transaction.
//
// Order matters on PostgreSQL: the responses go first. A backfill or manual send share-locks the responses
// it creates runs for (dialect.lockingForShare), so the delete waits for it to commit; the runs delete
// after it is a new statement whose snapshot sees those runs too. A run in flight is fenced out by itself:
// recording its attempt updates the run by lease token, and a deleted run updates nothing (run-queue.ts).
import { sql, type SqlBool } from 'kysely';
import type { Db, Engine } from '../db/connect.js';
import { idsSource, jsonTextField } from '../db/dialect.js';

/** Which responses an erasure takes: one response of a survey, or every response of one e-mail. */
export type ErasureTarget = { surveyId: string; responseId: string } | { email: string };

/** Ids are deleted in chunks of this many (bounded statements whatever a respondent has answered). */
const CHUNK = 1000;

export interface Erased {
  responses: number;
  runs: number;
}

/** Deletes the target's responses of organization `orgId` and all that came of them. */
export async function eraseResponses(
  trx: Db,
  engine: Engine,
  orgId: string,
  target: ErasureTarget,
): Promise<Erased> {
  let q = trx.deleteFrom('responses').where('org_id', '=', orgId);
  q =
    'email' in target
      ? q.where(sql<string>`lower(email)`, '=', target.email.toLowerCase())
      : q.where('id', '=', target.responseId).where('survey_id', '=', target.surveyId);
  const responseIds = (await q.returning('id').execute()).map((r) => r.id);
  let runs = 0;
  for (let i = 0; i < responseIds.length; i += CHUNK) {
    const chunk = responseIds.slice(i, i + CHUNK);
    const runIds = (
      await trx
        .deleteFrom('runs')
        .where('org_id', '=', orgId)
        .where(sql<SqlBool>`response_id in (${idsSource(engine, chunk)})`)
        .returning('id')
        .execute()
    ).map((r) => r.id);
    runs += runIds.length;
    if (runIds.length > 0) await eraseInboxCopies(trx, engine, orgId, runIds);
  }
  return { responses: responseIds.length, runs };
}

/** Requests the organization's own inboxes received for these runs (their bodies are the messages). */
async function eraseInboxCopies(trx: Db, engine: Engine, orgId: string, runIds: string[]): Promise<void> {
  await trx
    .deleteFrom('inbox_requests')
    .where('org_id', '=', orgId)
    .where(sql<SqlBool>`${jsonTextField(engine, 'headers', 'webhook-id')} in (${idsSource(engine, runIds)})`)
    .execute();
}
