// SQL for organizations, members, sessions and API keys.
import type { Db } from '../db/connect.js';
import { hotSql } from '../db/hot-sql.js';
import type { ApiKeysTable, OrganizationsTable, SessionsTable, UsersTable } from '../db/schema.js';

export async function insertOrganizationWithUser(
  db: Db,
  org: OrganizationsTable,
  user: UsersTable,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('organizations').values(org).execute();
    await trx.insertInto('users').values(user).execute();
  });
}

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findOrganization(db: Db, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUser(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function countOrganizations(db: Db) {
  return db
    .selectFrom('organizations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export async function insertSession(db: Db, session: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export function findSession(db: Db, id: string, now: number) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function insertApiKey(db: Db, key: ApiKeysTable): Promise<void> {
  await db.insertInto('api_keys').values(key).execute();
}

export function listApiKeys(db: Db, orgId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'key_prefix', 'created_at', 'last_used_at'])
    .where('org_id', '=', orgId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeysTable | undefined> {
  // Every API request asks this: compiled once (see db/hot-sql.ts).
  const { rows } = await hotSql<ApiKeysTable>(db)`select * from api_keys where key_hash = ${keyHash}`;
  return rows[0];
}

export const API_KEY_TOUCH_INTERVAL_MS = 60_000;

/** Records use at most once a minute per key, so busy integrations do not write on every request. */
export async function touchApiKey(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - API_KEY_TOUCH_INTERVAL_MS)]),
    )
    .execute();
}

export async function deleteApiKey(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('api_keys')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
