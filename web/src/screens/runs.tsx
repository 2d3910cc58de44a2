// The runs log of one automation (Log → Automation runs): the filtered page of runs (filter panel in
// runs-filter.tsx, its logic in lib/runs-filter-model.ts), counts per status, cursor paging, and replay
// of chosen runs or of every failed run matching the filter. The Actions menu and the filter panel work
// from the keyboard: opening moves focus into them, Escape closes them and focus returns to their button.
import { useEffect, useId, useRef, useState, type MouseEvent, type MutableRefObject } from 'react';
import {
  CopyButton,
  DateTime,
  ErrorBox,
  Loading,
  PageTitle,
  QueryView,
  ShortUrl,
  StatusBadge,
} from '../components';
import { client, unwrap } from '../lib/api';
import type { operations } from '../lib/api-types';

type ReplayBody = NonNullable<operations['replayRuns']['requestBody']>['content']['application/json'];
import { ActionsMenu } from '../ui/menu';
import { useConfirm } from '../ui/confirm';
import { useI18n, type Translate } from '../lib/i18n';
import { keys, queryClient, useAutomation, useMe, useRunPage } from '../lib/queries';
import { Link, useNavigate } from 'react-router';
import {
  RUN_STATUSES,
  type Automation,
  type ReplayResult,
  type RunPage,
  type RunSummary,
} from '../lib/types';
import {
  apiFilter,
  filterOf,
  isFiltered,
  listQuery,
  queryOf,
  type RunFilter,
} from '../lib/runs-filter-model';
import { ActiveFilter, FilterPanel, runsPagePath } from './runs-filter';

export { runsPagePath };

const PAGE_SIZE = 25;
const DEFAULT_RETENTION_DAYS = 14;

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
  const automation = useAutomation(automationId);
  const me = useMe();
  const retentionDays = me.data?.runRetentionDays ?? DEFAULT_RETENTION_DAYS;
  const filter = filterOf(query);
  // Apply starts a new RunsLog (below): this tells it to give focus back to its Filter button.
  const refocusFilter = useRef(false);
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
          <RunsLog
            key={queryOf(filter)}
            automation={a}
            filter={filter}
            retentionDays={retentionDays}
            refocusFilter={refocusFilter}
          />
        )}
      </QueryView>
    </>
  );
}

function RunsLog({
  automation,
  filter,
  retentionDays,
  refocusFilter,
}: {
  automation: Automation;
  filter: RunFilter;
  retentionDays: number;
  refocusFilter: MutableRefObject<boolean>;
}) {
  const { t, formatNumber } = useI18n();
  const [filterOpen, setFilterOpen] = useState(false);
  const confirm = useConfirm();
  const [replayMode, setReplayMode] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const panelId = useId();
  const menuId = useId();
  const filterButton = useRef<HTMLButtonElement>(null);
  const replayHeading = useRef<HTMLHeadingElement>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useRunPage(automation.id, listQuery(filter, retentionDays, PAGE_SIZE, cursor));
  const reload = () => void page.refetch();

  // Runs being sent (or about to be) change status by themselves: look again every couple of seconds.
  const moving = page.data?.items.some((r) => isMoving(r)) ?? false;
  const { refetch } = page;
  useEffect(() => {
    if (!moving) return;
    const timer = window.setTimeout(() => void refetch(), 2000);
    return () => window.clearTimeout(timer);
  }, [moving, page.data, refetch]);

  useEffect(() => {
    if (!refocusFilter.current) return;
    refocusFilter.current = false;
    filterButton.current?.focus();
  }, [refocusFilter]);

  const closeFilter = (applied = false) => {
    setFilterOpen(false);
    if (applied) refocusFilter.current = true;
    else filterButton.current?.focus();
  };
  const startReplayMode = () => {
    setReplayMode(true);
    setResult(null);
  };
  useEffect(() => {
    if (replayMode) replayHeading.current?.focus();
  }, [replayMode]);

  const selectPage = (runs: RunSummary[], on: boolean) => {
    const next = new Set(selected);
    for (const r of runs) {
      if (on) next.add(r.id);
      else next.delete(r.id);
    }
    setSelected(next);
  };
  const refreshAll = () => {
    void queryClient.invalidateQueries({ queryKey: keys.runs(automation.id) });
    void queryClient.invalidateQueries({ queryKey: keys.automation(automation.id), exact: true });
  };
  const replay = async (body: ReplayBody) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const answer = await unwrap(
        client.POST('/api/v1/automations/{id}/runs/replay', {
          params: { path: { id: automation.id } },
          body,
        }),
      );
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
  const replayAllFailed = async (failed: number, capped = false) => {
    if (failed === 0 && !capped) {
      await confirm({ title: t('runs.replayAllFailed'), message: t('runs.noFailed') });
      return;
    }
    // A capped count is "at least n"; the replay itself takes every failed run matching the filter.
    const n = countText(failed, capped, t, formatNumber);
    const ok = await confirm({
      title: t('runs.confirmReplayTitle'),
      message: t('runs.confirmReplayAllFailed', { count: failed, n }),
      action: t('runs.replay'),
    });
    if (!ok) return;
    void replay({ filter: { ...apiFilter(filter, retentionDays), status: ['failed'] } });
  };

  const replayAllLabel =
    t('runs.replayAllFailed') +
    (page.data
      ? ` (${countText(page.data.counts.failed, page.data.countsCapped?.failed, t, formatNumber)})`
      : '');

  return (
    <>
      <div className="toolbar">
        <button
          ref={filterButton}
          type="button"
          className="btn"
          aria-expanded={filterOpen}
          aria-controls={panelId}
          onClick={() => setFilterOpen(!filterOpen)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && filterOpen) {
              e.preventDefault();
              setFilterOpen(false);
            }
          }}
        >
          {t('runs.filter')}
        </button>
        <ActionsMenu
          label={t('runs.actions')}
          actions={[
            { id: 'replay', label: t('runs.replayMode'), textValue: t('runs.replayMode') },
            {
              id: 'replay-failed',
              label: replayAllLabel,
              textValue: replayAllLabel,
              disabled: busy || page.data === undefined,
            },
          ]}
          onAction={(id) => {
            if (id === 'replay') startReplayMode();
            else void replayAllFailed(page.data?.counts.failed ?? 0, page.data?.countsCapped?.failed);
          }}
        />
        <button type="button" className="btn" onClick={refreshAll}>
          {t('runs.refresh')}
        </button>
      </div>
      {filterOpen && (
        <FilterPanel
          id={panelId}
          automationId={automation.id}
          filter={filter}
          retentionDays={retentionDays}
          onClose={closeFilter}
        />
      )}
      <ActiveFilter automationId={automation.id} filter={filter} />
      {replayMode && (
        <section className="card replay-bar" aria-labelledby={`${menuId}-replay`}>
          <h2 id={`${menuId}-replay`} ref={replayHeading} tabIndex={-1}>
            {t('runs.replayMode')}
          </h2>
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
          <StatusCounts
            automationId={automation.id}
            filter={filter}
            counts={page.data.counts}
            capped={page.data.countsCapped}
          />
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
          {(cursors.length > 1 || page.data.nextCursor) && (
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
          )}
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

/** The counts per status; each one is a link that filters the log by that status. */
function StatusCounts({
  automationId,
  filter,
  counts,
  capped,
}: {
  automationId: string;
  filter: RunFilter;
  counts: RunPage['counts'];
  capped: RunPage['countsCapped'];
}) {
  const { t, formatNumber } = useI18n();
  return (
    <ul className="run-counts" aria-label={t('runs.counts')}>
      {RUN_STATUSES.map((s) => {
        const only = filter.statuses.length === 1 && filter.statuses[0] === s;
        const query = queryOf({ ...filter, statuses: only ? [] : [s] });
        return (
          <li key={s}>
            <Link
              className="count-filter"
              to={`${runsPagePath(automationId)}${query ? `?${query}` : ''}`}
              aria-current={only ? 'true' : undefined}
              title={t('runs.filterStatus', { status: t(`status.${s}`) })}
            >
              <StatusBadge status={s} />{' '}
              <strong title={capped?.[s] ? t('runs.atLeastHint', { n: formatNumber(counts[s]) }) : undefined}>
                {countText(counts[s], capped?.[s], t, formatNumber)}
              </strong>
            </Link>
          </li>
        );
      })}
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
  const { t } = useI18n();
  const navigate = useNavigate();
  // The whole row opens the run (the name stays a link for the keyboard and for "open in new tab").
  const openRow = (event: MouseEvent<HTMLTableRowElement>, id: string) => {
    if (replayMode || event.button !== 0) return;
    if ((event.target as HTMLElement).closest('a, button, input, label')) return;
    if (window.getSelection()?.toString()) return; // selecting text to copy it
    navigate(`/runs/${id}`);
  };
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
            <th scope="col">{t('origin.title')}</th>
            <th scope="col">{t('runs.pushUrl')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const name = runName(r, t);
            return (
              <tr
                key={r.id}
                className={replayMode ? undefined : 'clickable'}
                onClick={(e) => openRow(e, r.id)}
              >
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
                  <span className="sub">
                    <DateTime iso={r.statusChangedAt} relative={false} />
                  </span>
                </td>
                <td data-label={t('runs.created')} className="when">
                  <DateTime iso={r.createdAt} />
                </td>
                <td data-label={t('origin.title')} className="origin">
                  {t(`origin.${r.origin}`)}
                </td>
                <td data-label={t('runs.pushUrl')}>
                  <ShortUrl url={r.pushUrl} /> <CopyButton value={r.pushUrl} label={t('runs.copyUrl')} />
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
  const { t } = useI18n();
  const reasons = (['running', 'not_found'] as const)
    .map((reason) => [reason, result.skipped.filter((s) => s.reason === reason).length] as const)
    .filter(([, n]) => n > 0);
  return (
    <div className="notice notice-ok replay-outcome" role="status">
      <p>{t('runs.replayed', { count: result.replayed })}</p>
      {!result.automationEnabled && <p>{t('runs.replayedDisabled')}</p>}
      {reasons.map(([reason, n]) => (
        <p key={reason}>{t(`runs.skipped.${reason}`, { count: n })}</p>
      ))}
    </div>
  );
}
