// The runs log's filter: as the URL holds it (shareable; e-mail links use `?status=failed`), as the API
// takes it, the filter panel (search, statuses, period within the retention window) and the active filter.
import { useState, type FormEvent } from 'react';
import { earliestDate, isDate, periodEndIso, periodStartIso } from '../lib/dates';
import { useI18n } from '../lib/i18n';
import { Link, navigate } from '../lib/router';
import { RUN_STATUSES, type RunStatus } from '../lib/types';
import { AUTOMATIONS } from './automations';

export const runsPagePath = (automationId: string) => `/automations/${automationId}/runs`;
export const runsApiPath = (automationId: string) => `${AUTOMATIONS}/${automationId}/runs`;

/** The filter as the URL holds it; `from` and `to` are local dates (YYYY-MM-DD), both inclusive. */
export interface RunFilter {
  search: string;
  statuses: RunStatus[];
  from: string;
  to: string;
}

const EMPTY_FILTER: RunFilter = { search: '', statuses: [], from: '', to: '' };

/** Reads the filter from a query string; `status` may repeat or be comma-separated (e-mail links). */
export function filterOf(query: string): RunFilter {
  const params = new URLSearchParams(query);
  const statuses = params
    .getAll('status')
    .flatMap((s) => s.split(','))
    .filter((s): s is RunStatus => (RUN_STATUSES as string[]).includes(s));
  const date = (name: string) => {
    const v = params.get(name) ?? '';
    return isDate(v) ? v : '';
  };
  return {
    search: params.get('search') ?? '',
    statuses: RUN_STATUSES.filter((s) => statuses.includes(s)),
    from: date('from'),
    to: date('to'),
  };
}

export function queryOf(filter: RunFilter): string {
  const params = new URLSearchParams();
  if (filter.search.trim()) params.set('search', filter.search.trim());
  for (const s of filter.statuses) params.append('status', s);
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  return params.toString();
}

export const isFiltered = (f: RunFilter) => queryOf(f) !== '';

/** The filter as the API's body/query fields. */
export function apiFilter(filter: RunFilter, retentionDays: number) {
  return {
    ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
    ...(filter.statuses.length ? { status: filter.statuses } : {}),
    ...(filter.from ? { from: periodStartIso(filter.from, retentionDays) } : {}),
    ...(filter.to ? { to: periodEndIso(filter.to) } : {}),
  };
}

export function FilterPanel({
  id,
  automationId,
  filter,
  retentionDays,
  onClose,
}: {
  id: string;
  automationId: string;
  filter: RunFilter;
  retentionDays: number;
  onClose(): void;
}) {
  const { t, formatDate } = useI18n();
  const [draft, setDraft] = useState<RunFilter>(filter);
  const earliest = earliestDate(retentionDays);
  const today = earliestDate(0);
  const fromIssue =
    draft.from && draft.from < earliest ? t('runs.tooEarly', { date: formatDate(earliest) }) : null;
  const toIssue = draft.from && draft.to && draft.from > draft.to ? t('runs.fromAfterTo') : null;
  const set = (patch: Partial<RunFilter>) => setDraft({ ...draft, ...patch });
  const toggle = (s: RunStatus, on: boolean) =>
    set({ statuses: RUN_STATUSES.filter((x) => (x === s ? on : draft.statuses.includes(x))) });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (fromIssue || toIssue) return;
    const query = queryOf(draft);
    navigate(`${runsPagePath(automationId)}${query ? `?${query}` : ''}`);
    onClose();
  };
  return (
    <form id={id} className="card filter-panel" onSubmit={apply} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>{t('runs.filterTitle')}</h2>
      <div className="field">
        <label htmlFor={`${id}-search`}>{t('runs.search')}</label>
        <input
          id={`${id}-search`}
          type="search"
          maxLength={200}
          value={draft.search}
          onChange={(e) => set({ search: e.target.value })}
        />
      </div>
      <fieldset>
        <legend>{t('runs.status')}</legend>
        <div className="check-row">
          {RUN_STATUSES.map((s) => (
            <div className="check" key={s}>
              <input
                id={`${id}-${s}`}
                type="checkbox"
                checked={draft.statuses.includes(s)}
                onChange={(e) => toggle(s, e.target.checked)}
              />
              <label htmlFor={`${id}-${s}`}>{t(`status.${s}`)}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('runs.period')}</legend>
        <p className="hint" id={`${id}-period-hint`}>
          {t('runs.periodHint', { days: retentionDays, date: formatDate(earliest) })}
        </p>
        <div className="period">
          <div className="field">
            <label htmlFor={`${id}-from`}>{t('runs.from')}</label>
            <input
              id={`${id}-from`}
              type="date"
              min={earliest}
              max={today}
              value={draft.from}
              aria-invalid={fromIssue ? true : undefined}
              aria-describedby={`${id}-period-hint${fromIssue ? ` ${id}-from-error` : ''}`}
              onChange={(e) => set({ from: e.target.value })}
            />
            {fromIssue && (
              <p className="field-error" id={`${id}-from-error`}>
                {fromIssue}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>{t('runs.to')}</label>
            <input
              id={`${id}-to`}
              type="date"
              min={draft.from || earliest}
              max={today}
              value={draft.to}
              aria-invalid={toIssue ? true : undefined}
              aria-describedby={toIssue ? `${id}-to-error` : undefined}
              onChange={(e) => set({ to: e.target.value })}
            />
            {toIssue && (
              <p className="field-error" id={`${id}-to-error`}>
                {toIssue}
              </p>
            )}
          </div>
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={Boolean(fromIssue || toIssue)}>
          {t('runs.apply')}
        </button>
        <button type="button" className="btn" onClick={() => setDraft(EMPTY_FILTER)}>
          {t('runs.clear')}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function ActiveFilter({ automationId, filter }: { automationId: string; filter: RunFilter }) {
  const { t, formatDate } = useI18n();
  if (!isFiltered(filter)) return null;
  const chips: string[] = [];
  if (filter.search.trim()) chips.push(t('runs.searchChip', { search: filter.search.trim() }));
  for (const s of filter.statuses) chips.push(t(`status.${s}`));
  if (filter.from || filter.to)
    chips.push(
      t('runs.periodChip', {
        from: filter.from ? formatDate(`${filter.from}T00:00`) : '…',
        to: filter.to ? formatDate(`${filter.to}T00:00`) : '…',
      }),
    );
  return (
    <div className="active-filter">
      <span className="muted">{t('runs.activeFilter')}</span>
      <ul className="chips">
        {chips.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <Link to={runsPagePath(automationId)}>{t('runs.clear')}</Link>
    </div>
  );
}
