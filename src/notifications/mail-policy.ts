// When notification mail goes out: the digest rhythm and the retry schedule of the outbox.
import { DAY, HOUR, MINUTE } from '../config.js';

/** At most one digest per automation in this period. */
export const DIGEST_INTERVAL_MS = HOUR;
/** A digest waits this long after its first failure, so a burst of failures lands in one mail. */
export const DIGEST_GATHER_MS = MINUTE;
/** Delays before the 2nd, 3rd … attempt of one mail; the last one repeats. */
export const MAIL_RETRY_DELAYS_MS = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR] as const;
/** A mail the SMTP server has not taken after this long is given up (and logged). */
export const MAIL_GIVE_UP_AFTER_MS = 3 * DAY;

/**
 * When the pending failures of one automation are mailed: a minute after the first of them, but
 * never sooner than an hour after the previous digest.
 */
export function digestDueAt(firstFailureAt: number, lastDigestAt: number | null): number {
  const gathered = firstFailureAt + DIGEST_GATHER_MS;
  return lastDigestAt === null ? gathered : Math.max(gathered, lastDigestAt + DIGEST_INTERVAL_MS);
}

/**
 * The next attempt of a mail after its `attempts`-th failed one, or null once it has been tried for
 * longer than the give-up period (counted from when it was queued).
 */
export function nextMailAttemptAt(attempts: number, createdAt: number, now: number): number | null {
  if (now - createdAt >= MAIL_GIVE_UP_AFTER_MS) return null;
  const delays = MAIL_RETRY_DELAYS_MS;
  const delay = delays[Math.min(Math.max(attempts, 1), delays.length) - 1]!;
  return now + delay;
}
