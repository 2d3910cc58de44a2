import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideStreak, type FinalKind } from './failure-streak.js';

const kinds = fc.array(fc.constantFrom<FinalKind>('succeeded', 'failed', 'gone'), { maxLength: 30 });

describe('decideStreak (the disable rule)', () => {
  it('counts the failed runs since the last success', () => {
    fc.assert(
      fc.property(
        fc.nat(20),
        fc.boolean(),
        kinds,
        fc.integer({ min: 1, max: 10 }),
        (start, enabled, ks, t) => {
          const last = ks.lastIndexOf('succeeded');
          const expected = last === -1 ? start + ks.length : ks.length - last - 1;
          expect(decideStreak(start, enabled, ks, t).streak).toBe(expected);
        },
      ),
    );
  });

  it('disables an enabled automation exactly when a run was 410 or the streak reached the threshold', () => {
    fc.assert(
      fc.property(fc.nat(20), kinds, fc.integer({ min: 1, max: 10 }), (start, ks, t) => {
        const { disable } = decideStreak(start, true, ks, t);
        let streak = start;
        let reachedAt: number | null = null;
        ks.forEach((k, i) => {
          streak = k === 'succeeded' ? 0 : streak + 1;
          if (k === 'failed' && streak >= t && reachedAt === null) reachedAt = i;
        });
        const goneAt = ks.lastIndexOf('gone');
        if (goneAt !== -1) expect(disable).toEqual({ reason: 'gone', index: goneAt });
        else if (reachedAt !== null) expect(disable).toEqual({ reason: 'failures', index: reachedAt });
        else expect(disable).toBeNull();
      }),
    );
  });

  it('never disables an automation that is disabled already, and a success in the batch does not undo one', () => {
    fc.assert(
      fc.property(fc.nat(20), kinds, fc.integer({ min: 1, max: 10 }), (start, ks, t) => {
        expect(decideStreak(start, false, ks, t).disable).toBeNull();
      }),
    );
    expect(decideStreak(4, true, ['failed', 'succeeded'], 5)).toEqual({
      streak: 0,
      disable: { reason: 'failures', index: 0 },
    });
  });

  it('is the SPEC example: five failed runs in a row disable, a success in between resets', () => {
    expect(decideStreak(0, true, ['failed', 'failed', 'failed', 'failed'], 5).disable).toBeNull();
    expect(decideStreak(4, true, ['failed'], 5).disable).toEqual({ reason: 'failures', index: 0 });
    expect(decideStreak(3, true, ['succeeded', 'failed'], 5)).toEqual({ streak: 1, disable: null });
    expect(decideStreak(0, true, ['gone'], 5)).toEqual({ streak: 1, disable: { reason: 'gone', index: 0 } });
  });
});
