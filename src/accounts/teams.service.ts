// Members and invitations (SPEC §12 "Teams"): the rules, the transactions, and rows as API objects.
// An invitation is a single-use link by mail (through the outbox), valid 7 days; only its token's hash is
// kept. Accepting it creates the member in the inviting organization — also with sign-up closed.
import type { AppContext } from '../context.js';
import { DAY, HOUR } from '../config.js';
import { toIso } from '../clock.js';
import { isUniqueViolation } from '../db/connect.js';
import { AppError, notFound } from '../http/errors.js';
import type { Language } from '../http/language.js';
import { hitClientRateLimit, hitRateLimit } from '../http/rate-limit.js';
import { newId, randomToken } from '../ids.js';
import { invitationMail } from '../notifications/mail-templates.js';
import { queueMail } from '../notifications/notifications.store.js';
import { normalizeEmail, startSession, type SignedIn } from './accounts.service.js';
import * as accounts from './accounts.store.js';
import { hashPassword } from './passwords.js';
import * as store from './teams.store.js';
import { sha256Hex } from './tokens.js';

export const INVITATION_TTL_MS = 7 * DAY;

export async function listMembers(ctx: AppContext, orgId: string) {
  const rows = await store.listMembers(ctx.db, orgId);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    createdAt: toIso(Number(r.created_at)),
  }));
}

/** Removes a member (its sessions end with it); 409 LAST_MEMBER for the only one, 404 for another org's. */
export async function removeMember(ctx: AppContext, orgId: string, userId: string): Promise<void> {
  const outcome = await store.deleteMember(ctx.db, ctx.engine, orgId, userId);
  if (outcome === 'not_found') throw notFound('Member not found.');
  if (outcome === 'last') throw new AppError('LAST_MEMBER');
}

function toInvitationApi(r: {
  id: string;
  email: string;
  language: string;
  created_at: number;
  expires_at: number;
  invited_by: string | null;
  inviter_name: string | null;
}) {
  return {
    id: r.id,
    email: r.email,
    language: r.language as Language,
    createdAt: toIso(Number(r.created_at)),
    expiresAt: toIso(Number(r.expires_at)),
    invitedBy: r.invited_by && r.inviter_name !== null ? { id: r.invited_by, name: r.inviter_name } : null,
  };
}

export async function listInvitations(ctx: AppContext, orgId: string) {
  return (await store.listPendingInvitations(ctx.db, orgId, ctx.clock.now())).map(toInvitationApi);
}

/**
 * Invites `email` to the organization: a new single-use link by mail (in `language`), replacing any
 * pending invitation of the same address. 409 when the address already has an account; rate-limited
 * per organization.
 */
export async function invite(
  ctx: AppContext,
  caller: { orgId: string; userId: string | null },
  input: { email: string; language: Language },
) {
  const email = normalizeEmail(input.email);
  const now = ctx.clock.now();
  await hitRateLimit(
    ctx.db,
    `invitations:org:${caller.orgId}`,
    { limit: ctx.config.invitationsPerHour, windowMs: HOUR },
    now,
  );
  const existing = await store.findUserByEmail(ctx.db, email);
  if (existing) {
    const code = existing.org_id === caller.orgId ? 'ALREADY_MEMBER' : 'EMAIL_TAKEN';
    throw new AppError(code, undefined, [{ field: 'email', message: 'already has an account' }]);
  }
  const org = await accounts.findOrganization(ctx.db, caller.orgId);
  if (!org) throw new AppError('UNAUTHENTICATED');
  const inviter = caller.userId ? await accounts.findUser(ctx.db, caller.userId) : undefined;
  const token = randomToken(32);
  const row: store.InvitationRow = {
    id: newId('inv', now),
    org_id: caller.orgId,
    email,
    token_hash: sha256Hex(token),
    language: input.language,
    invited_by: inviter?.id ?? null,
    created_at: now,
    expires_at: now + INVITATION_TTL_MS,
    accepted_at: null,
    accepted_by: null,
  };
  const content = invitationMail({
    publicUrl: ctx.config.publicUrl,
    language: input.language,
    organizationName: org.name,
    inviterName: inviter?.name ?? null,
    token,
    expiresAt: row.expires_at,
  });
  // The invitation and its mail commit together: no invitation without its link on its way.
  await ctx.db.transaction().execute(async (trx) => {
    await store.replaceInvitation(trx, row);
    await queueMail(trx, {
      orgId: caller.orgId,
      automationId: null,
      kind: 'invitation',
      recipients: [email],
      content,
      now,
    });
  });
  return toInvitationApi({ ...row, inviter_name: inviter?.name ?? null });
}

export async function revokeInvitation(ctx: AppContext, orgId: string, id: string): Promise<void> {
  if (!(await store.deleteInvitation(ctx.db, orgId, id))) throw notFound('Invitation not found.');
}

const unknownInvitation = () =>
  notFound('This invitation link is not valid: it was used, withdrawn or has expired. Ask for a new one.');

/**
 * Accepts an invitation: creates the member in the inviting organization and signs it in. 404 for an
 * unknown, used, withdrawn or expired token; 409 EMAIL_TAKEN when the invited address has an account by now.
 */
export async function acceptInvitation(
  ctx: AppContext,
  input: { token: string; name: string; password: string },
  clientAddress: string,
): Promise<SignedIn> {
  const now = ctx.clock.now();
  // Like sign-up: before the (deliberately expensive) password hash.
  await hitClientRateLimit(
    ctx.db,
    'accept-invitation',
    clientAddress,
    { limit: ctx.config.signupsPerHour, windowMs: HOUR },
    now,
  );
  const tokenHash = sha256Hex(input.token);
  if (!(await store.findPendingInvitation(ctx.db, ctx.engine, tokenHash, now))) throw unknownInvitation();
  const passwordHash = await hashPassword(input.password, ctx.config.passwordHashCost);
  const taken = () =>
    new AppError(
      'EMAIL_TAKEN',
      'An account with the invited e-mail already exists: sign in with it instead (an account belongs to one organization).',
    );
  let accepted: { user: { id: string; email: string; name: string }; orgId: string };
  try {
    accepted = await ctx.db.transaction().execute(async (trx) => {
      // Locked and checked again: the link works once, even when it is clicked twice at the same time.
      const invitation = await store.findPendingInvitation(trx, ctx.engine, tokenHash, now, true);
      if (!invitation) throw unknownInvitation();
      if (await store.findUserByEmail(trx, invitation.email)) throw taken();
      const user = {
        id: newId('usr', now),
        org_id: invitation.org_id,
        email: invitation.email,
        name: input.name.trim(),
        password_hash: passwordHash,
        created_at: now,
      };
      await store.acceptInvitation(trx, invitation.id, user, now);
      return { user: { id: user.id, email: user.email, name: user.name }, orgId: invitation.org_id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
  const org = await accounts.findOrganization(ctx.db, accepted.orgId);
  if (!org) throw unknownInvitation();
  const sessionToken = await startSession(ctx, accepted.user.id, org.id);
  return { user: accepted.user, organization: { id: org.id, name: org.name }, sessionToken };
}
