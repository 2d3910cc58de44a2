// One automation, in parts (tabs with the part in the URL, `?part=settings`, so Back and Forward and
// links reach each): the overview (failure streak, lost variables, the 14-day chart), the log (run
// counts, the runs log, sending existing responses), the settings, the failure notifications and the
// payload contract. The disabled banner stays above the parts: the state concerns all of them.
import { useState } from 'react';
import { Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { ErrorBox, PageTitle, QueryView, StatusBadge, UrlText } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n, type MessageKey } from '../lib/i18n';
import { keys, queryClient, useAutomation, useRun, useRunPage, useSurvey } from '../lib/queries';
import { RUN_STATUSES, type Automation } from '../lib/types';
import { FailureStreakNote, LostVariablesNote } from './automation-health';
import { SettingsPart } from './automation-settings';
import { statusText } from './automations';
import { SendExistingButton } from './backfill';
import { FailureDiagnosis } from './failure-diagnosis';
import { NotificationsSection } from './notifications';
import { PayloadContractSection } from './payload-schema';
import { runsPagePath } from './runs';
import { RunsChart, useRunSummary } from './runs-chart';

export const AUTOMATION_PARTS = ['overview', 'log', 'settings', 'notifications', 'contract'] as const;
export type AutomationPart = (typeof AUTOMATION_PARTS)[number];
/** `?part=…`; none or an unknown one is the overview. */
const partParam = z.enum(AUTOMATION_PARTS).catch('overview');

/** The path of one part of an automation's page. */
export const automationPartPath = (id: string, part: AutomationPart) =>
  part === 'overview' ? `/automations/${id}` : `/automations/${id}?part=${part}`;

export function AutomationPage({ id }: { id: string }) {
  const automation = useAutomation(id);
  return <QueryView query={automation}>{(a) => <AutomationView automation={a} />}</QueryView>;
}

function AutomationView({ automation: a }: { automation: Automation }) {
  const { t } = useI18n();
  const survey = useSurvey(a.surveyId);
  const [searchParams, setSearchParams] = useSearchParams();
  const part = partParam.parse(searchParams.get('part') ?? undefined);
  const saved = (next: Automation) => {
    queryClient.setQueryData(keys.automation(a.id), next);
    void queryClient.invalidateQueries({ queryKey: keys.automationList });
  };
  // Each part chosen is a history entry, so Back returns to the part before.
  const choose = (key: Key) =>
    setSearchParams((params) => {
      if (key === 'overview') params.delete('part');
      else params.set('part', String(key));
      return params;
    });
  return (
    <>
      <p className="breadcrumb">
        <Link to="/automations">{t('nav.automations')}</Link>
      </p>
      <PageTitle>{a.name}</PageTitle>
      <p className="muted">
        {t('automation.outgoingWebhook')} · {t('common.survey')}:{' '}
        <Link to={`/surveys/${a.surveyId}`}>{survey.data?.title ?? '…'}</Link> ·{' '}
        <span className={a.enabled ? 'badge badge-succeeded' : 'badge badge-failed'}>{statusText(a, t)}</span>
      </p>
      {!a.enabled && <DisabledBanner automation={a} onSaved={saved} />}
      {/* Arrow keys move between the parts and Enter opens one: each opened part is a history entry. */}
      <Tabs className="parts" selectedKey={part} onSelectionChange={choose} keyboardActivation="manual">
        <TabList className="part-list" aria-label={t('automation.parts')}>
          {AUTOMATION_PARTS.map((p) => (
            <Tab key={p} id={p} className="part-tab">
              {t(`automation.part.${p}` as MessageKey)}
            </Tab>
          ))}
        </TabList>
        <TabPanel id="overview" className="part-panel">
          <FailureStreakNote automation={a} />
          <LostVariablesNote automation={a} />
          <OverviewFacts automation={a} />
          <RunsChart automationId={a.id} />
        </TabPanel>
        <TabPanel id="log" className="part-panel">
          <LogPart automation={a} />
        </TabPanel>
        {/* Kept mounted while another part shows, so edits not saved yet survive a look elsewhere. */}
        <TabPanel id="settings" className="part-panel" shouldForceMount>
          {survey.data ? (
            <SettingsPart automation={a} survey={survey.data} onSaved={saved} />
          ) : (
            <ErrorBox error={survey.error} />
          )}
        </TabPanel>
        <TabPanel id="notifications" className="part-panel">
          <NotificationsSection automationId={a.id} />
        </TabPanel>
        <TabPanel id="contract" className="part-panel">
          <PayloadContractSection automationId={a.id} name={a.name} version={a.updatedAt} />
        </TabPanel>
      </Tabs>
    </>
  );
}

function DisabledBanner({
  automation: a,
  onSaved,
}: {
  automation: Automation;
  onSaved(a: Automation): void;
}) {
  const { t, formatDateTime } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const enable = async () => {
    setBusy(true);
    setError(null);
    try {
      onSaved(
        await unwrap(
          client.PATCH('/api/v1/automations/{id}', {
            params: { path: { id: a.id } },
            body: { enabled: true },
          }),
        ),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div className="notice notice-warn banner" role="region" aria-label={t('automation.disabledBanner')}>
        <div>
          <strong>{t('automation.disabledBanner')}</strong>
          <p>{t(`automation.reasonText.${a.disabledReason ?? 'manual'}` as MessageKey)}</p>
          {a.disabledAt && (
            <p className="muted">{t('automation.disabledAt', { date: formatDateTime(a.disabledAt) })}</p>
          )}
          {a.disabledReason !== 'manual' && a.disabledReason !== null && <LastError automationId={a.id} />}
        </div>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void enable()}>
          {t('automation.enable')}
        </button>
      </div>
      <ErrorBox error={error} />
    </>
  );
}

/** Where it sends, when it last ran and how often that worked, above the chart. */
function OverviewFacts({ automation: a }: { automation: Automation }) {
  const { t, formatDateTime, formatRelative, formatPercent } = useI18n();
  const summary = useRunSummary(a.id);
  return (
    <dl className="facts overview-facts">
      <dt>{t('automation.url')}</dt>
      <dd>
        <code>
          <UrlText url={a.url} />
        </code>
      </dd>
      <dt>{t('automations.lastRun')}</dt>
      <dd>
        {summary
          ? summary.lastRunAt
            ? `${formatDateTime(summary.lastRunAt)} (${formatRelative(summary.lastRunAt)})`
            : t('automations.noRuns')
          : '…'}
      </dd>
      <dt>{t('automations.successRate')}</dt>
      <dd>{summary ? (summary.successRate === null ? '–' : formatPercent(summary.successRate)) : '…'}</dd>
    </dl>
  );
}

function LogPart({ automation: a }: { automation: Automation }) {
  const { t, formatNumber } = useI18n();
  return (
    <section aria-labelledby="stats-heading">
      <h2 id="stats-heading">{t('log.title')}</h2>
      <ul className="stats" aria-label={t('automation.runs')}>
        {RUN_STATUSES.map((s) => (
          <li key={s}>
            <StatusBadge status={s} /> <strong>{formatNumber(a.stats[s])}</strong>
          </li>
        ))}
      </ul>
      <div className="actions">
        <Link className="btn btn-primary" to={runsPagePath(a.id)}>
          {t('automation.runs')}
        </Link>
        {a.stats.failed > 0 && (
          <Link className="btn" to={`${runsPagePath(a.id)}?status=failed`}>
            {t('runs.failedRuns')} ({formatNumber(a.stats.failed)})
          </Link>
        )}
        <SendExistingButton automation={a} />
      </div>
    </section>
  );
}

/** The last failed attempt's diagnosis and hint, so the banner says what went wrong, not only that. */
function LastError({ automationId }: { automationId: string }) {
  const { t } = useI18n();
  const failed = useRunPage(automationId, 'status=failed&limit=1');
  const runId = failed.data?.items[0]?.id ?? null;
  const run = useRun(runId);
  const attempt = run.data?.attemptLog.findLast((x) => x.error !== null);
  if (!attempt?.error) return null;
  return (
    <div className="last-error">
      <p>
        <strong>{t('automation.lastError')}</strong>{' '}
        <Link to={`/runs/${run.data!.id}`}>{t('automation.lastErrorRun')}</Link>
      </p>
      <FailureDiagnosis error={attempt.error} statusCode={attempt.statusCode} />
    </div>
  );
}
