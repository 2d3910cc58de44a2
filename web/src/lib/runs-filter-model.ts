// The runs log's filter, free of React: as the URL holds it (shareable; e-mail links use
// `?status=failed`), as the API takes it, the panel's status choice and period checks against the
// retention window, and where Apply goes. Used by screens/runs-filter.tsx and screens/runs.tsx;
// unit-tested in runs-filter-model.test.ts.
import { earliestDate, isDate, periodEndIso, periodStartIso } from './dates';
import { RUN_ORIGINS, RUN_STATUSES, type RunOrigin, type RunStatus } from './types';

/** The filter as the URL holds it; `from` and `to` are local dates (YYYY-MM-DD), both inclusive. */
export interface RunFilter {
  search: string;
  statuses: RunStatus[];
  /** Where the runs came from (a completion, sending existing responses, a manual send); none: all. */
  origins?: RunOrigin[];
  from: string;
  to: string;
}

export const EMPTY_FILTER: RunFilter = { search: '', statuses: [], from: '', to: '' };

export const runsPagePath = (automationId: string) => `/automations/${automationId}/runs`;

/**
 * Reads the filter from a query string (with or without `?`). `status` may repeat or be
 * comma-separated (e-mail links); unknown statuses and dates that are not real YYYY-MM-DD dates are
 * dropped. Statuses come out in the usual order, each once.
 */
export function filterOf(query: string): RunFilter {
  const params = new URLSearchParams(query);
  const statuses = params
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s): s is RunStatus => (RUN_STATUSES as readonly string[]).includes(s));
  const origins = params
    .getAll('origin')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s): s is RunOrigin => (RUN_ORIGINS as readonly string[]).includes(s));
  const date = (name: string) => {
    const v = params.get(name) ?? '';
    return isDate(v) ? v : '';
  };
  return {
    search: params.get('search') ?? '',
    statuses: RUN_STATUSES.filter((s) => statuses.includes(s)),
    ...(origins.length ? { origins: RUN_ORIGINS.filter((o) => origins.includes(o)) } : {}),
    from: date('from'),
    to: date('to'),
  };
}

/** The filter as a query string (without `?`): only what is set, the search without surrounding spaces. */
export function queryOf(filter: RunFilter): string {
  const params = new URLSearchParams();
  if (filter.search.trim()) params.set('search', filter.search.trim());
  for (const s of RUN_STATUSES) if (filter.statuses.includes(s)) params.append('status', s);
  for (const o of RUN_ORIGINS) if (filter.origins?.includes(o)) params.append('origin', o);
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  return params.toString();
}

export const isFiltered = (f: RunFilter) => queryOf(f) !== '';

/** The filter as the API's body/query fields: `from` at the start of its day, `to` exclusive. */
export function apiFilter(filter: RunFilter, retentionDays: number, now = Date.now()) {
  return {
    ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
    ...(filter.statuses.length ? { status: filter.statuses } : {}),
    ...(filter.origins?.length ? { origin: filter.origins } : {}),
    ...(filter.from ? { from: periodStartIso(filter.from, retentionDays, now) } : {}),
    ...(filter.to ? { to: periodEndIso(filter.to) } : {}),
  };
}

/** The API path's query for one page of runs. */
export function listQuery(
  filter: RunFilter,
  retentionDays: number,
  limit: number,
  cursor: string | null,
  now = Date.now(),
): string {
  const f = apiFilter(filter, retentionDays, now);
  const params = new URLSearchParams();
  if (f.search) params.set('search', f.search);
  for (const s of f.status ?? []) params.append('status', s);
  for (const o of f.origin ?? []) params.append('origin', o);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** The statuses with `status` ticked (`on`) or not, in the usual order. */
export function toggleStatus(statuses: RunStatus[], status: RunStatus, on: boolean): RunStatus[] {
  return RUN_STATUSES.filter((s) => (s === status ? on : statuses.includes(s)));
}

/** The origins with `origin` ticked (`on`) or not, in the usual order. */
export function toggleOrigin(origins: RunOrigin[] | undefined, origin: RunOrigin, on: boolean): RunOrigin[] {
  return RUN_ORIGINS.filter((o) => (o === origin ? on : (origins ?? []).includes(o)));
}

/** The dates the period may use: from the retention window's first day to today. */
export function periodBounds(retentionDays: number, now = Date.now()): { earliest: string; today: string } {
  return { earliest: earliestDate(retentionDays, now), today: earliestDate(0, now) };
}

/**
 * What is wrong with the period: `from` before the retention window (runs older are gone; the
 * earliest allowed date is given for the message), `to` before `from`.
 */
export interface PeriodIssues {
  tooEarly: string | null;
  fromAfterTo: boolean;
}

export function periodIssues(filter: RunFilter, retentionDays: number, now = Date.now()): PeriodIssues {
  const { earliest } = periodBounds(retentionDays, now);
  return {
    tooEarly: filter.from && filter.from < earliest ? earliest : null,
    fromAfterTo: Boolean(filter.from && filter.to && filter.from > filter.to),
  };
}

export const periodValid = (issues: PeriodIssues): boolean => issues.tooEarly === null && !issues.fromAfterTo;

/** Where Apply goes: the runs log with the filter in its URL, or null while the period is invalid. */
export function applyPath(
  automationId: string,
  draft: RunFilter,
  retentionDays: number,
  now = Date.now(),
): string | null {
  if (!periodValid(periodIssues(draft, retentionDays, now))) return null;
  const query = queryOf(draft);
  return `${runsPagePath(automationId)}${query ? `?${query}` : ''}`;
}

/** The active filter as chips: the search, each status, the period (either end may be open). */
export type FilterChip =
  | { kind: 'search'; search: string }
  | { kind: 'status'; status: RunStatus }
  | { kind: 'origin'; origin: RunOrigin }
  | { kind: 'period'; from: string | null; to: string | null };

export function filterChips(filter: RunFilter): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filter.search.trim()) chips.push({ kind: 'search', search: filter.search.trim() });
  for (const status of filter.statuses) chips.push({ kind: 'status', status });
  for (const origin of filter.origins ?? []) chips.push({ kind: 'origin', origin });
  if (filter.from || filter.to)
    chips.push({ kind: 'period', from: filter.from || null, to: filter.to || null });
  return chips;
}
