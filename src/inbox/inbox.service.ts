// The request inbox: receiver endpoints inside Svarbud (POST /api/v1/inbox/<token>) that record what
// arrives — method, headers without cookies, body, time and the Standard Webhooks verification status —
// for the organization to read in the UI. The demo's automation posts here, so it works out of the box.
import { toIso } from '../clock.js';
import { MINUTE } from '../config.js';
import type { AppContext } from '../context.js';
import { utf8Excerpt } from '../delivery/http-sender.js';
import { signingSecretsOf } from '../delivery/delivery-settings.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { notFound } from '../http/errors.js';
import { hitRateLimit, type RateLimitRule } from '../http/rate-limit.js';
import { newId, randomToken } from '../ids.js';
import * as store from './inbox.store.js';
import { INBOX_PATH } from './self-targets.js';
import { verifyDelivery, type Verification, type VerifyCandidate } from './inbox.verify.js';

/** Requests kept per inbox; older ones are deleted when a new one arrives. */
export const MAX_REQUESTS_PER_INBOX = 500;
/** Bytes of a body kept (verification always sees the whole body). */
export const MAX_STORED_BODY_BYTES = 64 * 1024;
/** Requests per inbox per minute. */
export const INBOX_RATE: RateLimitRule = { limit: 600, windowMs: MINUTE };
/** Requests to unknown tokens per client address per minute. */
export const UNKNOWN_TOKEN_RATE: RateLimitRule = { limit: 60, windowMs: MINUTE };

export interface InboxApi {
  id: string;
  name: string;
  url: string;
  createdAt: string;
}

export interface InboxRequestApi {
  id: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  bodyBytes: number;
  bodyTruncated: boolean;
  verification: Verification;
  automationId: string | null;
  receivedAt: string;
}

export function inboxUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}${INBOX_PATH}${token}`;
}

function toInboxApi(ctx: AppContext, row: store.InboxRow): InboxApi {
  return {
    id: row.id,
    name: row.name,
    url: inboxUrl(ctx.config.publicUrl, row.token),
    createdAt: toIso(row.created_at),
  };
}

function toRequestApi(row: store.InboxRequestRow): InboxRequestApi {
  return {
    id: row.id,
    method: row.method,
    headers: JSON.parse(row.headers) as Record<string, string>,
    body: row.body,
    bodyBytes: row.body_bytes,
    bodyTruncated: row.body_truncated === 1,
    verification: row.verification as Verification,
    automationId: row.automation_id,
    receivedAt: toIso(Number(row.received_at)),
  };
}

/** Creates an inbox of the organization (the default one when `isDefault`). */
export async function createInbox(
  ctx: AppContext,
  orgId: string,
  name = 'Inbox',
  isDefault = false,
): Promise<store.InboxRow> {
  const now = ctx.clock.now();
  const row: store.InboxRow = {
    id: newId('inb', now),
    org_id: orgId,
    token: randomToken(32), // 256 bits
    name,
    is_default: isDefault ? 1 : 0,
    created_at: now,
  };
  await store.insertInbox(ctx.db, row);
  return row;
}

/** The organization's default inbox, created on first use. */
export async function defaultInbox(ctx: AppContext, orgId: string): Promise<store.InboxRow> {
  const find = async () => (await store.listInboxes(ctx.db, orgId)).find((r) => r.is_default === 1);
  const existing = await find();
  if (existing) return existing;
  await createInbox(ctx, orgId, 'Inbox', true);
  // A concurrent first use may have won the insert; either way exactly one default exists now.
  const created = await find();
  if (!created) throw new Error('the default inbox was not created');
  return created;
}

export async function listInboxes(ctx: AppContext, orgId: string): Promise<InboxApi[]> {
  await defaultInbox(ctx, orgId);
  return (await store.listInboxes(ctx.db, orgId)).map((row) => toInboxApi(ctx, row));
}

export async function addInbox(ctx: AppContext, orgId: string, name: string): Promise<InboxApi> {
  await defaultInbox(ctx, orgId);
  return toInboxApi(ctx, await createInbox(ctx, orgId, name));
}

async function loadInbox(ctx: AppContext, orgId: string, id: string): Promise<store.InboxRow> {
  const row = await store.findInbox(ctx.db, orgId, id);
  if (!row) throw notFound('Inbox not found.');
  return row;
}

export async function listRequests(
  ctx: AppContext,
  orgId: string,
  inboxId: string,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: InboxRequestApi[]; nextCursor: string | null }> {
  const inbox = await loadInbox(ctx, orgId, inboxId);
  // Request ids grow with time, so the position's id alone orders the list.
  const rows = await store.listRequests(ctx.db, inbox.id, limit + 1, decodeCursor(cursor)?.id ?? null);
  const page = await reverifyUnmatched(ctx, inbox, rows.slice(0, limit));
  const last = page[page.length - 1];
  return {
    items: page.map(toRequestApi),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ createdAt: Number(last.received_at), id: last.id }) : null,
  };
}

/**
 * A connection test from the wizard is signed with the secret of an automation that does not exist yet;
 * once that automation is created (pointing here), the signed requests it did not match are checked
 * again, as of their arrival, and the ones its secrets sign are recorded as valid.
 */
async function reverifyUnmatched(
  ctx: AppContext,
  inbox: store.InboxRow,
  rows: store.InboxRequestRow[],
): Promise<store.InboxRequestRow[]> {
  const retry = (r: store.InboxRequestRow) =>
    (r.verification === 'no_matching_automation' || r.verification === 'invalid') && r.body_truncated === 0;
  if (!rows.some(retry)) return rows;
  const candidates = await candidatesFor(ctx, inbox.org_id, inbox.token, ctx.clock.now());
  if (candidates.length === 0) return rows;
  return Promise.all(
    rows.map(async (row) => {
      if (!retry(row)) return row;
      const headers = JSON.parse(row.headers) as Record<string, string>;
      const body = Buffer.from(row.body, 'utf8');
      const result = verifyDelivery(headers, body, candidates, Number(row.received_at));
      if (result.verification !== 'valid') return row;
      await store.updateVerification(ctx.db, row.id, result.verification, result.automationId);
      return { ...row, verification: result.verification, automation_id: result.automationId };
    }),
  );
}

export async function deleteRequest(ctx: AppContext, orgId: string, inboxId: string, id: string) {
  const inbox = await loadInbox(ctx, orgId, inboxId);
  if (!(await store.deleteRequest(ctx.db, inbox.id, id))) throw notFound('Request not found.');
}

export async function clearRequests(ctx: AppContext, orgId: string, inboxId: string): Promise<void> {
  const inbox = await loadInbox(ctx, orgId, inboxId);
  await store.clearRequests(ctx.db, inbox.id);
}

/** The organization's automations posting to the inbox with `token`, with their signing secrets now. */
async function candidatesFor(
  ctx: AppContext,
  orgId: string,
  token: string,
  now: number,
): Promise<VerifyCandidate[]> {
  const suffix = `${INBOX_PATH}${token}`;
  const out: VerifyCandidate[] = [];
  for (const row of await store.automationSecrets(ctx.db, orgId)) {
    let path: string;
    try {
      path = new URL(row.url).pathname;
    } catch {
      continue;
    }
    if (!path.endsWith(suffix)) continue;
    try {
      out.push({ automationId: row.id, secrets: signingSecretsOf(row, ctx.secretKey, now) });
    } catch (err) {
      ctx.log.warn({ err, automationId: row.id }, 'inbox: a signing secret could not be decrypted');
    }
  }
  return out;
}

export interface IncomingRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  clientAddress: string;
}

/** Records one request at the inbox with `token`; 404 for an unknown token. */
export async function receive(ctx: AppContext, token: string, request: IncomingRequest): Promise<void> {
  const now = ctx.clock.now();
  const inbox = await store.findInboxByToken(ctx.db, token);
  if (!inbox) {
    await hitRateLimit(ctx.db, `inbox-unknown:ip:${request.clientAddress}`, UNKNOWN_TOKEN_RATE, now);
    throw notFound('Inbox not found.');
  }
  await hitRateLimit(ctx.db, `inbox:${inbox.id}`, INBOX_RATE, now);
  const candidates = await candidatesFor(ctx, inbox.org_id, token, now);
  const result = verifyDelivery(request.headers, request.body, candidates, now);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || lower === 'cookie') continue;
    headers[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  const bytes = Buffer.from(request.body);
  const truncated = bytes.length > MAX_STORED_BODY_BYTES;
  await store.insertRequest(
    ctx.db,
    {
      id: newId('ireq', now),
      inbox_id: inbox.id,
      org_id: inbox.org_id,
      method: request.method,
      headers: JSON.stringify(headers),
      // PostgreSQL text cannot hold U+0000.
      body: utf8Excerpt(bytes, MAX_STORED_BODY_BYTES).replaceAll('\u0000', '\uFFFD'),
      body_bytes: bytes.length,
      body_truncated: truncated ? 1 : 0,
      verification: result.verification,
      automation_id: result.automationId,
      received_at: now,
    },
    MAX_REQUESTS_PER_INBOX,
  );
}
