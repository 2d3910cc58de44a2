import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../config.js';
import { FAILURE_CODES } from './failure-hints.js';
import { decideOutcome, delayBeforeAttempt, parseRetryAfter, type AttemptFacts } from './retry-policy.js';

const SCHEDULE = [0, 1, 5, 30, 120, 360, 720].map((m) => m * MINUTE);
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const schedule = fc.array(fc.integer({ min: 0, max: 48 * HOUR }), { minLength: 1, maxLength: 50 });

describe('delayBeforeAttempt', () => {
  it('is 0 for the first attempt and null past the schedule', () => {
    expect(delayBeforeAttempt(1, SCHEDULE, () => 0.99)).toBe(0);
    expect(delayBeforeAttempt(8, SCHEDULE, Math.random)).toBeNull();
    expect(() => delayBeforeAttempt(0, SCHEDULE, Math.random)).toThrow(RangeError);
  });

  it('stays within ±20 % of the scheduled delay', () => {
    fc.assert(
      fc.property(schedule, fc.nat(), unit, (delays, pick, r) => {
        const attempt = 2 + (pick % Math.max(1, delays.length - 1));
        const delay = delayBeforeAttempt(attempt, delays, () => r);
        if (attempt > delays.length) {
          expect(delay).toBeNull();
          return;
        }
        const base = delays[attempt - 1]!;
        expect(delay).toBeGreaterThanOrEqual(base * 0.8);
        expect(delay).toBeLessThanOrEqual(base * 1.2);
        expect(Number.isInteger(delay)).toBe(true);
      }),
    );
  });

  it('spreads delays over the whole jitter range', () => {
    expect(delayBeforeAttempt(2, SCHEDULE, () => 0)).toBe(48_000);
    expect(delayBeforeAttempt(2, SCHEDULE, () => 0.5)).toBe(60_000);
    expect(delayBeforeAttempt(2, SCHEDULE, () => 0.999999)).toBe(72_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-15T12:00:00Z');

  it('reads delta-seconds and HTTP-dates, capped at one hour, never negative', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(HOUR);
    expect(parseRetryAfter('Thu, 15 Jan 2026 12:05:00 GMT', now)).toBe(5 * MINUTE);
    expect(parseRetryAfter('Thu, 15 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Fri, 16 Jan 2026 12:00:00 GMT', now)).toBe(HOUR);
    expect(parseRetryAfter(['30', '60'], now)).toBe(30_000);
  });

  it('ignores what it does not understand', () => {
    for (const value of [undefined, null, '', '-5', '1.5', 'soon', '12abc', 'Thu, 99 Foo']) {
      expect(parseRetryAfter(value, now), String(value)).toBeNull();
    }
  });

  it('always lands in [0, 1 h] for any delta-seconds', () => {
    fc.assert(
      fc.property(fc.nat(), (s) => {
        const ms = parseRetryAfter(String(s), now)!;
        expect(ms).toBe(Math.min(s * 1000, HOUR));
      }),
    );
  });
});

describe('decideOutcome', () => {
  const base = { error: null, attemptNumber: 1, scheduleMs: SCHEDULE, now: 1_000_000, random: () => 0.5 };
  const failedWith = (statusCode: number | null, extra: Partial<AttemptFacts> = {}): AttemptFacts => ({
    ...base,
    statusCode,
    error: { code: statusCode === null ? 'CONNECTION_REFUSED' : 'HTTP_STATUS' },
    ...extra,
  });

  it('succeeds on any 2xx', () => {
    for (const statusCode of [200, 201, 202, 204, 299]) {
      expect(decideOutcome({ ...base, statusCode })).toEqual({ kind: 'succeeded' });
    }
  });

  it('ends a run at once on 410 Gone', () => {
    expect(decideOutcome(failedWith(410, { attemptNumber: 1 }))).toEqual({ kind: 'gone' });
    expect(decideOutcome(failedWith(410, { attemptNumber: 7 }))).toEqual({ kind: 'gone' });
  });

  it('retries redirects, other statuses and every network failure on schedule, then fails', () => {
    const failures = [
      ...[301, 302, 307, 400, 401, 404, 429, 500, 502, 503].map((s) => failedWith(s)),
      ...FAILURE_CODES.filter((c) => c !== 'HTTP_STATUS' && c !== 'REDIRECT').map((code) => ({
        ...base,
        statusCode: null,
        error: { code },
      })),
    ];
    for (const facts of failures) {
      expect(decideOutcome(facts)).toEqual({ kind: 'retry', at: base.now + MINUTE });
      expect(decideOutcome({ ...facts, attemptNumber: 6 })).toEqual({
        kind: 'retry',
        at: base.now + 12 * HOUR,
      });
      expect(decideOutcome({ ...facts, attemptNumber: 7 })).toEqual({ kind: 'failed' });
    }
  });

  it('honours Retry-After on 429 and 503 when it asks for longer, up to one hour', () => {
    expect(decideOutcome(failedWith(429, { retryAfterMs: 10 * MINUTE }))).toEqual({
      kind: 'retry',
      at: base.now + 10 * MINUTE,
    });
    expect(decideOutcome(failedWith(503, { retryAfterMs: 5 * HOUR }))).toEqual({
      kind: 'retry',
      at: base.now + HOUR,
    });
    // Shorter than the schedule: the schedule wins.
    expect(decideOutcome(failedWith(503, { retryAfterMs: 1_000 }))).toEqual({
      kind: 'retry',
      at: base.now + MINUTE,
    });
    // Other statuses do not get to stretch the schedule.
    expect(decideOutcome(failedWith(500, { retryAfterMs: 10 * MINUTE }))).toEqual({
      kind: 'retry',
      at: base.now + MINUTE,
    });
    // Retry-After never buys an attempt the schedule does not have.
    expect(decideOutcome(failedWith(429, { retryAfterMs: 1_000, attemptNumber: 7 }))).toEqual({
      kind: 'failed',
    });
  });

  it('never schedules a retry in the past or beyond the jittered delay or 1 h Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(429, 500, 503, null),
        fc.option(fc.nat({ max: 10 * HOUR })),
        unit,
        (attemptNumber, statusCode, retryAfterMs, r) => {
          const outcome = decideOutcome(
            failedWith(statusCode, { attemptNumber, retryAfterMs, random: () => r }),
          );
          if (attemptNumber === 7) {
            expect(outcome).toEqual({ kind: 'failed' });
            return;
          }
          expect(outcome.kind).toBe('retry');
          const at = (outcome as { at: number }).at;
          const scheduled = SCHEDULE[attemptNumber]!;
          expect(at - base.now).toBeGreaterThanOrEqual(scheduled * 0.8);
          expect(at - base.now).toBeLessThanOrEqual(Math.max(scheduled * 1.2, HOUR));
        },
      ),
    );
  });
});
