// The disable rule and the warning before it (SPEC §9, §12), pure: an automation's failure streak is the
// number of consecutive runs that ended failed with no success in between; reaching the disable threshold
// disables it (reason `failures`), and a 410 Gone disables it at once (reason `gone`). Reaching the warning
// point first sends one "at risk" mail per streak. Applied to the runs that ended in one recorded batch, in
// the order their last attempts ended.

export type FinalKind = 'succeeded' | 'failed' | 'gone';

/** An automation's streak as stored, before the batch. */
export interface StreakState {
  streak: number;
  /** Whether this streak's "at risk" mail has gone out already. */
  warned: boolean;
  /** Whether it is enabled now (a disabled one is neither disabled again nor warned). */
  enabled: boolean;
}

export interface StreakRule {
  /** Consecutive failed runs that disable it, ≥ 1. */
  disableAt: number;
  /** Consecutive failed runs that warn, below `disableAt`; null: no warnings. */
  warnAt: number | null;
}

export interface StreakDecision {
  /** The streak after these runs. */
  streak: number;
  /** Whether the streak after these runs has had (or gets now) its warning. */
  warned: boolean;
  /** Disable the automation, and which run (index into the outcomes) tipped it; null: leave it as it is. */
  disable: { reason: 'failures' | 'gone'; index: number } | null;
  /** Send the "at risk" mail now, naming the latest failed run's error (its index); null: do not. */
  warn: { index: number } | null;
}

/**
 * `outcomes`: how each run ended, oldest first. A 410 wins over reaching the threshold; of several 410s
 * the last names the error; of the failures, the run at which the streak first reached the threshold does.
 * A warning goes out at most once per streak (a success starts a new one), only while the automation is
 * enabled, only for a streak still running at the end of the batch, and never beside a disable (whose mail
 * says more).
 */
export function decideStreak(
  state: StreakState,
  outcomes: readonly FinalKind[],
  rule: StreakRule,
): StreakDecision {
  let current = state.streak;
  let warned = state.warned;
  let warnReached = false;
  let gone: number | null = null;
  let reached: number | null = null;
  outcomes.forEach((kind, i) => {
    if (kind === 'succeeded') {
      current = 0;
      warned = false;
      warnReached = false;
      return;
    }
    current += 1;
    if (kind === 'gone') gone = i;
    else if (current >= rule.disableAt && reached === null) reached = i;
    if (rule.warnAt !== null && !warned && current >= rule.warnAt) {
      warned = true;
      warnReached = true;
    }
  });
  const last = outcomes.length - 1;
  let disable: StreakDecision['disable'] = null;
  if (state.enabled && gone !== null) disable = { reason: 'gone', index: gone };
  else if (state.enabled && reached !== null) disable = { reason: 'failures', index: reached };
  const warn = state.enabled && warnReached && disable === null ? { index: last } : null;
  return { streak: current, warned, disable, warn };
}
