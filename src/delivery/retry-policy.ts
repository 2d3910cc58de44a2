// The retry policy: when the next attempt of a run happens, and how an attempt's result ends the run.
// Pure functions of their arguments (time and randomness are passed in), so the dispatcher stays simple
// and the rules are property-tested.
import { HOUR } from '../config.js';
import type { FailureCode } from './failure-hints.js';

/** Jitter spreads retries of many runs that failed together: each delay is moved by up to ±20 %. */
export const JITTER = 0.2;
/** The longest `Retry-After` we honour. */
export const MAX_RETRY_AFTER_MS = HOUR;

/**
 * Delay in ms to wait before attempt `attemptNumber` (1-based) after the previous one, with ±20 % jitter
 * (always within [0.8, 1.2] × the scheduled delay); 0 for attempt 1 (a run is due when it is created);
 * null when the schedule has no such attempt. `random` returns a number in [0, 1), like Math.random.
 */
export function delayBeforeAttempt(
  attemptNumber: number,
  scheduleMs: readonly number[],
  random: () => number,
): number | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError(`attemptNumber must be an integer ≥ 1, got ${attemptNumber}`);
  }
  if (attemptNumber > scheduleMs.length) return null;
  if (attemptNumber === 1) return 0;
  const base = scheduleMs[attemptNumber - 1]!;
  const factor = 1 + (2 * random() - 1) * JITTER;
  const low = Math.ceil(base * (1 - JITTER));
  const high = Math.floor(base * (1 + JITTER));
  return Math.min(high, Math.max(low, Math.round(base * factor)));
}

/**
 * The wait a `Retry-After` header asks for, in ms (delta-seconds or an HTTP-date relative to `nowMs`),
 * between 0 and 1 hour; null when the header is missing or not understood.
 */
export function parseRetryAfter(
  headerValue: string | readonly string[] | null | undefined,
  nowMs: number,
): number | null {
  const raw = typeof headerValue === 'string' ? headerValue : headerValue?.[0];
  if (raw === undefined) return null;
  const text = raw.trim();
  if (text === '') return null;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    // HTTP-dates name a weekday or month; anything purely numeric-ish (e.g. "-5", "1.5") is not one.
    if (!/[a-z]/i.test(text)) return null;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - nowMs;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

export interface AttemptFacts {
  /** The HTTP status of the response, or null when there was none. */
  statusCode: number | null;
  /** Why the attempt failed, or null when it got a 2xx. */
  error: { code: FailureCode } | null;
  /** The attempt that just ended (1-based). */
  attemptNumber: number;
  scheduleMs: readonly number[];
  /** From the response's Retry-After header (see parseRetryAfter), if any. */
  retryAfterMs?: number | null;
  now: number;
  random: () => number;
}

export type Outcome =
  { kind: 'succeeded' } | { kind: 'retry'; at: number } | { kind: 'failed' } | { kind: 'gone' };

/**
 * How a run continues after an attempt: any 2xx → succeeded; 410 → gone (fail now, disable the
 * automation); any other failure (3xx, 4xx, 5xx, network, blocked, invalid URL) → retry at the next
 * scheduled, jittered time — later if a 429/503 Retry-After (≤ 1 h) asks for more — or failed when the
 * schedule is used up.
 */
export function decideOutcome(facts: AttemptFacts): Outcome {
  const { statusCode } = facts;
  if (facts.error === null && statusCode !== null && statusCode >= 200 && statusCode < 300) {
    return { kind: 'succeeded' };
  }
  if (statusCode === 410) return { kind: 'gone' };
  const delay = delayBeforeAttempt(facts.attemptNumber + 1, facts.scheduleMs, facts.random);
  if (delay === null) return { kind: 'failed' };
  const honoursRetryAfter = statusCode === 429 || statusCode === 503;
  const retryAfter =
    honoursRetryAfter && facts.retryAfterMs != null ? Math.min(facts.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
  return { kind: 'retry', at: facts.now + Math.max(delay, retryAfter) };
}
