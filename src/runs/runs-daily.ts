// Runs per day and status for an automation's chart: local calendar days of the caller's time zone
// (so a day starts at the caller's midnight, DST included), counted by one grouped query over the log index.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { invalidField } from '../http/errors.js';
import { RUN_STATUSES, type RunStatus, type StatusCounts } from './runs.store.js';

export type DayCounts = { date: string } & StatusCounts;

/** Throws VALIDATION_FAILED unless `timeZone` is an IANA zone name Intl knows. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw invalidField('timeZone', 'is not a known time zone, e.g. Europe/Oslo');
  }
}

/** The calendar date (YYYY-MM-DD) of instant `ms` in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
}

/** How far `timeZone`'s wall clock is ahead of UTC at instant `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant local midnight starts `date` (YYYY-MM-DD) in `timeZone`. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wallMidnight = Date.UTC(y, m - 1, d);
  // Twice: the offset at the guess may differ from the offset at midnight across a DST change.
  let t = wallMidnight - offsetAt(wallMidnight, timeZone);
  t = wallMidnight - offsetAt(t, timeZone);
  return t;
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Counts per status for each of the last `days` local days up to and including today, oldest first. */
export async function countRunsPerDay(
  db: Db,
  automationId: string,
  now: number,
  days: number,
  timeZone: string,
): Promise<DayCounts[]> {
  const today = localDate(now, timeZone);
  const dates = Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));
  const bounds = [...dates, addDays(today, 1)].map((d) => startOfLocalDay(d, timeZone));
  // Bounds are our own integers: inlined, so both engines group by the same expression.
  const whens = bounds
    .slice(1, -1)
    .map((b, i) => sql`when runs.created_at < ${sql.lit(b)} then ${sql.lit(i)}`);
  const day =
    whens.length === 0 ? sql`0` : sql`case ${sql.join(whens, sql` `)} else ${sql.lit(days - 1)} end`;
  const { rows } = await sql<{ day: number | string; status: string; n: number | string }>`
    select ${day} as day, runs.status as status, count(*) as n
    from runs
    where runs.automation_id = ${automationId}
      and runs.created_at >= ${sql.lit(bounds[0]!)} and runs.created_at < ${sql.lit(bounds[days]!)}
    group by 1, 2`.execute(db);
  const result: DayCounts[] = dates.map((date) => ({
    date,
    scheduled: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
  }));
  for (const r of rows) {
    const entry = result[Number(r.day)];
    if (entry && (RUN_STATUSES as readonly string[]).includes(r.status))
      entry[r.status as RunStatus] += Number(r.n);
  }
  return result;
}

/** When the automation's newest run was created (epoch ms), or null without runs. */
export async function lastRunAt(db: Db, automationId: string): Promise<number | null> {
  const row = await db
    .selectFrom('runs')
    .select('created_at')
    .where('automation_id', '=', automationId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.created_at) : null;
}
