// The runs log's filter: URL query in and out, the API's fields, status choice, period checks against
// the retention window, and where Apply goes. Dates are local; `now` is fixed at local noon.
import { describe, expect, it } from 'vitest';
import {
  apiFilter,
  applyPath,
  EMPTY_FILTER,
  filterChips,
  filterOf,
  isFiltered,
  listQuery,
  periodBounds,
  periodIssues,
  periodValid,
  queryOf,
  runsPagePath,
  toggleStatus,
  type RunFilter,
} from './runs-filter-model';

const NOW = new Date(2025, 5, 15, 12, 0, 0).getTime(); // 15 June 2025, 12:00 local
const DAYS = 14;
const filter = (patch: Partial<RunFilter>): RunFilter => ({ ...EMPTY_FILTER, ...patch });

describe('reading the filter from the URL', () => {
  it('reads nothing from an empty query', () => {
    expect(filterOf('')).toEqual(EMPTY_FILTER);
    expect(isFiltered(filterOf(''))).toBe(false);
  });

  it('reads the e-mail link’s ?status=failed, with or without the question mark', () => {
    expect(filterOf('?status=failed')).toEqual(filter({ statuses: ['failed'] }));
    expect(filterOf('status=failed')).toEqual(filter({ statuses: ['failed'] }));
  });

  it('takes repeated and comma-separated statuses, in the usual order, each once, dropping unknown ones', () => {
    expect(filterOf('status=failed,scheduled&status=bogus&status=running&status=failed').statuses).toEqual([
      'scheduled',
      'running',
      'failed',
    ]);
    expect(filterOf('status=failed%2C%20succeeded').statuses).toEqual(['succeeded', 'failed']);
  });

  it('keeps only real dates', () => {
    expect(filterOf('from=2025-06-10&to=2025-06-12')).toMatchObject({ from: '2025-06-10', to: '2025-06-12' });
    expect(filterOf('from=2025-02-30&to=yesterday')).toMatchObject({ from: '', to: '' });
    expect(filterOf('from=2025-6-1').from).toBe('');
  });

  it('reads the search as typed', () => {
    expect(filterOf('search=kari+nordmann').search).toBe('kari nordmann');
    expect(filterOf('search=%C3%A6%C3%B8%C3%A5%20%26%3D').search).toBe('æøå &=');
  });
});

describe('writing the filter to the URL', () => {
  it('writes only what is set, the search trimmed', () => {
    expect(queryOf(EMPTY_FILTER)).toBe('');
    expect(queryOf(filter({ search: '   ' }))).toBe('');
    expect(queryOf(filter({ search: ' nordmann ', statuses: ['failed'] }))).toBe(
      'search=nordmann&status=failed',
    );
    expect(queryOf(filter({ statuses: ['failed', 'scheduled'], from: '2025-06-10', to: '2025-06-12' }))).toBe(
      'status=scheduled&status=failed&from=2025-06-10&to=2025-06-12',
    );
  });

  it('round-trips: what is written reads back the same', () => {
    const f = filter({
      search: 'æøå & =?',
      statuses: ['running', 'succeeded'],
      from: '2025-06-02',
      to: '2025-06-15',
    });
    expect(filterOf(queryOf(f))).toEqual(f);
    expect(queryOf(filterOf(queryOf(f)))).toBe(queryOf(f));
  });
});

describe('the filter as the API takes it', () => {
  it('sends nothing for an empty filter', () => {
    expect(apiFilter(EMPTY_FILTER, DAYS, NOW)).toEqual({});
  });

  it('sends the trimmed search, the statuses, and the period as instants (to exclusive)', () => {
    const f = apiFilter(
      filter({ search: ' kari ', statuses: ['failed'], from: '2025-06-10', to: '2025-06-12' }),
      DAYS,
      NOW,
    );
    expect(f).toEqual({
      search: 'kari',
      status: ['failed'],
      from: new Date(2025, 5, 10).toISOString(),
      to: new Date(2025, 5, 13).toISOString(),
    });
  });

  it('moves the earliest allowed date’s midnight to the retention window’s start', () => {
    const { earliest } = periodBounds(DAYS, NOW);
    const from = Date.parse(apiFilter(filter({ from: earliest }), DAYS, NOW).from!);
    expect(from).toBeGreaterThanOrEqual(NOW - DAYS * 24 * 3600 * 1000);
    expect(from).toBeLessThan(NOW - DAYS * 24 * 3600 * 1000 + 10 * 60 * 1000);
  });

  it('builds the page query with limit and cursor', () => {
    expect(listQuery(filter({ statuses: ['failed', 'running'] }), DAYS, 25, null, NOW)).toBe(
      'status=failed&status=running&limit=25',
    );
    expect(listQuery(filter({ search: 'a b' }), DAYS, 25, 'run_9', NOW)).toBe(
      'search=a+b&limit=25&cursor=run_9',
    );
  });
});

describe('the filter panel', () => {
  it('ticks and unticks statuses, keeping the usual order', () => {
    expect(toggleStatus([], 'failed', true)).toEqual(['failed']);
    expect(toggleStatus(['failed'], 'scheduled', true)).toEqual(['scheduled', 'failed']);
    expect(toggleStatus(['scheduled', 'failed'], 'failed', false)).toEqual(['scheduled']);
    expect(toggleStatus(['failed'], 'failed', true)).toEqual(['failed']);
  });

  it('limits the period to the retention window, up to today', () => {
    expect(periodBounds(DAYS, NOW)).toEqual({ earliest: '2025-06-01', today: '2025-06-15' });
    expect(periodIssues(filter({ from: '2025-06-01' }), DAYS, NOW)).toEqual({
      tooEarly: null,
      fromAfterTo: false,
    });
    expect(periodIssues(filter({ from: '2025-05-31' }), DAYS, NOW)).toEqual({
      tooEarly: '2025-06-01',
      fromAfterTo: false,
    });
    expect(periodIssues(filter({ from: '2020-01-01' }), 30, NOW).tooEarly).toBe('2025-05-16');
  });

  it('refuses a period that ends before it starts, and accepts open or one-day periods', () => {
    expect(periodIssues(filter({ from: '2025-06-12', to: '2025-06-10' }), DAYS, NOW).fromAfterTo).toBe(true);
    expect(periodValid(periodIssues(filter({ from: '2025-06-12', to: '2025-06-12' }), DAYS, NOW))).toBe(true);
    expect(periodValid(periodIssues(filter({ to: '2025-06-10' }), DAYS, NOW))).toBe(true);
    expect(periodValid(periodIssues(filter({ from: '2025-06-10' }), DAYS, NOW))).toBe(true);
  });

  it('applies to the runs log URL with the filter, or not at all while the period is invalid', () => {
    expect(applyPath('aut_1', EMPTY_FILTER, DAYS, NOW)).toBe('/automations/aut_1/runs');
    expect(applyPath('aut_1', filter({ search: ' nordmann ', statuses: ['failed'] }), DAYS, NOW)).toBe(
      '/automations/aut_1/runs?search=nordmann&status=failed',
    );
    expect(applyPath('aut_1', filter({ from: '2025-05-01' }), DAYS, NOW)).toBeNull();
    expect(applyPath('aut_1', filter({ from: '2025-06-12', to: '2025-06-10' }), DAYS, NOW)).toBeNull();
    expect(runsPagePath('aut_1')).toBe('/automations/aut_1/runs');
  });

  it('shows the active filter as chips', () => {
    expect(filterChips(EMPTY_FILTER)).toEqual([]);
    expect(
      filterChips(filter({ search: ' kari ', statuses: ['running', 'failed'], to: '2025-06-12' })),
    ).toEqual([
      { kind: 'search', search: 'kari' },
      { kind: 'status', status: 'running' },
      { kind: 'status', status: 'failed' },
      { kind: 'period', from: null, to: '2025-06-12' },
    ]);
  });
});
