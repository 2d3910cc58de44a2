// The runs log's filter panel (search, statuses, period within the retention window; Escape closes it)
// and the active filter's chips. The filter's logic (URL query, API fields, checks) is in
// lib/runs-filter-model.ts.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { DateField } from '../ui/date-field';
import { useI18n } from '../lib/i18n';
import { Link, useNavigate } from 'react-router';
import {
  applyPath,
  EMPTY_FILTER,
  filterChips,
  isFiltered,
  periodBounds,
  periodIssues,
  periodValid,
  runsPagePath,
  toggleOrigin,
  toggleStatus,
  type RunFilter,
} from '../lib/runs-filter-model';
import { RUN_ORIGINS, RUN_STATUSES, type RunStatus } from '../lib/types';

export { runsPagePath };

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
  /** `applied`: the filter was applied (the log starts again with it). */
  onClose(applied?: boolean): void;
}) {
  const { t, formatDate } = useI18n();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<RunFilter>(filter);
  const searchRef = useRef<HTMLInputElement>(null);
  const { earliest, today } = periodBounds(retentionDays);
  const issues = periodIssues(draft, retentionDays);
  const fromIssue = issues.tooEarly ? t('runs.tooEarly', { date: formatDate(issues.tooEarly) }) : null;
  const toIssue = issues.fromAfterTo ? t('runs.fromAfterTo') : null;
  const set = (patch: Partial<RunFilter>) => setDraft({ ...draft, ...patch });
  const toggle = (s: RunStatus, on: boolean) => set({ statuses: toggleStatus(draft.statuses, s, on) });

  // Opening the panel takes the keyboard into it.
  useEffect(() => {
    searchRef.current?.focus();
  }, []);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const to = applyPath(automationId, draft, retentionDays);
    if (to === null) return;
    onClose(true);
    navigate(to);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };
  return (
    <form
      id={id}
      className="card filter-panel"
      onSubmit={apply}
      onKeyDown={onKeyDown}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h2 id={`${id}-title`}>{t('runs.filterTitle')}</h2>
      <div className="field">
        <label htmlFor={`${id}-search`}>{t('runs.search')}</label>
        <input
          ref={searchRef}
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
        <legend>{t('origin.title')}</legend>
        <div className="check-row">
          {RUN_ORIGINS.map((o) => (
            <div className="check" key={o}>
              <input
                id={`${id}-origin-${o}`}
                type="checkbox"
                checked={draft.origins?.includes(o) ?? false}
                onChange={(e) => set({ origins: toggleOrigin(draft.origins, o, e.target.checked) })}
              />
              <label htmlFor={`${id}-origin-${o}`}>{t(`origin.${o}`)}</label>
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
          <DateField
            label={t('runs.from')}
            value={draft.from}
            min={earliest}
            max={today}
            describedBy={`${id}-period-hint${fromIssue ? ` ${id}-from-error` : ''}`}
            error={
              fromIssue && (
                <p className="field-error" id={`${id}-from-error`}>
                  {fromIssue}
                </p>
              )
            }
            onChange={(from) => set({ from })}
          />
          <DateField
            label={t('runs.to')}
            value={draft.to}
            min={draft.from || earliest}
            max={today}
            describedBy={toIssue ? `${id}-to-error` : undefined}
            error={
              toIssue && (
                <p className="field-error" id={`${id}-to-error`}>
                  {toIssue}
                </p>
              )
            }
            onChange={(to) => set({ to })}
          />
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={!periodValid(issues)}>
          {t('runs.apply')}
        </button>
        <button type="button" className="btn" onClick={() => setDraft(EMPTY_FILTER)}>
          {t('runs.clear')}
        </button>
        <button type="button" className="btn" onClick={() => onClose()}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function ActiveFilter({ automationId, filter }: { automationId: string; filter: RunFilter }) {
  const { t, formatDate } = useI18n();
  if (!isFiltered(filter)) return null;
  const chips = filterChips(filter).map((c) =>
    c.kind === 'search'
      ? t('runs.searchChip', { search: c.search })
      : c.kind === 'status'
        ? t(`status.${c.status}`)
        : c.kind === 'origin'
          ? t(`origin.${c.origin}`)
          : t('runs.periodChip', {
              from: c.from ? formatDate(`${c.from}T00:00`) : '…',
              to: c.to ? formatDate(`${c.to}T00:00`) : '…',
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
