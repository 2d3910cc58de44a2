// SQL for members and invitations (teams, SPEC §12).
import type { Db, Engine } from '../db/connect.js';
import { lockingForUpdate } from '../db/dialect.js';
import type { InvitationsTable, UsersTable } from '../db/schema.js';

export type InvitationRow = InvitationsTable;

export function listMembers(db: Db, orgId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Deletes a member unless it is the organization's last one: `removed`, `last` or `not_found`. The org's
 * member rows are locked first (in id order), so two members removing each other at once cannot leave
 * none. The member's sessions go with it (foreign key cascade): its cookies stop working at once.
 */
export async function deleteMember(
  db: Db,
  engine: Engine,
  orgId: string,
  userId: string,
): Promise<'removed' | 'last' | 'not_found'> {
  return db.transaction().execute(async (trx) => {
    const members = await lockingForUpdate(
      engine,
      trx.selectFrom('users').select('id').where('org_id', '=', orgId).orderBy('id'),
    ).execute();
    if (!members.some((m) => m.id === userId)) return 'not_found';
    if (members.length === 1) return 'last';
    await trx.deleteFrom('users').where('id', '=', userId).where('org_id', '=', orgId).execute();
    return 'removed';
  });
}

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').select(['id', 'org_id']).where('email', '=', email).executeTakeFirst();
}

/** Pending invitations of an organization (not accepted, not expired), newest first, with who sent them. */
export function listPendingInvitations(db: Db, orgId: string, now: number) {
  return db
    .selectFrom('invitations as i')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select([
      'i.id',
      'i.email',
      'i.language',
      'i.created_at',
      'i.expires_at',
      'i.invited_by',
      'u.name as inviter_name',
    ])
    .where('i.org_id', '=', orgId)
    .where('i.accepted_at', 'is', null)
    .where('i.expires_at', '>', now)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .execute();
}

/** Replaces any invitation of the same address that is not accepted yet (its link stops working). */
export async function replaceInvitation(trx: Db, row: InvitationRow): Promise<void> {
  await trx
    .deleteFrom('invitations')
    .where('org_id', '=', row.org_id)
    .where('email', '=', row.email)
    .where('accepted_at', 'is', null)
    .execute();
  await trx.insertInto('invitations').values(row).execute();
}

export async function deleteInvitation(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('invitations')
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The pending invitation with this token hash; locked for the transaction when `lock` (accepting it). */
export function findPendingInvitation(db: Db, engine: Engine, tokenHash: string, now: number, lock = false) {
  const q = db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now);
  return (lock ? lockingForUpdate(engine, q) : q).executeTakeFirst();
}

/** Creates the member and uses up the invitation, in the caller's transaction. */
export async function acceptInvitation(
  trx: Db,
  invitationId: string,
  user: UsersTable,
  now: number,
): Promise<void> {
  await trx.insertInto('users').values(user).execute();
  await trx
    .updateTable('invitations')
    .set({ accepted_at: now, accepted_by: user.id })
    .where('id', '=', invitationId)
    .execute();
}

/** Invitations that expired before `before` (accepted ones included): the sweeper's, kept for a while. */
export async function deleteOldInvitations(db: Db, before: number): Promise<number> {
  const r = await db.deleteFrom('invitations').where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
