// SQL for the request inbox.
import type { Db } from '../db/connect.js';
import type { InboxRequestsTable, RequestInboxesTable } from '../db/schema.js';

export type InboxRow = RequestInboxesTable;
export type InboxRequestRow = InboxRequestsTable;

export function listInboxes(db: Db, orgId: string) {
  return db
    .selectFrom('request_inboxes')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('is_default', 'desc')
    .orderBy('id')
    .execute();
}

/** Inserts an inbox; a second default of the same organization (a concurrent lazy creation) is ignored. */
export async function insertInbox(db: Db, row: InboxRow): Promise<void> {
  await db
    .insertInto('request_inboxes')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function findInbox(db: Db, orgId: string, id: string) {
  return db
    .selectFrom('request_inboxes')
    .selectAll()
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

export function findInboxByToken(db: Db, token: string) {
  return db.selectFrom('request_inboxes').selectAll().where('token', '=', token).executeTakeFirst();
}

/** The organization's automations with their secrets, to find those posting to an inbox. */
export function automationSecrets(db: Db, orgId: string) {
  return db
    .selectFrom('automations')
    .select(['id', 'url', 'secret_enc', 'earlier_secrets'])
    .where('org_id', '=', orgId)
    .orderBy('id')
    .execute();
}

/** Records a request and keeps only the newest `keep` of its inbox. */
export async function insertRequest(db: Db, row: InboxRequestRow, keep: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('inbox_requests').values(row).execute();
    const oldestDropped = await trx
      .selectFrom('inbox_requests')
      .select('id')
      .where('inbox_id', '=', row.inbox_id)
      .orderBy('id', 'desc')
      .offset(keep)
      .limit(1)
      .executeTakeFirst();
    if (oldestDropped) {
      await trx
        .deleteFrom('inbox_requests')
        .where('inbox_id', '=', row.inbox_id)
        .where('id', '<=', oldestDropped.id)
        .execute();
    }
  });
}

/** Newest first; `before` is the id of the last item of the previous page. */
export function listRequests(db: Db, inboxId: string, limit: number, before: string | null) {
  let q = db.selectFrom('inbox_requests').selectAll().where('inbox_id', '=', inboxId);
  if (before !== null) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export async function updateVerification(
  db: Db,
  id: string,
  verification: string,
  automationId: string | null,
): Promise<void> {
  await db
    .updateTable('inbox_requests')
    .set({ verification, automation_id: automationId })
    .where('id', '=', id)
    .execute();
}

export async function deleteRequest(db: Db, inboxId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('inbox_requests')
    .where('inbox_id', '=', inboxId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function clearRequests(db: Db, inboxId: string): Promise<number> {
  const r = await db.deleteFrom('inbox_requests').where('inbox_id', '=', inboxId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
