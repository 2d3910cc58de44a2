// Sign-up, login, sessions and API keys: the rules, and the one place rows become API objects.
import type { AppContext } from '../context.js';
import { DAY, HOUR, MINUTE } from '../config.js';
import { isUniqueViolation } from '../db/connect.js';
import { AppError, notFound } from '../http/errors.js';
import { hitClientRateLimit, hitRateLimit } from '../http/rate-limit.js';
import { newId, randomToken } from '../ids.js';
import { toIso } from '../clock.js';
import * as store from './accounts.store.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { newApiKey, sha256Hex } from './tokens.js';

export const SESSION_TTL_MS = 30 * DAY;
const LOGIN_WINDOW_MS = 15 * MINUTE;
const SIGNUP_WINDOW_MS = HOUR;

export interface SignedIn {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string };
  /** The cookie value; never stored, only its hash. */
  sessionToken: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Starts a session for the member; returns the cookie value (only its hash is stored). */
export async function startSession(ctx: AppContext, userId: string, orgId: string): Promise<string> {
  const token = randomToken(32);
  const now = ctx.clock.now();
  await store.insertSession(ctx.db, {
    id: sha256Hex(token),
    user_id: userId,
    org_id: orgId,
    csrf_token: randomToken(24),
    created_at: now,
    expires_at: now + SESSION_TTL_MS,
  });
  return token;
}

export async function signUp(
  ctx: AppContext,
  input: { email: string; password: string; name: string; organizationName: string },
  clientAddress: string,
): Promise<SignedIn> {
  if (ctx.config.signup === 'closed') throw new AppError('SIGNUP_CLOSED');
  const now = ctx.clock.now();
  // Before the (deliberately expensive) password hash: each sign-up costs 2^cost × 1 KiB of memory.
  await hitClientRateLimit(
    ctx.db,
    'signup',
    clientAddress,
    { limit: ctx.config.signupsPerHour, windowMs: SIGNUP_WINDOW_MS },
    now,
  );
  const org = { id: newId('org', now), name: input.organizationName.trim(), created_at: now };
  const user = {
    id: newId('usr', now),
    org_id: org.id,
    email: normalizeEmail(input.email),
    name: input.name.trim(),
    password_hash: await hashPassword(input.password, ctx.config.passwordHashCost),
    created_at: now,
  };
  try {
    await store.insertOrganizationWithUser(ctx.db, org, user);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('EMAIL_TAKEN', undefined, [{ field: 'email', message: 'already registered' }]);
    }
    throw err;
  }
  const sessionToken = await startSession(ctx, user.id, org.id);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organization: { id: org.id, name: org.name },
    sessionToken,
  };
}

// Verifying against a real hash when the e-mail is unknown keeps both paths equally slow.
let dummyHash: Promise<string> | null = null;

export async function logIn(
  ctx: AppContext,
  input: { email: string; password: string },
  clientAddress: string,
): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  const now = ctx.clock.now();
  const rule = { limit: ctx.config.loginAttemptsPerWindow, windowMs: LOGIN_WINDOW_MS };
  await hitRateLimit(ctx.db, `login:email:${email}`, rule, now);
  await hitRateLimit(ctx.db, `login:ip:${clientAddress}`, { ...rule, limit: rule.limit * 5 }, now);
  const user = await store.findUserByEmail(ctx.db, email);
  if (!user) {
    dummyHash ??= hashPassword('not-a-real-password', ctx.config.passwordHashCost);
    await verifyPassword(input.password, await dummyHash);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!(await verifyPassword(input.password, user.password_hash))) throw new AppError('INVALID_CREDENTIALS');
  const org = await store.findOrganization(ctx.db, user.org_id);
  if (!org) throw new AppError('INVALID_CREDENTIALS');
  const sessionToken = await startSession(ctx, user.id, org.id);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organization: { id: org.id, name: org.name },
    sessionToken,
  };
}

export async function logOut(ctx: AppContext, sessionId: string): Promise<void> {
  await store.deleteSession(ctx.db, sessionId);
}

export async function describeCaller(ctx: AppContext, orgId: string, userId: string | null) {
  const org = await store.findOrganization(ctx.db, orgId);
  if (!org) throw new AppError('UNAUTHENTICATED');
  const user = userId ? await store.findUser(ctx.db, userId) : undefined;
  return {
    user: user ? { id: user.id, email: user.email, name: user.name } : null,
    organization: { id: org.id, name: org.name },
  };
}

export async function createApiKey(ctx: AppContext, orgId: string, userId: string | null, name: string) {
  const key = newApiKey();
  const now = ctx.clock.now();
  const row = {
    id: newId('key', now),
    org_id: orgId,
    name: name.trim(),
    key_hash: sha256Hex(key),
    key_prefix: key.slice(0, 10),
    created_by: userId,
    created_at: now,
    last_used_at: null,
  };
  await store.insertApiKey(ctx.db, row);
  return { id: row.id, name: row.name, key, prefix: row.key_prefix, createdAt: toIso(now) };
}

export async function listApiKeys(ctx: AppContext, orgId: string) {
  const rows = await store.listApiKeys(ctx.db, orgId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.key_prefix,
    createdAt: toIso(r.created_at),
    lastUsedAt: r.last_used_at === null ? null : toIso(r.last_used_at),
  }));
}

export async function deleteApiKey(ctx: AppContext, orgId: string, id: string): Promise<void> {
  if (!(await store.deleteApiKey(ctx.db, orgId, id))) throw notFound('API key not found.');
}
