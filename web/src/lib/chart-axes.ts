// The runs chart's axes: a count axis from 0 to a round top with whole-number ticks (d3-array's
// nice-tick algorithm, the one d3 scales use), and day labels from Intl that name the month where it
// starts or changes ("29 Nov, 30, 1 Dec" in en-GB; "29. nov., 30., 1. des." in nb-NO).
import { nice, ticks as niceTicks } from 'd3-array';

/** At most this many ticks on the count axis: readable at a phone's width. */
const MAX_TICKS = 6;

export interface CountAxis {
  /** The axis's top: a round number at or above the busiest day. */
  top: number;
  ticks: number[];
  /** Where count `n` sits between `range`'s bottom (0) and top. */
  y(n: number): number;
}

/** A y axis for counts up to `max` drawn from `range[0]` (0) to `range[1]` (its top). */
export function countAxis(max: number, range: [bottom: number, top: number]): CountAxis {
  const highest = Math.max(1, Math.ceil(max));
  const [bottom, top] = range;
  // The tick count is a hint: ask for fewer until the ticks fit (11 in 4 steps gives 0,2,…,12), and
  // never for more steps than the top itself, so 3 runs get 0,1,2,3 and not 0,0.5,…,3.
  for (let steps = Math.min(MAX_TICKS - 2, highest); ; steps--) {
    const [, end] = nice(0, highest, steps);
    const ticks = niceTicks(0, end, steps).filter((n) => Number.isInteger(n));
    if (ticks.length <= MAX_TICKS || steps === 1)
      return { top: end, ticks, y: (n) => bottom + ((top - bottom) * n) / end };
  }
}

export interface DayLabel {
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
  /** The day of the month in the locale's form ("18", "18."). */
  day: string;
  /** The month's short name where the month starts or the axis begins, else null. */
  month: string | null;
}

/** A local calendar date (YYYY-MM-DD) as the Date of its local midnight, for Intl to format. */
export const localMidnight = (date: string): Date => new Date(`${date}T00:00`);

/** The x axis's labels for consecutive days, in `locale`. */
export function dayLabels(dates: string[], locale: string): DayLabel[] {
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric' });
  const month = new Intl.DateTimeFormat(locale, { month: 'short' });
  return dates.map((date, i) => {
    const d = localMidnight(date);
    const newMonth = i === 0 || date.slice(0, 7) !== dates[i - 1]!.slice(0, 7);
    return { date, day: day.format(d), month: newMonth ? month.format(d) : null };
  });
}
