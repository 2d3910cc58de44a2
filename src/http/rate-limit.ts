// Fixed-window rate limits kept in the database, so every process behind a load balancer shares them.
import type { Db } from '../db/connect.js';
import { AppError } from './errors.js';

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Counts one hit for `key` and throws 429 RATE_LIMITED (with Retry-After) when the window's
 * allowance is used up. One upsert per call; the counter resets when its window has passed.
 */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule, now: number): Promise<void> {
  const windowStart = now - (now % rule.windowMs);
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        count: eb
          .case()
          .when('rate_limits.window_start', '=', windowStart)
          .then(eb('rate_limits.count', '+', 1))
          .else(1)
          .end(),
        window_start: windowStart,
      })),
    )
    .returning(['count'])
    .executeTakeFirstOrThrow();
  if (Number(row.count) > rule.limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000));
    throw new AppError('RATE_LIMITED', undefined, [], { 'retry-after': String(retryAfter) });
  }
}

/**
 * The part of a client address one person controls: an IPv4 address, or an IPv6 /64 (a single host
 * usually gets a whole /64 and may rotate through it). IPv4-mapped IPv6 counts as the IPv4 address.
 */
export function clientKey(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1]!;
  if (!a.includes(':')) return a;
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Counts one `action` (sign-up, invitation …) by the client at `clientAddress` and throws 429
 * RATE_LIMITED with Retry-After past the rule's allowance. Shared by every process (the database).
 */
export async function hitClientRateLimit(
  db: Db,
  action: string,
  clientAddress: string,
  rule: RateLimitRule,
  now: number,
): Promise<void> {
  await hitRateLimit(db, `${action}:ip:${clientKey(clientAddress)}`, rule, now);
}

/** Old windows are useless; the sweeper removes them. */
export async function deleteStaleRateLimits(db: Db, before: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
}
