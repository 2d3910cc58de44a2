// SQL of the runs log: filtered pages (newest first, keyset on (created_at, id)), bounded counts per
// status, one run with its message and attempts. Replay and retention have their own modules.
//
// Counts are bounded so a list costs the same for 1 000 runs as for 1 000 000 (an exact count is
// O(matching runs): ~150 ms per million on either engine):
// - without a search, each status is counted up to `COUNT_CAP` (a LIMIT inside each status's subquery,
//   read from the (automation, status, created_at, id) index), so a count is exact up to the cap;
// - with a search, the newest `SEARCH_COUNT_SAMPLE` + 1 matching runs (in log order, the page's plan)
//   are counted per status: exact when fewer runs match, otherwise lower bounds.
// `capped[status]` is true when the count is a lower bound ("at least").
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db, Engine } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { searchCondition, type SearchPlan } from '../db/run-search.js';
import { RUN_ORIGINS, RUN_STATUSES, type RunOrigin, type RunStatus } from '../shared/contract-rules.js';

export { RUN_ORIGINS, RUN_STATUSES, type RunOrigin, type RunStatus };
export type StatusCounts = Record<RunStatus, number>;
export type StatusFlags = Record<RunStatus, boolean>;

/** Without a search, each status is counted up to this many runs. */
export const COUNT_CAP = 10_000;
/** With a search, counts are exact up to this many matching runs in all, lower bounds beyond. */
export const SEARCH_COUNT_SAMPLE = 1_000;

/** Counts per status; `capped[s]`: `counts[s]` is a lower bound (counting stopped early). */
export interface BoundedCounts {
  counts: StatusCounts;
  capped: StatusFlags;
}

/** Which runs of one automation: every field narrows; absent fields do not. */
export interface RunFilter {
  automationId: string;
  statuses?: RunStatus[];
  origins?: RunOrigin[];
  /** Creation time, inclusive (epoch ms). */
  from?: number;
  /** Creation time, exclusive (epoch ms). */
  to?: number;
  /** Normalised search (see `normalizeSearch`). */
  search?: string;
  /** How the search is matched (run-search.ts); the trigram index unless told otherwise. */
  searchPlan?: SearchPlan;
}

/** Where a page ends: the last run shown. The next page starts strictly after it. */
export interface LogPosition {
  createdAt: number;
  id: string;
}

export interface RunSummaryRow {
  id: string;
  automation_id: string;
  response_id: string;
  name: string;
  email: string | null;
  status: string;
  status_changed_at: number;
  created_at: number;
  push_url: string;
  attempts: number;
  next_attempt_at: number | null;
  origin: string;
}

const SUMMARY_COLUMNS = [
  'runs.id',
  'runs.automation_id',
  'runs.response_id',
  'runs.name',
  'runs.email',
  'runs.status',
  'runs.status_changed_at',
  'runs.created_at',
  'runs.push_url',
  'runs.attempts',
  'runs.next_attempt_at',
  'runs.origin',
] as const;

/** The filter as one condition on `runs`. */
export function filterCondition(engine: Engine, f: RunFilter) {
  return (eb: ExpressionBuilder<Database, 'runs'>): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [eb('runs.automation_id', '=', f.automationId)];
    if (f.statuses && f.statuses.length > 0) parts.push(eb('runs.status', 'in', f.statuses));
    if (f.origins && f.origins.length > 0) parts.push(eb('runs.origin', 'in', f.origins));
    if (f.from !== undefined) parts.push(eb('runs.created_at', '>=', f.from));
    if (f.to !== undefined) parts.push(eb('runs.created_at', '<', f.to));
    if (f.search !== undefined) parts.push(searchCondition(engine, f.search, f.searchPlan));
    return eb.and(parts);
  };
}

/** Runs strictly older in log order (created_at desc, id desc) than `p`. */
export function afterPosition(p: LogPosition) {
  return (eb: ExpressionBuilder<Database, 'runs'>): Expression<SqlBool> =>
    eb(eb.refTuple('runs.created_at', 'runs.id'), '<', eb.tuple(p.createdAt, p.id));
}

/** Up to `limit` runs matching the filter, newest first, after `position` when given. */
export async function listRuns(
  db: Db,
  engine: Engine,
  filter: RunFilter,
  position: LogPosition | null,
  limit: number,
): Promise<RunSummaryRow[]> {
  let q = db.selectFrom('runs').select(SUMMARY_COLUMNS).where(filterCondition(engine, filter));
  if (position) q = q.where(afterPosition(position));
  const rows = await q.orderBy('runs.created_at', 'desc').orderBy('runs.id', 'desc').limit(limit).execute();
  return rows.map(numeric);
}

/** How many runs match the filter, per status, bounded (see the top of this file). */
export async function countRuns(db: Db, engine: Engine, filter: RunFilter): Promise<BoundedCounts> {
  const result: BoundedCounts = { counts: zeroCounts(), capped: noneCapped() };
  if (filter.search === undefined) {
    const row = (await eachStatusUpToQuery(
      db,
      engine,
      filter,
      COUNT_CAP,
    ).executeTakeFirstOrThrow()) as Record<RunStatus, number | string>;
    for (const status of RUN_STATUSES) {
      const n = Number(row[status]);
      result.counts[status] = Math.min(n, COUNT_CAP);
      result.capped[status] = n > COUNT_CAP;
    }
    return result;
  }
  const rows = await newestMatchesQuery(db, engine, filter, SEARCH_COUNT_SAMPLE).execute();
  let total = 0;
  for (const r of rows) {
    if (!(RUN_STATUSES as readonly string[]).includes(r.status)) continue;
    result.counts[r.status as RunStatus] = Number(r.n);
    total += Number(r.n);
  }
  if (total > SEARCH_COUNT_SAMPLE) for (const status of RUN_STATUSES) result.capped[status] = true;
  return result;
}

/** The statement `countRuns` runs for this filter (the benchmark prints its plan). */
export function countsQuery(db: Db, engine: Engine, filter: RunFilter) {
  return filter.search === undefined
    ? eachStatusUpToQuery(db, engine, filter, COUNT_CAP)
    : newestMatchesQuery(db, engine, filter, SEARCH_COUNT_SAMPLE);
}

/** Each status counted up to `cap` + 1: one statement, one index range per status, bounded rows each. */
function eachStatusUpToQuery(db: Db, engine: Engine, filter: RunFilter, cap: number) {
  return db.selectNoFrom(() =>
    RUN_STATUSES.map((status) =>
      db
        .selectFrom(
          db
            .selectFrom('runs')
            .select('runs.id')
            .where(filterCondition(engine, { ...filter, statuses: [status] }))
            .limit(cap + 1)
            .as('matching'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .as(status),
    ),
  );
}

/** Per status among the newest `sample` + 1 matching runs (read in log order, like the page). */
function newestMatchesQuery(db: Db, engine: Engine, filter: RunFilter, sample: number) {
  return db
    .selectFrom(
      db
        .selectFrom('runs')
        .select('runs.status')
        .where(filterCondition(engine, filter))
        .orderBy('runs.created_at', 'desc')
        .orderBy('runs.id', 'desc')
        .limit(sample + 1)
        .as('newest'),
    )
    .select(['newest.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('newest.status');
}

/** Exact counts per status, O(matching runs): for tests and the benchmark, not for requests. */
export async function countRunsExact(db: Db, engine: Engine, filter: RunFilter): Promise<StatusCounts> {
  const rows = await db
    .selectFrom('runs')
    .select(['runs.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(filterCondition(engine, filter))
    .groupBy('runs.status')
    .execute();
  const counts = zeroCounts();
  for (const r of rows) if (r.status in counts) counts[r.status as RunStatus] = Number(r.n);
  return counts;
}

function zeroCounts(): StatusCounts {
  return { scheduled: 0, running: 0, succeeded: 0, failed: 0 };
}

function noneCapped(): StatusFlags {
  return { scheduled: false, running: false, succeeded: false, failed: false };
}

export interface RunDetailRow extends RunSummaryRow {
  first_name: string | null;
  last_name: string | null;
}

/** The run `id` of organization `orgId`, or undefined. */
export async function findRun(db: Db, orgId: string, id: string): Promise<RunDetailRow | undefined> {
  const row = await db
    .selectFrom('runs')
    .select([...SUMMARY_COLUMNS, 'runs.first_name', 'runs.last_name'])
    .where('runs.id', '=', id)
    .where('runs.org_id', '=', orgId)
    .executeTakeFirst();
  return row ? { ...numeric(row), first_name: row.first_name, last_name: row.last_name } : undefined;
}

export async function findMessage(db: Db, runId: string): Promise<string | null> {
  const row = await db
    .selectFrom('run_messages')
    .select('body')
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return row?.body ?? null;
}

export async function listAttempts(db: Db, runId: string) {
  const rows = await db
    .selectFrom('run_attempts')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    ...r,
    number: Number(r.number),
    started_at: Number(r.started_at),
    duration_ms: Number(r.duration_ms),
    status_code: r.status_code === null ? null : Number(r.status_code),
  }));
}

function numeric<T extends RunSummaryRow>(r: T): T {
  return {
    ...r,
    status_changed_at: Number(r.status_changed_at),
    created_at: Number(r.created_at),
    attempts: Number(r.attempts),
    next_attempt_at: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
  };
}
