// One automation: a banner while it is disabled, its run counts, its settings (saved together), a test
// of the saved settings, and its signing secret (reveal, copy, rotate).
import { useState, type FormEvent } from 'react';
import { ErrorBox, Field, PageTitle, QueryView, StatusBadge } from '../components';
import { client, unwrap } from '../lib/api';
import { useConfirm } from '../ui/confirm';
import { useUnsavedChangesPrompt } from '../ui/unsaved';
import { useI18n, type MessageKey } from '../lib/i18n';
import { keys, queryClient, useAutomation, useRun, useRunPage, useSurvey } from '../lib/queries';
import { FailureDiagnosis } from './failure-diagnosis';
import { Link, useNavigate } from 'react-router';
import { RUN_STATUSES, type Automation, type Survey, type TestResult } from '../lib/types';
import {
  AnswerFormatChoice,
  HeadersEditor,
  headerProblem,
  headerRowsOf,
  headersOf,
  LabelsChoice,
  SecretView,
  TestResultView,
  urlProblem,
  VariablePicker,
  type HeaderRow,
} from './automation-parts';
import { statusText } from './automations';
import { NotificationsSection } from './notifications';
import { runsPagePath } from './runs';
import { RunsChart } from './runs-chart';
import { StatusChoice } from './wizard';
import { FailureStreakNote, LostVariablesNote } from './automation-health';
import { SendExistingButton } from './backfill';
import { PayloadContractSection } from './payload-schema';

export function AutomationPage({ id }: { id: string }) {
  const automation = useAutomation(id);
  return <QueryView query={automation}>{(a) => <AutomationView automation={a} />}</QueryView>;
}

function AutomationView({ automation: a }: { automation: Automation }) {
  const navigate = useNavigate();
  const confirm = useConfirm();
  const { t, formatNumber, formatDateTime } = useI18n();
  const survey = useSurvey(a.surveyId);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const saved = (next: Automation) => {
    queryClient.setQueryData(keys.automation(a.id), next);
    void queryClient.invalidateQueries({ queryKey: keys.automationList });
  };
  const enable = async () => {
    setBusy(true);
    setError(null);
    try {
      saved(
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
  const remove = async () => {
    const ok = await confirm({
      title: t('automation.deleteTitle'),
      message: t('automation.confirmDelete', { name: a.name }),
      action: t('common.delete'),
      danger: true,
    });
    if (!ok) return;
    try {
      await unwrap(client.DELETE('/api/v1/automations/{id}', { params: { path: { id: a.id } } }));
      queryClient.removeQueries({ queryKey: keys.automation(a.id) });
      void queryClient.invalidateQueries({ queryKey: keys.automations });
      navigate('/automations');
    } catch (err) {
      setError(err);
    }
  };
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
      {!a.enabled && (
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
      )}
      <FailureStreakNote automation={a} />
      <LostVariablesNote automation={a} />
      <ErrorBox error={error} />
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
        <RunsChart automationId={a.id} />
      </section>
      {survey.data ? (
        <SettingsForm automation={a} survey={survey.data} onSaved={saved} />
      ) : (
        <ErrorBox error={survey.error} />
      )}
      <PayloadContractSection automationId={a.id} name={a.name} version={a.updatedAt} />
      <SecretSection automation={a} onSaved={saved} />
      <NotificationsSection automationId={a.id} />
      <section aria-labelledby="danger-heading">
        <h2 id="danger-heading">{t('automation.delete')}</h2>
        <p className="muted">{t('automation.deleteHint')}</p>
        <button type="button" className="btn btn-danger" onClick={() => void remove()}>
          {t('automation.delete')}
        </button>
      </section>
    </>
  );
}

function SettingsForm({
  automation: a,
  survey,
  onSaved,
}: {
  automation: Automation;
  survey: Survey;
  onSaved(a: Automation): void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(a.name);
  const [url, setUrl] = useState(a.url);
  const [enabled, setEnabled] = useState(a.enabled);
  const [variables, setVariables] = useState(a.variables);
  const [labels, setLabels] = useState(a.labels);
  const [answerFormat, setAnswerFormat] = useState(a.answerFormat);
  const [headers, setHeaders] = useState<HeaderRow[]>(() => headerRowsOf(a.headers));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<TestResult | null>(null);
  const [testError, setTestError] = useState<unknown>(null);
  const urlIssue = urlProblem(url);
  const nameIssue: MessageKey | null =
    name.trim() === '' ? 'validation.required' : name.trim().length > 100 ? 'automation.nameTooLong' : null;
  const invalid =
    urlIssue !== null ||
    nameIssue !== null ||
    headers.some((h) => headerProblem(headers, h)) ||
    (variables.mode === 'specific' && variables.ids.length === 0);
  const body = {
    name: name.trim(),
    url: url.trim(),
    enabled,
    variables,
    labels,
    answerFormat,
    headers: headersOf(headers),
  };
  const current = {
    name: a.name,
    url: a.url,
    enabled: a.enabled,
    variables: a.variables,
    labels: a.labels,
    answerFormat: a.answerFormat,
    headers: a.headers,
  };
  const dirty = JSON.stringify(body) !== JSON.stringify(current);
  useUnsavedChangesPrompt(dirty && !busy);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await unwrap(
        client.PATCH('/api/v1/automations/{id}', { params: { path: { id: a.id } }, body }),
      );
      onSaved(next);
      setEnabled(next.enabled);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const runTest = async () => {
    setTestError(null);
    setTest(null);
    try {
      // The settings as they stand in the form, saved or not; the automation's own secrets sign the test.
      const { url: testUrl, variables: testVariables, labels: testLabels, headers: testHeaders } = body;
      setTest(
        await unwrap(
          client.POST('/api/v1/automations/{id}/test', {
            params: { path: { id: a.id } },
            body: {
              url: testUrl,
              variables: testVariables,
              labels: testLabels,
              answerFormat: body.answerFormat,
              headers: testHeaders,
            },
          }),
        ),
      );
    } catch (err) {
      setTestError(err);
    }
  };
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('automation.settings')}</h2>
      <form className="card" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('automation.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={nameIssue ? t(nameIssue) : null}
        />
        <VariablePicker variables={survey.variables} selection={variables} onChange={setVariables} />
        <LabelsChoice value={labels} onChange={setLabels} />
        <AnswerFormatChoice value={answerFormat} onChange={setAnswerFormat} />
        <Field
          label={t('automation.url')}
          type="url"
          spellCheck={false}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={urlIssue ? t(urlIssue) : null}
        />
        {url.trim().toLowerCase().startsWith('http:') && (
          <p className="notice notice-warn">{t('url.insecure')}</p>
        )}
        <HeadersEditor rows={headers} onChange={setHeaders} />
        <StatusChoice enabled={enabled} onChange={setEnabled} editing />
        <ErrorBox error={error} />
        <p role="status" className={saved && !dirty ? 'notice notice-ok' : 'visually-hidden'}>
          {saved && !dirty ? t('automation.saved') : ''}
        </p>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy || invalid || !dirty}>
            {t('common.save')}
          </button>
          <button type="button" className="btn" onClick={() => void runTest()} disabled={invalid}>
            {t('automation.testSaved')}
          </button>
        </div>
        {dirty && <p className="hint">{t('automation.testUnsaved')}</p>}
        <ErrorBox error={testError} />
        {test && <TestResultView result={test} />}
      </form>
    </section>
  );
}

function SecretSection({ automation: a, onSaved }: { automation: Automation; onSaved(a: Automation): void }) {
  const { t, formatDateTime } = useI18n();
  const confirm = useConfirm();
  const [error, setError] = useState<unknown>(null);
  const rotate = async () => {
    const ok = await confirm({
      title: t('secret.rotateTitle'),
      message: t('secret.confirmRotate'),
      action: t('secret.rotate'),
    });
    if (!ok) return;
    try {
      onSaved(
        await unwrap(
          client.POST('/api/v1/automations/{id}/rotate-secret', { params: { path: { id: a.id } } }),
        ),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="secret-heading">
      <h2 id="secret-heading">{t('secret.title')}</h2>
      <p className="muted">{t('secret.intro')}</p>
      <SecretView key={a.secret} secret={a.secret}>
        <button type="button" className="btn btn-danger" onClick={() => void rotate()}>
          {t('secret.rotate')}
        </button>
      </SecretView>
      {a.previousSecretExpiresAt && (
        <p className="hint">{t('secret.overlap', { date: formatDateTime(a.previousSecretExpiresAt) })}</p>
      )}
      <ErrorBox error={error} />
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
