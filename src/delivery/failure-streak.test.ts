import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideStreak, type FinalKind, type StreakRule } from './failure-streak.js';

const kinds = fc.array(fc.constantFrom<FinalKind>('succeeded', 'failed', 'gone'), { maxLength: 30 });
const noWarn = (disableAt: number): StreakRule => ({ disableAt, warnAt: null });
/** A rule with a warning point below the threshold (or none). */
const rules = fc.integer({ min: 1, max: 10 }).chain((disableAt) =>
  fc
    .option(fc.integer({ min: 1, max: Math.max(1, disableAt - 1) }), { nil: null })
    .map((warnAt): StreakRule => ({
      disableAt,
      warnAt: warnAt !== null && warnAt < disableAt ? warnAt : null,
    })),
);
const state = (streak: number, enabled: boolean, warned = false) => ({ streak, enabled, warned });

describe('decideStreak (the disable rule)', () => {
  it('counts the failed runs since the last success', () => {
    fc.assert(
      fc.property(
        fc.nat(20),
        fc.boolean(),
        fc.boolean(),
        kinds,
        rules,
        (start, enabled, warned, ks, rule) => {
          const last = ks.lastIndexOf('succeeded');
          const expected = last === -1 ? start + ks.length : ks.length - last - 1;
          expect(decideStreak(state(start, enabled, warned), ks, rule).streak).toBe(expected);
        },
      ),
    );
  });

  it('disables an enabled automation exactly when a run was 410 or the streak reached the threshold', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.boolean(), kinds, rules, (start, warned, ks, rule) => {
        const { disable } = decideStreak(state(start, true, warned), ks, rule);
        let streak = start;
        let reachedAt: number | null = null;
        ks.forEach((k, i) => {
          streak = k === 'succeeded' ? 0 : streak + 1;
          if (k === 'failed' && streak >= rule.disableAt && reachedAt === null) reachedAt = i;
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
      fc.property(fc.nat(20), kinds, rules, (start, ks, rule) => {
        expect(decideStreak(state(start, false), ks, rule).disable).toBeNull();
      }),
    );
    expect(decideStreak(state(4, true), ['failed', 'succeeded'], noWarn(5))).toMatchObject({
      streak: 0,
      disable: { reason: 'failures', index: 0 },
    });
  });

  it('is the SPEC example: five failed runs in a row disable, a success in between resets', () => {
    const four: FinalKind[] = ['failed', 'failed', 'failed', 'failed'];
    expect(decideStreak(state(0, true), four, noWarn(5)).disable).toBeNull();
    expect(decideStreak(state(4, true), ['failed'], noWarn(5)).disable).toEqual({
      reason: 'failures',
      index: 0,
    });
    expect(decideStreak(state(3, true), ['succeeded', 'failed'], noWarn(5))).toMatchObject({
      streak: 1,
      disable: null,
    });
    expect(decideStreak(state(0, true), ['gone'], noWarn(5))).toMatchObject({
      streak: 1,
      disable: { reason: 'gone', index: 0 },
    });
  });
});

describe('decideStreak (the warning before disabling)', () => {
  /** Feeds the outcomes one batch at a time, carrying the state over, and counts the warnings. */
  function warningsOf(batches: FinalKind[][], rule: StreakRule) {
    let s = state(0, true);
    const warnings: number[] = [];
    let position = 0;
    for (const batch of batches) {
      const d = decideStreak(s, batch, rule);
      if (d.warn) warnings.push(position + d.warn.index);
      position += batch.length;
      s = { streak: d.streak, warned: d.warned, enabled: s.enabled && d.disable === null };
    }
    return { warnings, state: s };
  }

  it('warns at most once per streak, however the runs are batched, and a success lets the next streak warn', () => {
    const batched = kinds.chain((ks) =>
      fc
        .array(fc.nat(ks.length), { maxLength: 5 })
        .map((cuts) => {
          const at = [...new Set([0, ...cuts, ks.length])].sort((x, y) => x - y);
          return at.slice(1).map((end, i) => ks.slice(at[i], end));
        })
        .map((batches) => ({ ks, batches })),
    );
    fc.assert(
      fc.property(batched, rules, ({ ks, batches }, rule) => {
        const { warnings } = warningsOf(batches, rule);
        // Each warning is a failed run, and two warnings always have a success between them.
        for (const [i, at] of warnings.entries()) {
          expect(ks[at]).not.toBe('succeeded');
          if (i > 0) expect(ks.slice(warnings[i - 1]! + 1, at)).toContain('succeeded');
        }
        if (rule.warnAt === null) expect(warnings).toEqual([]);
      }),
    );
  });

  it('warns as the streak reaches the warning point, one run at a time, and never once it is disabled', () => {
    fc.assert(
      fc.property(kinds, rules, (ks, rule) => {
        const { warnings } = warningsOf(
          ks.map((k) => [k]),
          rule,
        );
        // Replay the rule by hand: warn where a streak first reaches warnAt while still enabled, short of disabling.
        const expected: number[] = [];
        let streak = 0;
        let warned = false;
        let enabled = true;
        ks.forEach((k, i) => {
          if (k === 'succeeded') {
            streak = 0;
            warned = false;
            return;
          }
          streak += 1;
          const disables = enabled && (k === 'gone' || streak >= rule.disableAt);
          if (rule.warnAt !== null && !warned && streak >= rule.warnAt) {
            warned = true;
            if (enabled && !disables) expected.push(i);
          }
          if (disables) enabled = false;
        });
        expect(warnings).toEqual(expected);
      }),
    );
  });

  it('is the SPEC example: the third failure of five warns, once; a success resets; a batch that disables does not warn', () => {
    const rule = { disableAt: 5, warnAt: 3 };
    expect(decideStreak(state(2, true), ['failed'], rule)).toEqual({
      streak: 3,
      warned: true,
      disable: null,
      warn: { index: 0 },
    });
    expect(decideStreak(state(3, true, true), ['failed'], rule).warn).toBeNull();
    // Names the latest failure of the batch (its error is the last error).
    expect(decideStreak(state(0, true), ['failed', 'failed', 'failed', 'failed'], rule).warn).toEqual({
      index: 3,
    });
    expect(decideStreak(state(2, true), ['failed', 'succeeded'], rule)).toMatchObject({
      streak: 0,
      warned: false,
      warn: null,
    });
    expect(decideStreak(state(2, true), ['failed', 'failed', 'failed'], rule)).toMatchObject({
      disable: { reason: 'failures', index: 2 },
      warn: null,
    });
    expect(decideStreak(state(2, true), ['gone'], rule).warn).toBeNull();
    expect(decideStreak(state(2, false), ['failed'], rule).warn).toBeNull();
  });
});
