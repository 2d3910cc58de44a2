// One run: who it is for, its status and times, the push URL, the outgoing message exactly as sent
// (pretty-printed, as text) and every attempt with its diagnosis, hint, the request headers it sent and the
// receiver's answer.
import { useEffect, useState } from 'react';
import { CopyButton, DateTime, ErrorBox, PageTitle, QueryView, StatusBadge, UrlText } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { keys, queryClient, useAutomation, useRun } from '../lib/queries';
import { Link } from 'react-router';
import type { Attempt, ReplayResult, RunDetails } from '../lib/types';
import { prettyJson } from './automation-parts';
import { FailureDiagnosis } from './failure-diagnosis';
import { isMoving, ReplayOutcome, runName, runsPagePath } from './runs';

export function RunDetailsPage({ id }: { id: string }) {
  const run = useRun(id);
  return <QueryView query={run}>{(r) => <RunView run={r} reload={() => void run.refetch()} />}</QueryView>;
}

function RunView({ run, reload }: { run: RunDetails; reload(): void }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const automation = useAutomation(run.automationId);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [raw, setRaw] = useState(false);
  const anonymous = run.email === null && run.name === 'Anonymous' && run.firstName === null;
  const name = runName(run, t);

  const moving = isMoving(run);
  useEffect(() => {
    if (!moving) return;
    const timer = window.setTimeout(reload, 2000);
    return () => window.clearTimeout(timer);
  }, [moving, run, reload]);

  const replay = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await unwrap(
          client.POST('/api/v1/automations/{id}/runs/replay', {
            params: { path: { id: run.automationId } },
            body: { runIds: [run.id] },
          }),
        ),
      );
      void queryClient.invalidateQueries({ queryKey: keys.run(run.id) });
      void queryClient.invalidateQueries({ queryKey: keys.runs(run.automationId) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/automations">{t('nav.automations')}</Link> ›{' '}
        <Link to={`/automations/${run.automationId}`}>{automation.data?.name ?? '…'}</Link> ›{' '}
        <Link to={runsPagePath(run.automationId)}>{t('automation.runs')}</Link>
      </p>
      <PageTitle>{name}</PageTitle>
      <dl className="facts run-facts">
        {!anonymous && (
          <>
            <dt>{t('run.firstName')}</dt>
            <dd>{run.firstName ?? '–'}</dd>
            <dt>{t('run.lastName')}</dt>
            <dd>{run.lastName ?? '–'}</dd>
            <dt>{t('run.email')}</dt>
            <dd>{run.email ?? '–'}</dd>
          </>
        )}
        <dt>{t('run.status')}</dt>
        <dd>
          <StatusBadge status={run.status} />{' '}
          <span className="muted">{t('runs.since', { date: formatDateTime(run.statusChangedAt) })}</span>
        </dd>
        <dt>{t('run.created')}</dt>
        <dd>
          <DateTime iso={run.createdAt} />
        </dd>
        <dt>{t('origin.title')}</dt>
        <dd>{t(`origin.${run.origin}`)}</dd>
        <dt>{t('run.pushUrl')}</dt>
        <dd>
          <UrlText url={run.pushUrl} /> <CopyButton value={run.pushUrl} label={t('runs.copyUrl')} />
        </dd>
        <dt>{t('run.id')}</dt>
        <dd>
          <code>{run.id}</code> <CopyButton value={run.id} label={t('run.copyId')} />
        </dd>
        {run.nextAttemptAt && (
          <>
            <dt>{t('run.nextAttempt')}</dt>
            <dd>{formatDateTime(run.nextAttemptAt)}</dd>
          </>
        )}
        <dt>{t('run.attempts')}</dt>
        <dd>{formatNumber(run.attempts)}</dd>
      </dl>
      <div className="actions">
        <button
          type="button"
          className="btn"
          disabled={busy || run.status === 'running'}
          onClick={() => void replay()}
        >
          {t('run.replay')}
        </button>
      </div>
      <ErrorBox error={error} />
      {result && <ReplayOutcome result={result} />}
      <section aria-labelledby="message-heading">
        <h2 id="message-heading">{t('run.message')}</h2>
        <div className="actions">
          <button type="button" className="btn btn-small" aria-pressed={raw} onClick={() => setRaw(!raw)}>
            {raw ? t('run.pretty') : t('run.raw')}
          </button>
          <CopyButton value={run.message} label={t('run.copyMessage')} />
        </div>
        <pre className="excerpt message" tabIndex={0} aria-labelledby="message-heading">
          {raw ? run.message : prettyJson(run.message)}
        </pre>
      </section>
      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">{t('run.attemptLog')}</h2>
        {run.attemptLog.length === 0 ? (
          <p className="muted">{t('run.noAttempts')}</p>
        ) : (
          <ol className="attempts">
            {run.attemptLog.map((a) => (
              <AttemptView key={a.number} attempt={a} />
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function AttemptView({ attempt: a }: { attempt: Attempt }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const ok = a.error === null;
  return (
    <li className={`card attempt ${ok ? 'ok' : 'failed'}`}>
      <h3>{t('run.attemptN', { n: a.number })}</h3>
      <dl className="facts">
        <dt>{t('run.trigger')}</dt>
        <dd>{t(`run.trigger.${a.trigger}`)}</dd>
        <dt>{t('run.time')}</dt>
        <dd>{formatDateTime(a.startedAt)}</dd>
        <dt>{t('run.duration')}</dt>
        <dd>{t('test.ms', { ms: formatNumber(a.durationMs) })}</dd>
        <dt>{t('run.url')}</dt>
        <dd>
          <UrlText url={a.url} />
        </dd>
        <dt>{t('run.httpStatus')}</dt>
        <dd>{a.statusCode ?? t('run.noResponse')}</dd>
      </dl>
      {a.error && <FailureDiagnosis error={a.error} statusCode={a.statusCode} />}
      <div className="attempt-exchange">
        <SentHeaders attempt={a} />
        {a.responseBody !== null && (
          <div>
            <h4>{t('run.response')}</h4>
            <pre className="excerpt">{a.responseBody === '' ? t('test.emptyBody') : a.responseBody}</pre>
          </div>
        )}
      </div>
    </li>
  );
}

/** The request headers the attempt sent, as stored: signature shortened, credential values masked. */
function SentHeaders({ attempt: a }: { attempt: Attempt }) {
  const { t } = useI18n();
  const headingId = `sent-headers-${a.number}`;
  return (
    <div>
      <h4 id={headingId}>{t('run.requestHeaders')}</h4>
      {a.requestHeaders === null ? (
        <p className="muted">{t('run.headersNotKept')}</p>
      ) : (
        <>
          <div className="sent-headers-wrap">
            <table className="sent-headers" aria-labelledby={headingId}>
              <thead>
                <tr>
                  <th scope="col">{t('run.headerName')}</th>
                  <th scope="col">{t('run.headerValue')}</th>
                </tr>
              </thead>
              <tbody>
                {a.requestHeaders.map((h) => (
                  <tr key={h.name}>
                    <th scope="row">
                      <code>{h.name}</code>
                    </th>
                    <td>
                      <code>{h.value}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted sent-headers-note">{t('run.headersMasked')}</p>
        </>
      )}
    </div>
  );
}
