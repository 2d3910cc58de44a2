// The runs log's filter by origin (a completion, sending existing responses, a manual send): read from
// the URL, written back in the usual order, sent to the API, shown as chips, toggled in the panel.
import { describe, expect, it } from 'vitest';
import {
  apiFilter,
  EMPTY_FILTER,
  filterChips,
  filterOf,
  listQuery,
  queryOf,
  toggleOrigin,
} from './runs-filter-model';

describe('filtering runs by origin', () => {
  it('reads known origins from the URL, repeated or comma-separated, in the usual order', () => {
    expect(filterOf('origin=manual,backfill&origin=nonsense&origin=manual').origins).toEqual([
      'backfill',
      'manual',
    ]);
    // None given: no origins at all, so a filter without them stays equal to the empty one.
    expect(filterOf('status=failed')).toEqual({ ...EMPTY_FILTER, statuses: ['failed'] });
  });

  it('writes them to the URL and the API query, and shows each as a chip', () => {
    const f = { ...EMPTY_FILTER, origins: ['manual' as const, 'backfill' as const] };
    expect(queryOf(f)).toBe('origin=backfill&origin=manual');
    expect(filterOf(queryOf(f)).origins).toEqual(['backfill', 'manual']);
    expect(apiFilter(f, 14)).toEqual({ origin: ['manual', 'backfill'] });
    expect(listQuery(f, 14, 50, null)).toBe('origin=manual&origin=backfill&limit=50');
    expect(filterChips(f)).toEqual([
      { kind: 'origin', origin: 'manual' },
      { kind: 'origin', origin: 'backfill' },
    ]);
  });

  it('toggles one origin and keeps the others in order', () => {
    expect(toggleOrigin(undefined, 'manual', true)).toEqual(['manual']);
    expect(toggleOrigin(['manual'], 'completion', true)).toEqual(['completion', 'manual']);
    expect(toggleOrigin(['completion', 'manual'], 'completion', false)).toEqual(['manual']);
  });
});
