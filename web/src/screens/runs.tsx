// The runs log of one automation (Log → Automation runs): the filtered page of runs (filter in
// runs-filter.tsx), counts per status, cursor paging, and replay of chosen runs or of every failed run
// matching the filter.
import { useEffect, useId, useState } from 'react';
import { ErrorBox, Loading, PageTitle, QueryView, StatusBadge } from '../components';
import { api } from '../lib/api';
import { useI18n, type Translate } from '../lib/i18n';
import { invalidate, invalidateExact, useQuery } from '../lib/query';
import { Link } from '../lib/router';
import {
  RUN_STATUSES,
  type Automation,
  type Me,
  type ReplayResult,
  type RunPage,
  type RunSummary,
} from '../lib/types';
import { AUTOMATIONS } from './automations';
import {
  ActiveFilter,
  apiFilter,
  FilterPanel,
  filterOf,
  isFiltered,
  queryOf,
  runsApiPath,
  runsPagePath,
  type RunFilter,
} from './runs-filter';

export { runsApiPath, runsPagePath };

const PAGE_SIZE = 25;
const DEFAULT_RETENTION_DAYS = 14;

function listPath(automationId: string, filter: RunFilter, retentionDays: number, cursor: string | null) {
  const f = apiFilter(filter, retentionDays);
  const params = new URLSearchParams();
  if (f.search) params.set('search', f.search);
  for (const s of f.status ?? []) params.append('status', s);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  params.set('limit', String(PAGE_SIZE));
  if (cursor) params.set('cursor', cursor);
  return `${runsApiPath(automationId)}?${params.toString()}`;
}

/** The run's name as shown: "Anonymous" translated, or a placeholder when nothing is known. */
export function runName(run: Pick<RunSummary, 'name' | 'email'>, t: Translate): string {
  if (run.email === null && run.name === 'Anonymous') return t('runs.anonymous');
  return run.name || t('runs.noName');
}

/** Whether the run may change soon on its own, so the screen showing it should look again. */
export function isMoving(run: RunSummary, now = Date.now()): boolean {
  if (run.status === 'running') return true;
  return (
    run.status === 'scheduled' && (run.nextAttemptAt === null || Date.parse(run.nextAttemptAt) < now + 30_000)
  );
}

export function RunsLogPage({ automationId, query }: { automationId: string; query: string }) {
  const { t } = useI18n();
  const automation = useQuery<Automation>(`${AUTOMATIONS}/${automationId}`);
  const me = useQuery<Me>('/api/v1/me');
  const retentionDays = me.data?.runRetentionDays ?? DEFAULT_RETENTION_DAYS;
  const filter = filterOf(query);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/automations">{t('nav.automations')}</Link> ›{' '}
        <Link to={`/automations/${automationId}`}>{automation.data?.name ?? '…'}</Link> › {t('log.title')}
      </p>
      <PageTitle>{t('automation.runs')}</PageTitle>
      <QueryView query={automation}>
        {(a) => (
          // A new filter starts again at page 1 with nothing selected.
          <RunsLog key={queryOf(filter)} automation={a} filter={filter} retentionDays={retentionDays} />
        )}
      </QueryView>
    </>
  );
}

function RunsLog({
  automation,
  filter,
  retentionDays,
}: {
  automation: Automation;
  filter: RunFilter;
  retentionDays: number;
}) {
  const { t, formatNumber } = useI18n();
  const [filterOpen, setFilterOpen] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [replayMode, setReplayMode] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const panelId = useId();
  const menuId = useId();
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useQuery<RunPage>(listPath(automation.id, filter, retentionDays, cursor));
  const { reload } = page;

  // Runs being sent (or about to be) change status by themselves: look again every couple of seconds.
  const moving = page.data?.items.some((r) => isMoving(r)) ?? false;
  useEffect(() => {
    if (!moving) return;
    const timer = window.setTimeout(reload, 2000);
    return () => window.clearTimeout(timer);
  }, [moving, page.data, reload]);

  const selectPage = (runs: RunSummary[], on: boolean) => {
    const next = new Set(selected);
    for (const r of runs) {
      if (on) next.add(r.id);
      else next.delete(r.id);
    }
    setSelected(next);
  };
  const refreshAll = () => {
    invalidate(runsApiPath(automation.id));
    invalidateExact(`${AUTOMATIONS}/${automation.id}`);
  };
  const replay = async (body: unknown) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const answer = await api<ReplayResult>('POST', `${runsApiPath(automation.id)}/replay`, body);
      setResult(answer);
      setSelected(new Set());
      setReplayMode(false);
      refreshAll();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const replayAllFailed = (failed: number, capped = false) => {
    setMenuOpen(false);
    if (failed === 0 && !capped) {
      window.alert(t('runs.noFailed'));
      return;
    }
    // A capped count is "at least n"; the replay itself takes every failed run matching the filter.
    const n = countText(failed, capped, t, formatNumber);
    if (!window.confirm(t('runs.confirmReplayAllFailed', { n }))) return;
    void replay({ filter: { ...apiFilter(filter, retentionDays), status: ['failed'] } });
  };

  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          className="btn"
          aria-expanded={filterOpen}
          aria-controls={panelId}
          onClick={() => setFilterOpen(!filterOpen)}
        >
          {t('runs.filter')}
        </button>
        <button
          type="button"
          className="btn"
          aria-expanded={menuOpen}
          aria-controls={menuId}
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('runs.actions')}
        </button>
        <button type="button" className="btn" onClick={refreshAll}>
          {t('runs.refresh')}
        </button>
      </div>
      {menuOpen && (
        <ul id={menuId} className="menu-list" aria-label={t('runs.actions')}>
          <li>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setMenuOpen(false);
                setReplayMode(true);
                setResult(null);
              }}
            >
              {t('runs.replayMode')}
            </button>
          </li>
          <li>
            <button
              type="button"
              className="btn"
              disabled={busy || page.data === undefined}
              onClick={() => replayAllFailed(page.data?.counts.failed ?? 0, page.data?.countsCapped?.failed)}
            >
              {t('runs.replayAllFailed')}
              {page.data &&
                ` (${countText(page.data.counts.failed, page.data.countsCapped?.failed, t, formatNumber)})`}
            </button>
          </li>
        </ul>
      )}
      {filterOpen && (
        <FilterPanel
          id={panelId}
          automationId={automation.id}
          filter={filter}
          retentionDays={retentionDays}
          onClose={() => setFilterOpen(false)}
        />
      )}
      <ActiveFilter automationId={automation.id} filter={filter} />
      {replayMode && (
        <section className="card replay-bar" aria-labelledby={`${menuId}-replay`}>
          <h2 id={`${menuId}-replay`}>{t('runs.replayMode')}</h2>
          <p className="hint">{t('runs.replayIntro')}</p>
          {page.data && page.data.items.length > 0 && (
            <div className="check">
              <input
                id={`${menuId}-all`}
                type="checkbox"
                checked={page.data.items.every((r) => selected.has(r.id))}
                onChange={(e) => selectPage(page.data?.items ?? [], e.target.checked)}
              />
              <label htmlFor={`${menuId}-all`}>{t('runs.selectAll')}</label>
            </div>
          )}
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || selected.size === 0}
              onClick={() => void replay({ runIds: [...selected] })}
            >
              {t('runs.replay')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setReplayMode(false);
                setSelected(new Set());
              }}
            >
              {t('common.cancel')}
            </button>
            <span role="status" className="selected-count">
              {t('runs.selected', { n: formatNumber(selected.size) })}
            </span>
          </div>
        </section>
      )}
      <ErrorBox error={error} />
      {result && <ReplayOutcome result={result} />}
      {page.data === undefined && page.error ? (
        <div>
          <ErrorBox error={page.error} onRetry={reload} />
          {isFiltered(filter) && (
            <Link className="btn" to={runsPagePath(automation.id)}>
              {t('runs.clear')}
            </Link>
          )}
        </div>
      ) : page.data === undefined ? (
        <Loading />
      ) : (
        <>
          <StatusCounts counts={page.data.counts} capped={page.data.countsCapped} />
          {page.error !== undefined && <ErrorBox error={page.error} onRetry={reload} />}
          {page.data.items.length === 0 && cursors.length === 1 ? (
            <div className="card empty">
              <p>{isFiltered(filter) ? t('runs.noneMatch') : t('runs.none')}</p>
              {isFiltered(filter) && (
                <Link className="btn" to={runsPagePath(automation.id)}>
                  {t('runs.clear')}
                </Link>
              )}
            </div>
          ) : (
            <RunsTable
              runs={page.data.items}
              replayMode={replayMode}
              selected={selected}
              onSelect={setSelected}
            />
          )}
          <nav className="pager" aria-label={t('runs.paging')}>
            <button
              type="button"
              className="btn"
              disabled={cursors.length === 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              {t('runs.previous')}
            </button>
            <span className="muted">{t('runs.page', { n: cursors.length })}</span>
            <button
              type="button"
              className="btn"
              disabled={!page.data.nextCursor}
              onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
            >
              {t('runs.next')}
            </button>
          </nav>
        </>
      )}
    </>
  );
}

/** A count as shown: "1 234", or "10 000+" when the server stopped counting there. */
function countText(
  n: number,
  capped: boolean | undefined,
  t: Translate,
  formatNumber: (n: number) => string,
) {
  return capped ? t('runs.atLeast', { n: formatNumber(n) }) : formatNumber(n);
}

function StatusCounts({ counts, capped }: { counts: RunPage['counts']; capped: RunPage['countsCapped'] }) {
  const { t, formatNumber } = useI18n();
  return (
    <ul className="run-counts" aria-label={t('runs.counts')}>
      {RUN_STATUSES.map((s) => (
        <li key={s}>
          <StatusBadge status={s} />{' '}
          <strong title={capped?.[s] ? t('runs.atLeastHint', { n: formatNumber(counts[s]) }) : undefined}>
            {countText(counts[s], capped?.[s], t, formatNumber)}
          </strong>
        </li>
      ))}
    </ul>
  );
}

function RunsTable({
  runs,
  replayMode,
  selected,
  onSelect,
}: {
  runs: RunSummary[];
  replayMode: boolean;
  selected: Set<string>;
  onSelect(next: Set<string>): void;
}) {
  const { t, formatDateTime } = useI18n();
  const selectOne = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onSelect(next);
  };
  return (
    <div className="table-wrap">
      <table className="runs-table">
        <caption className="visually-hidden">{t('automation.runs')}</caption>
        <thead>
          <tr>
            {replayMode && (
              <th scope="col" className="select">
                <span className="visually-hidden">{t('runs.selectColumn')}</span>
              </th>
            )}
            <th scope="col">{t('runs.name')}</th>
            <th scope="col">{t('runs.status')}</th>
            <th scope="col">{t('runs.created')}</th>
            <th scope="col">{t('runs.pushUrl')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const name = runName(r, t);
            return (
              <tr key={r.id}>
                {replayMode && (
                  <td className="select">
                    <input
                      type="checkbox"
                      aria-label={t('runs.select', { name })}
                      checked={selected.has(r.id)}
                      onChange={(e) => selectOne(r.id, e.target.checked)}
                    />
                  </td>
                )}
                <td data-label={t('runs.name')}>
                  <Link to={`/runs/${r.id}`}>{name}</Link>
                  {r.email && r.email !== r.name && <span className="muted sub">{r.email}</span>}
                </td>
                <td data-label={t('runs.status')}>
                  <StatusBadge status={r.status} />
                  <span className="muted sub">
                    <time dateTime={r.statusChangedAt}>{formatDateTime(r.statusChangedAt)}</time>
                  </span>
                </td>
                <td data-label={t('runs.created')}>
                  <time dateTime={r.createdAt}>{formatDateTime(r.createdAt)}</time>
                </td>
                <td data-label={t('runs.pushUrl')} className="url">
                  {r.pushUrl}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ReplayOutcome({ result }: { result: ReplayResult }) {
  const { t, formatNumber } = useI18n();
  const reasons = (['running', 'not_found'] as const)
    .map((reason) => [reason, result.skipped.filter((s) => s.reason === reason).length] as const)
    .filter(([, n]) => n > 0);
  return (
    <div className="notice notice-ok replay-outcome" role="status">
      <p>{t('runs.replayed', { n: formatNumber(result.replayed) })}</p>
      {!result.automationEnabled && <p>{t('runs.replayedDisabled')}</p>}
      {reasons.map(([reason, n]) => (
        <p key={reason}>{t(`runs.skipped.${reason}`, { n: formatNumber(n) })}</p>
      ))}
    </div>
  );
}
