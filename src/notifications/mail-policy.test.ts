import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../config.js';
import { digestDueAt, MAIL_GIVE_UP_AFTER_MS, nextMailAttemptAt } from './mail-policy.js';

describe('digestDueAt', () => {
  it('is a minute after the first failure when no digest went out before', () => {
    expect(digestDueAt(1000, null)).toBe(1000 + MINUTE);
  });

  it('a failure five minutes after a digest waits for the hour to pass', () => {
    expect(digestDueAt(5 * MINUTE, 0)).toBe(HOUR);
    expect(digestDueAt(2 * HOUR, 0)).toBe(2 * HOUR + MINUTE);
  });

  it('is never within an hour of the previous digest, nor before the failure', () => {
    fc.assert(
      fc.property(fc.nat(10 * DAY), fc.nat(10 * DAY), (previous, gap) => {
        const first = previous + gap;
        const due = digestDueAt(first, previous);
        expect(due).toBeGreaterThanOrEqual(previous + HOUR);
        expect(due).toBeGreaterThan(first);
        expect(due).toBeLessThanOrEqual(Math.max(first, previous + HOUR) + MINUTE);
      }),
    );
  });
});

describe('nextMailAttemptAt', () => {
  it('backs off 1 min, 5 min, 30 min, then every 2 h', () => {
    const delays = [1, 2, 3, 4, 5, 9].map((n) => nextMailAttemptAt(n, 0, 0));
    expect(delays).toEqual([MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 2 * HOUR, 2 * HOUR]);
  });

  it('gives up three days after the mail was queued', () => {
    expect(nextMailAttemptAt(30, 0, MAIL_GIVE_UP_AFTER_MS - 1)).not.toBeNull();
    expect(nextMailAttemptAt(30, 0, MAIL_GIVE_UP_AFTER_MS)).toBeNull();
    expect(MAIL_GIVE_UP_AFTER_MS).toBe(3 * DAY);
  });
});
