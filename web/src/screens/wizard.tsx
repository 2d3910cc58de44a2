// The creation wizard, in the help article's order: create automation → webhooks → outgoing webhook →
// variables → labels → URL and connection test (next only after a successful test) → name → status → finish.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ErrorBox, Field, Loading, PageTitle, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useUnsavedChangesPrompt } from '../ui/unsaved';
import { useI18n, type MessageKey } from '../lib/i18n';
import { keys, queryClient, useSurvey, useSurveys } from '../lib/queries';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { clearWizardDraft, loadWizardDraft, saveWizardDraft } from '../lib/wizard-draft';
import {
  nameIssue as nameIssueOf,
  nextDisabled,
  nextStep,
  previousStep,
  reachableStep,
  settingsKey as keyOf,
  stepButtons,
  stepIndex,
  submitAction,
  testState,
  variablesForSurvey,
  WIZARD_STEPS,
  wizardSettings,
  type WizardStep,
} from '../lib/wizard-steps';
import type { SurveySummary, TestResult, VariableSelection } from '../lib/types';
import { PayloadContractPreview } from './payload-schema';
import {
  AnswerFormatChoice,
  HeadersEditor,
  headerProblem,
  headersOf,
  LabelsChoice,
  newSigningSecret,
  SecretView,
  TestResultView,
  urlProblem,
  VariablePicker,
  type HeaderRow,
} from './automation-parts';

/** The wizard's query string: `?survey=srv_…&step=labels`; anything else falls back to the first step. */
const wizardSearch = z.object({
  survey: z.string().min(1).optional().catch(undefined),
  step: z.enum(WIZARD_STEPS).optional().catch(undefined),
});

export function AutomationWizard() {
  const navigate = useNavigate();
  const { t } = useI18n();
  const [searchParams, setSearchParams] = useSearchParams();
  const search = wizardSearch.parse(Object.fromEntries(searchParams));
  // A wizard opened at a step (Back from the data labels, Back/Forward between steps) continues its
  // draft; one opened without a step (Create automation) starts afresh.
  const [draft] = useState(() => (search.step ? loadWizardDraft() : null));
  const surveys = useSurveys();
  const [surveyId, setSurveyId] = useState(draft?.surveyId ?? search.survey ?? '');
  const [variables, setVariables] = useState<VariableSelection>(draft?.variables ?? { mode: 'all' });
  const [labels, setLabels] = useState<'auto' | 'data'>(draft?.labels ?? 'auto');
  const [answerFormat, setAnswerFormat] = useState<'text' | 'code'>(draft?.answerFormat ?? 'text');
  const [url, setUrl] = useState(draft?.url ?? '');
  const [headers, setHeaders] = useState<HeaderRow[]>(draft?.headers ?? []);
  const [test, setTest] = useState<{ result: TestResult; settings: string } | null>(draft?.test ?? null);
  const [testing, setTesting] = useState(false);
  const [name, setName] = useState(draft?.name ?? '');
  const [enabled, setEnabled] = useState(draft?.enabled ?? true);
  // The automation's signing secret, made here so the receiver can have it before the test (SPEC §12).
  const [secret] = useState(() => draft?.secret ?? newSigningSecret());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);
  const survey = useSurvey(surveyId || null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    saveWizardDraft({ surveyId, variables, labels, answerFormat, url, headers, test, name, enabled, secret });
  }, [surveyId, variables, labels, answerFormat, url, headers, test, name, enabled, secret]);

  const chooseSurvey = (id: string) => {
    setVariables((v) => variablesForSurvey(v, surveyId, id));
    setSurveyId(id);
  };
  useEffect(() => {
    // A survey chosen from the list once it loads, when none was given.
    if (!surveyId && surveys.data?.items[0]) setSurveyId(surveys.data.items[0].id);
  }, [surveyId, surveys.data]);

  const settings = wizardSettings({
    surveyId,
    url,
    variables,
    labels,
    answerFormat,
    headers: headersOf(headers),
  });
  const settingsKey = keyOf(settings);
  const tested = testState(test, settingsKey);
  const testPassed = tested === 'passed';
  const urlIssue = urlProblem(url);
  const headerIssue = headers.some((h) => headerProblem(headers, h) !== null);
  const nameIssue = nameIssueOf(name);
  const state = { surveyId, variables, test: tested, name };
  // Leaving the wizard asks first, except for the survey's data labels (the draft is kept for them).
  const entered = url.trim() !== '' || name.trim() !== '' || headers.length > 0 || test !== null;
  useUnsavedChangesPrompt(entered && !busy, (path) => path.endsWith('/settings/data-labels'));
  const step = reachableStep(search.step ?? 'survey', state);
  const index = stepIndex(step);
  const buttons = stepButtons(step);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);
  useEffect(() => {
    // Every step has its own history entry; the first one (and a step not reachable yet) is replaced.
    if (search.step !== step)
      setSearchParams(
        (params) => {
          params.set('step', step);
          return params;
        },
        { replace: true },
      );
  }, [search.step, step, setSearchParams]);

  const go = (to: WizardStep | null) => {
    if (to === null) return;
    setError(null);
    setTouched(false);
    setSearchParams((params) => {
      params.set('step', to);
      return params;
    });
  };
  const next = () => go(nextStep(step));
  const back = () => go(previousStep(step));

  const runTest = async () => {
    setTouched(true);
    if (urlIssue || headerIssue) return;
    setTesting(true);
    setError(null);
    try {
      const result = await unwrap(
        client.POST('/api/v1/automations/test-connection', { body: { ...settings, secret } }),
      );
      setTest({ result, settings: settingsKey });
    } catch (err) {
      setTest(null);
      setError(err);
    } finally {
      setTesting(false);
    }
  };

  // Fills in the organization's built-in inbox (created on first use), which the guard lets through.
  const fillInboxUrl = async () => {
    setError(null);
    try {
      const inboxes = await unwrap(client.GET('/api/v1/inboxes'));
      const inbox = inboxes.items[0];
      if (inbox) setUrl(inbox.url);
    } catch (err) {
      setError(err);
    }
  };

  const finish = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await unwrap(
        client.POST('/api/v1/automations', {
          body: { type: 'outgoing_webhook', ...settings, name: name.trim(), enabled, secret },
        }),
      );
      void queryClient.invalidateQueries({ queryKey: keys.automations });
      clearWizardDraft();
      navigate(`/automations/${created.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const action = submitAction(step, state);
    if (action === 'next') next();
    else if (action === 'finish') void finish();
  };

  const stepTitle = t(`wizard.step.${step}` as MessageKey);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/automations">{t('nav.automations')}</Link>
      </p>
      <PageTitle>{t('automations.create')}</PageTitle>
      <ol className="steps" aria-label={t('wizard.progress')}>
        {WIZARD_STEPS.map((s, i) => (
          <li
            key={s}
            className={i < index ? 'done' : i === index ? 'current' : ''}
            aria-current={i === index ? 'step' : undefined}
          >
            <span className="visually-hidden">{i < index ? t('wizard.stepDone') : ''}</span>
            {t(`wizard.step.${s}` as MessageKey)}
          </li>
        ))}
      </ol>
      <form className="card wizard" onSubmit={submit} noValidate>
        <h2 ref={headingRef} tabIndex={-1}>
          {t('wizard.stepOf', { n: index + 1, total: WIZARD_STEPS.length })}: {stepTitle}
        </h2>

        {step === 'survey' && (
          <QueryView query={surveys}>
            {(data) =>
              data.items.length === 0 ? (
                <p>
                  {t('wizard.noSurveys')} <Link to="/surveys">{t('nav.surveys')}</Link>
                </p>
              ) : (
                <SurveySelect surveys={data.items} value={surveyId} onChange={chooseSurvey} />
              )
            }
          </QueryView>
        )}

        {step === 'type' && (
          <div>
            <h3>{t('wizard.webhooks')}</h3>
            <p className="hint">{t('wizard.webhooksHint')}</p>
            <button type="button" className="btn choice" onClick={next}>
              <strong>{t('wizard.outgoingWebhook')}</strong>
              <span>{t('wizard.outgoingWebhookHint')}</span>
            </button>
          </div>
        )}

        {step === 'variables' &&
          (survey.data ? (
            <VariablePicker variables={survey.data.variables} selection={variables} onChange={setVariables} />
          ) : survey.error ? (
            <ErrorBox error={survey.error} onRetry={() => void survey.refetch()} />
          ) : (
            <Loading />
          ))}

        {step === 'labels' && (
          <>
            <LabelsChoice value={labels} onChange={setLabels} />
            <p className="hint">
              <Link
                to={`/surveys/${surveyId}/settings/data-labels`}
                state={{ backTo: `/automations/new?${searchParams.toString()}` }}
              >
                {t('wizard.editDataLabels')}
              </Link>
            </p>
            <AnswerFormatChoice value={answerFormat} onChange={setAnswerFormat} />
            {surveyId && <PayloadContractPreview settings={{ surveyId, variables, labels, answerFormat }} />}
          </>
        )}

        {step === 'url' && (
          <>
            <Field
              label={t('automation.url')}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="https://"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              error={touched && urlIssue ? t(urlIssue) : null}
              hint={t('wizard.urlHint')}
            />
            <p className="toolbar">
              <button type="button" className="btn btn-small" onClick={() => void fillInboxUrl()}>
                {t('wizard.useInbox')}
              </button>
              <span className="hint">{t('wizard.useInboxHint')}</span>
            </p>
            {url.trim().toLowerCase().startsWith('http:') && (
              <p className="notice notice-warn">{t('url.insecure')}</p>
            )}
            <HeadersEditor rows={headers} onChange={setHeaders} />
            <h3>{t('secret.title')}</h3>
            <p className="hint">{t('wizard.secret')}</p>
            <SecretView secret={secret} />
            <button type="button" className="btn" disabled={testing} onClick={() => void runTest()}>
              {testing ? t('test.testing') : t('test.button')}
            </button>
            {test && <TestResultView result={test.result} />}
            {tested === 'stale' && <p className="notice notice-warn">{t('test.changed')}</p>}
            {!testPassed && <p className="hint">{t('wizard.testFirst')}</p>}
          </>
        )}

        {step === 'name' && (
          <Field
            label={t('automation.name')}
            value={name}
            maxLength={150}
            onChange={(e) => setName(e.target.value)}
            error={touched && nameIssue ? t(nameIssue) : null}
            hint={t('wizard.nameHint')}
          />
        )}

        {step === 'status' && <StatusChoice enabled={enabled} onChange={setEnabled} />}

        <ErrorBox error={error} />
        <div className="actions wizard-actions">
          {buttons.back && (
            <button type="button" className="btn" onClick={back}>
              {t('common.back')}
            </button>
          )}
          {buttons.primary === 'next' && (
            <button type="submit" className="btn btn-primary" disabled={nextDisabled(step, state)}>
              {t('common.next')}
            </button>
          )}
          {buttons.primary === 'finish' && (
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('wizard.finish')}
            </button>
          )}
        </div>
      </form>
    </>
  );
}

function SurveySelect({
  surveys,
  value,
  onChange,
}: {
  surveys: SurveySummary[];
  value: string;
  onChange(id: string): void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('wizard.chooseSurvey')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {surveys.map((s) => (
          <option key={s.id} value={s.id}>
            {s.title}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The Enabled checkbox; `editing` an existing automation explains it as such, not as its creation. */
export function StatusChoice({
  enabled,
  onChange,
  editing = false,
}: {
  enabled: boolean;
  onChange(on: boolean): void;
  editing?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="check">
      <input
        type="checkbox"
        id={id}
        checked={enabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-hint`}
      />
      <label htmlFor={id}>{t('automation.enabledLabel')}</label>
      <p className="hint" id={`${id}-hint`}>
        {enabled
          ? t('wizard.enabledHint')
          : editing
            ? t('automation.disabledHint')
            : t('wizard.disabledHint')}
      </p>
    </div>
  );
}
