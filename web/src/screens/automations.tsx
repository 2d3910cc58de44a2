// The automation area: every automation with its survey and status, and the way into the wizard.
import { PageTitle, QueryView } from '../components';
import { useI18n, type Translate } from '../lib/i18n';
import { useAutomations, useSurveys } from '../lib/queries';
import { Link } from 'react-router';
import type { Automation } from '../lib/types';
import { useRunSummary } from './runs-chart';

/** "Enabled", or "Disabled" with the reason. */
export function statusText(a: Automation, t: Translate): string {
  if (a.enabled) return t('automation.enabled');
  return t('automation.disabledWith', { reason: t(`automation.reason.${a.disabledReason ?? 'manual'}`) });
}

export function AutomationsList() {
  const { t, formatNumber } = useI18n();
  const automations = useAutomations();
  const surveys = useSurveys();
  const titleOf = (id: string) => surveys.data?.items.find((s) => s.id === id)?.title ?? '…';
  return (
    <>
      <PageTitle
        actions={
          <Link className="btn btn-primary" to="/automations/new">
            {t('automations.create')}
          </Link>
        }
      >
        {t('automations.title')}
      </PageTitle>
      <QueryView query={automations}>
        {(data) =>
          data.items.length === 0 ? (
            <div className="card empty">
              <p>{t('automations.none')}</p>
              <Link className="btn btn-primary" to="/automations/new">
                {t('automations.create')}
              </Link>
            </div>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('automation.name')}</th>
                    <th scope="col">{t('common.survey')}</th>
                    <th scope="col">{t('automation.status')}</th>
                    <th scope="col" className="num">
                      {t('status.succeeded')}
                    </th>
                    <th scope="col" className="num">
                      {t('status.failed')}
                    </th>
                    <th scope="col">{t('automations.lastRun')}</th>
                    <th scope="col" className="num">
                      {t('automations.successRate')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <Link to={`/automations/${a.id}`}>{a.name}</Link>
                      </td>
                      <td>{titleOf(a.surveyId)}</td>
                      <td>
                        <span className={a.enabled ? 'badge badge-succeeded' : 'badge badge-failed'}>
                          {statusText(a, t)}
                        </span>
                      </td>
                      <td className="num">{formatNumber(a.stats.succeeded)}</td>
                      <td className="num">{formatNumber(a.stats.failed)}</td>
                      <RunSummaryCells automationId={a.id} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </>
  );
}

/** Last run and 14-day success rate of one automation (from its runs-per-day answer). */
function RunSummaryCells({ automationId }: { automationId: string }) {
  const { t, formatDateTime, formatPercent } = useI18n();
  const summary = useRunSummary(automationId);
  return (
    <>
      <td>
        {summary ? (summary.lastRunAt ? formatDateTime(summary.lastRunAt) : t('automations.noRuns')) : '…'}
      </td>
      <td className="num">
        {summary ? (summary.successRate === null ? '–' : formatPercent(summary.successRate)) : '…'}
      </td>
    </>
  );
}
