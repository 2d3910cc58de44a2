// Who is calling: an API key (Authorization: Bearer) or a session cookie (with a CSRF token for writes).
// Every /api/v1 route requires one unless its route config says `public: true`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  API_KEY_TOUCH_INTERVAL_MS,
  findApiKeyByHash,
  findSession,
  touchApiKey,
} from '../accounts/accounts.store.js';
import { API_KEY_PREFIX, safeEqual, sha256Hex } from '../accounts/tokens.js';
import type { AppContext } from '../context.js';
import { AppError } from './errors.js';

export const SESSION_COOKIE = 'svarbud_session';

export interface AuthContext {
  orgId: string;
  userId: string | null;
  via: 'session' | 'api_key';
  sessionId: string | null;
  csrfToken: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyContextConfig {
    /** No sign-in needed (sign-up, login, public respondent routes). */
    public?: boolean;
    /** On a public route: a caller who does send a session cookie must send its CSRF token too (logout). */
    csrf?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function resolveAuth(ctx: AppContext, request: FastifyRequest): Promise<AuthContext | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const key = match?.[1];
    if (!key || !key.startsWith(API_KEY_PREFIX))
      throw new AppError('UNAUTHENTICATED', 'The API key is not valid.');
    const hash = sha256Hex(key);
    const row = await findApiKeyByHash(ctx.db, hash);
    // The lookup is by hash; comparing the stored hash again in constant time costs nothing.
    if (!row || !safeEqual(row.key_hash, hash))
      throw new AppError('UNAUTHENTICATED', 'The API key is not valid.');
    const now = ctx.clock.now();
    // Skip the write entirely while the recorded use is recent (the hot path of integrations).
    if (row.last_used_at === null || now - Number(row.last_used_at) >= API_KEY_TOUCH_INTERVAL_MS) {
      await touchApiKey(ctx.db, row.id, now);
    }
    return { orgId: row.org_id, userId: null, via: 'api_key', sessionId: null, csrfToken: null };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const id = sha256Hex(token);
  const session = await findSession(ctx.db, id, ctx.clock.now());
  if (!session) return null;
  return {
    orgId: session.org_id,
    userId: session.user_id,
    via: 'session',
    sessionId: id,
    csrfToken: session.csrf_token,
  };
}

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('auth', null);
  // onRequest: who is calling is settled before the body is validated (401/403 before 400).
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const isPublic = request.routeOptions.config.public === true;
    if (isPublic && request.headers.authorization === undefined && !request.cookies[SESSION_COOKIE]) return;
    const auth = await resolveAuth(ctx, request).catch((err: unknown) => {
      if (isPublic) return null;
      throw err;
    });
    request.auth = auth;
    if (isPublic) {
      if (auth && request.routeOptions.config.csrf === true) checkCsrf(request, auth);
      return;
    }
    if (!auth) throw new AppError('UNAUTHENTICATED');
    checkCsrf(request, auth);
  });
}

/** A cookie request that changes state must carry the session's CSRF token (403 otherwise). */
function checkCsrf(request: FastifyRequest, auth: AuthContext): void {
  if (auth.via !== 'session' || SAFE_METHODS.has(request.method)) return;
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !auth.csrfToken || !safeEqual(sent, auth.csrfToken)) {
    throw new AppError('CSRF_TOKEN_INVALID');
  }
}

/** The caller's auth on a route that is not public (the hook guarantees it is set). */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AppError('UNAUTHENTICATED');
  return request.auth;
}
