// The disable rule (SPEC §9), pure: an automation's failure streak is the number of consecutive runs that
// ended failed with no success in between; reaching the threshold disables it (reason `failures`), and a
// 410 Gone disables it at once (reason `gone`). Applied to the runs that ended in one recorded batch, in
// the order their last attempts ended.

export type FinalKind = 'succeeded' | 'failed' | 'gone';

export interface StreakDecision {
  /** The streak after these runs. */
  streak: number;
  /** Disable the automation, and which run (index into the outcomes) tipped it; null: leave it as it is. */
  disable: { reason: 'failures' | 'gone'; index: number } | null;
}

/**
 * `streak`: the automation's streak before these runs; `enabled`: whether it is enabled now (a disabled one
 * is never disabled again); `outcomes`: how each run ended, oldest first; `threshold` ≥ 1.
 * A 410 wins over reaching the threshold; of several 410s the last names the error; of the failures, the
 * run at which the streak first reached the threshold does.
 */
export function decideStreak(
  streak: number,
  enabled: boolean,
  outcomes: readonly FinalKind[],
  threshold: number,
): StreakDecision {
  let current = streak;
  let gone: number | null = null;
  let reached: number | null = null;
  outcomes.forEach((kind, i) => {
    if (kind === 'succeeded') {
      current = 0;
      return;
    }
    current += 1;
    if (kind === 'gone') gone = i;
    else if (current >= threshold && reached === null) reached = i;
  });
  if (!enabled) return { streak: current, disable: null };
  if (gone !== null) return { streak: current, disable: { reason: 'gone', index: gone } };
  if (reached !== null) return { streak: current, disable: { reason: 'failures', index: reached } };
  return { streak: current, disable: null };
}
