// Calendar dates (YYYY-MM-DD, the value of <input type="date">) in the browser's time zone, and the
// instants their local days start at, for the runs log's period filter.

const DAY_MS = 24 * 60 * 60 * 1000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The local calendar date of `ms`. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** True for a real YYYY-MM-DD date. */
export function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]);
}

/** The instant local midnight starts `date`, shifted by `days` calendar days (DST-safe). */
export function startOfDay(date: string, days = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days).getTime();
}

/** The earliest date the period may start on: runs older than the retention window are gone. */
export function earliestDate(retentionDays: number, now = Date.now()): string {
  return localDate(now - retentionDays * DAY_MS);
}

const STEP_MS = 10 * 60 * 1000;

/**
 * `from` as the API takes it: the start of that local day. On the earliest allowed date that midnight
 * lies before the retention window, so it moves to the window's start rather than being refused —
 * rounded up to 10 minutes so the request (and the cache entry) stays the same from render to render.
 * An earlier date (typed into the URL) is sent as is and the API refuses it.
 */
export function periodStartIso(date: string, retentionDays: number, now = Date.now()): string {
  const midnight = startOfDay(date);
  if (date < earliestDate(retentionDays, now)) return new Date(midnight).toISOString();
  const windowStart = Math.ceil((now - retentionDays * DAY_MS) / STEP_MS) * STEP_MS;
  return new Date(Math.max(midnight, windowStart)).toISOString();
}

/** `to` as the API takes it (exclusive): the start of the next local day, so `to` includes its date. */
export function periodEndIso(date: string): string {
  return new Date(startOfDay(date, 1)).toISOString();
}
