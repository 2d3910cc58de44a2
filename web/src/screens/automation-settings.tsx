// The automation page's settings part: the settings form (saved together; a connection test of the
// settings as they stand in the form; saving a new URL that has not passed a test asks first, as a live
// automation would start failing), the signing secret (reveal, copy, rotate) and deleting it.
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ErrorBox, Field } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n, type MessageKey } from '../lib/i18n';
import { keys, queryClient } from '../lib/queries';
import type { Automation, Survey, TestResult } from '../lib/types';
import { useConfirm } from '../ui/confirm';
import { useUnsavedChangesPrompt } from '../ui/unsaved';
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
import { StatusChoice } from './wizard';

/** What a connection test proves: this URL with these headers answered. */
const targetKey = (url: string, headers: Record<string, string>) => JSON.stringify([url, headers]);

export function SettingsPart({
  automation,
  survey,
  onSaved,
}: {
  automation: Automation;
  survey: Survey;
  onSaved(a: Automation): void;
}) {
  return (
    <>
      <SettingsForm automation={automation} survey={survey} onSaved={onSaved} />
      <SecretSection automation={automation} onSaved={onSaved} />
      <DeleteSection automation={automation} />
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
  // The target (URL and headers) of the last test that passed.
  const [passed, setPassed] = useState<string | null>(null);
  const confirm = useConfirm();
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
  const target = targetKey(body.url, body.headers);
  const newUrl = urlIssue === null && body.url !== a.url;
  const untested = newUrl && passed !== target;
  useUnsavedChangesPrompt(dirty && !busy);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    // A live automation sends the next response to the new URL: one that has not answered a test may
    // make every run fail until the automation is disabled.
    if (untested && body.enabled) {
      const ok = await confirm({
        title: t('automation.untestedTitle'),
        message: t('automation.untestedMessage', { url: body.url, max: a.failureStreak.disableAt }),
        action: t('automation.saveUntested'),
        danger: true,
      });
      if (!ok) return;
    }
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
    const tested = target;
    try {
      // The settings as they stand in the form, saved or not; the automation's own secrets sign the test.
      const { url: testUrl, variables: testVariables, labels: testLabels, headers: testHeaders } = body;
      const result = await unwrap(
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
      );
      setTest(result);
      if (result.ok) setPassed(tested);
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
        {newUrl && (
          <p className={untested ? 'hint url-untested' : 'hint url-tested'}>
            {untested ? t('automation.urlUntested') : t('automation.urlTested')}
          </p>
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

function DeleteSection({ automation: a }: { automation: Automation }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const confirm = useConfirm();
  const [error, setError] = useState<unknown>(null);
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
    <section aria-labelledby="danger-heading">
      <h2 id="danger-heading">{t('automation.delete')}</h2>
      <p className="muted">{t('automation.deleteHint')}</p>
      <ErrorBox error={error} />
      <button type="button" className="btn btn-danger" onClick={() => void remove()}>
        {t('automation.delete')}
      </button>
    </section>
  );
}
