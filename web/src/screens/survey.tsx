// One survey: its questions (add, edit, copy, delete), background variables, and the survey actions
// (copy, share as template, data labels, respondent page, automations, delete).
import { useState, type FormEvent } from 'react';
import { ErrorBox, Field, PageTitle, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useConfirm } from '../ui/confirm';
import { DeleteBackgroundVariable } from './background-variable-delete';
import { impactLines } from './label-impact';
import { ResponsesSection } from './responses';
import { toast } from '../ui/toasts';
import { backgroundName } from '../lib/variable-names';
import { useI18n, type MessageKey } from '../lib/i18n';
import { keys, queryClient, useSurvey } from '../lib/queries';
import { Link, useNavigate } from 'react-router';
import type { Question, Survey } from '../lib/types';
import { QuestionEditor, type QuestionBody } from './question-editor';
import { textProblem } from '../lib/validation';

export function SurveyPage({ id }: { id: string }) {
  const survey = useSurvey(id);
  return <QueryView query={survey}>{(s) => <SurveyView survey={s} />}</QueryView>;
}

function SurveyView({ survey }: { survey: Survey }) {
  const navigate = useNavigate();
  const confirm = useConfirm();
  const { t, formatDate } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const saved = (s: Survey) => {
    queryClient.setQueryData(keys.survey(s.id), s);
    void queryClient.invalidateQueries({ queryKey: keys.dataLabels(s.id) });
  };

  const copySurvey = () =>
    run(async () => {
      const copy = await unwrap(
        client.POST('/api/v1/surveys/{id}/copy', {
          params: { path: { id: survey.id } },
          body: { title: t('survey.copyTitle', { title: survey.title }).slice(0, 200) },
        }),
      );
      queryClient.setQueryData(keys.survey(copy.id), copy);
      void queryClient.invalidateQueries({ queryKey: keys.surveys });
      navigate(`/surveys/${copy.id}`);
      toast(t('survey.copied'));
    });
  const shareAsTemplate = () =>
    run(async () => {
      await unwrap(
        client.POST('/api/v1/surveys/{id}/share-as-template', {
          params: { path: { id: survey.id } },
          body: { name: survey.title },
        }),
      );
      void queryClient.invalidateQueries({ queryKey: keys.templates });
      setNotice(t('survey.shared'));
    });
  const deleteSurvey = async () => {
    const ok = await confirm({
      title: t('survey.deleteTitle'),
      message: t('survey.confirmDelete', { title: survey.title }),
      action: t('survey.delete'),
      danger: true,
    });
    if (!ok) return;
    void run(async () => {
      await unwrap(client.DELETE('/api/v1/surveys/{id}', { params: { path: { id: survey.id } } }));
      queryClient.removeQueries({ queryKey: keys.survey(survey.id) });
      void queryClient.invalidateQueries({ queryKey: keys.surveys });
      void queryClient.invalidateQueries({ queryKey: keys.automations });
      navigate('/surveys');
    });
  };
  const copyQuestion = (q: Question) =>
    run(async () => {
      saved(
        await unwrap(
          client.POST('/api/v1/surveys/{id}/questions/{qid}/copy', {
            params: { path: { id: survey.id, qid: q.id } },
          }),
        ),
      );
      setNotice(t('survey.questionCopied', { n: q.position }));
    });
  const deleteQuestion = async (q: Question) => {
    let details: string[];
    try {
      details = impactLines(
        await unwrap(
          client.GET('/api/v1/surveys/{id}/questions/{qid}/impact', {
            params: { path: { id: survey.id, qid: q.id } },
          }),
        ),
        t,
      );
    } catch (err) {
      setError(err);
      return;
    }
    const ok = await confirm({
      title: t('survey.deleteQuestionTitle'),
      message:
        t('survey.confirmDeleteQuestion', { n: q.position }) +
        (details.length ? ' ' + t('impact.deleteIntro', { count: details.length }) : ''),
      details,
      action: t('common.delete'),
      danger: true,
    });
    if (!ok) return;
    void run(async () => {
      saved(
        await unwrap(
          client.DELETE('/api/v1/surveys/{id}/questions/{qid}', {
            params: { path: { id: survey.id, qid: q.id } },
          }),
        ),
      );
      setNotice(t('survey.questionDeleted'));
    });
  };
  const saveQuestion = (q: Question | null) => async (body: QuestionBody) => {
    const next = q
      ? await unwrap(
          client.PATCH('/api/v1/surveys/{id}/questions/{qid}', {
            params: { path: { id: survey.id, qid: q.id } },
            body,
          }),
        )
      : await unwrap(
          client.POST('/api/v1/surveys/{id}/questions', { params: { path: { id: survey.id } }, body }),
        );
    saved(next);
    setEditing(null);
    setNotice(t('survey.questionSaved'));
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/surveys">{t('nav.surveys')}</Link>
      </p>
      <PageTitle>{survey.title}</PageTitle>
      <p className="muted">
        {survey.anonymous ? t('surveys.anonymous') : t('surveys.named')} ·{' '}
        {t('common.createdOn', { date: formatDate(survey.createdAt) })}
      </p>
      <div className="toolbar">
        <Link className="btn" to={`/surveys/${survey.id}/settings/data-labels`}>
          {t('survey.dataLabels')}
        </Link>
        <Link className="btn" to={`/automations/new?survey=${encodeURIComponent(survey.id)}`}>
          {t('automations.create')}
        </Link>
        <a
          className="btn"
          href={`/r/${encodeURIComponent(survey.publicToken)}`}
          target="_blank"
          rel="noopener"
        >
          {t('survey.respondentPage')}
        </a>
        <button type="button" className="btn" disabled={busy} onClick={() => void copySurvey()}>
          {t('survey.copy')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void shareAsTemplate()}>
          {t('survey.shareAsTemplate')}
        </button>
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void deleteSurvey()}>
          {t('survey.delete')}
        </button>
      </div>
      <ErrorBox error={error} />
      <p role="status" className={notice ? 'notice notice-ok' : 'visually-hidden'}>
        {notice}
        {notice === t('survey.shared') && (
          <>
            {' '}
            <Link to="/templates">{t('nav.templates')}</Link>
          </>
        )}
      </p>
      <RenameForm survey={survey} onSaved={saved} />

      <section aria-labelledby="questions-heading">
        <h2 id="questions-heading">{t('survey.questions')}</h2>
        {survey.questions.length === 0 && <p className="muted">{t('survey.noQuestions')}</p>}
        <ol className="questions">
          {survey.questions.map((q) =>
            editing === q.id ? (
              <li key={q.id}>
                <QuestionEditor initial={q} onSave={saveQuestion(q)} onCancel={() => setEditing(null)} />
              </li>
            ) : (
              <li key={q.id} className="card question">
                <QuestionSummary q={q} />
                <div className="actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy}
                    onClick={() => setEditing(q.id)}
                  >
                    {t('common.edit')}
                    <span className="visually-hidden"> {t('survey.questionN', { n: q.position })}</span>
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy}
                    onClick={() => void copyQuestion(q)}
                  >
                    {t('common.copy')}
                    <span className="visually-hidden"> {t('survey.questionN', { n: q.position })}</span>
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    disabled={busy}
                    onClick={() => void deleteQuestion(q)}
                  >
                    {t('common.delete')}
                    <span className="visually-hidden"> {t('survey.questionN', { n: q.position })}</span>
                  </button>
                </div>
              </li>
            ),
          )}
        </ol>
        {editing === 'new' ? (
          <QuestionEditor initial={null} onSave={saveQuestion(null)} onCancel={() => setEditing(null)} />
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('question.add')}
          </button>
        )}
      </section>

      <BackgroundVariables survey={survey} onSaved={saved} />
      <ResponsesSection survey={survey} />
    </>
  );
}

function QuestionSummary({ q }: { q: Question }) {
  const { t } = useI18n();
  return (
    <div>
      <p className="muted">
        {t('survey.questionN', { n: q.position })} · {t(`type.${q.type}` as MessageKey)}
        {q.type === 'scale' && ` · ${q.min ?? ''}–${q.max ?? ''}`}
      </p>
      <p className="question-text">{q.text}</p>
      {q.rows.length > 0 && (
        <ul className="plain">
          {q.rows.map((r) => (
            <li key={r.id}>▸ {r.text}</li>
          ))}
        </ul>
      )}
      {q.options.length > 0 && (
        <ul className="chips" aria-label={t('question.options')}>
          {q.options.map((o) => (
            <li key={o.id}>
              {o.text} <span className="muted">({o.code})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function RenameForm({ survey, onSaved }: { survey: Survey; onSaved(s: Survey): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(survey.title);
  const [error, setError] = useState<unknown>(null);
  const problem = textProblem(title, 200, t);
  if (!open)
    return (
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
        {t('survey.rename')}
      </button>
    );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    try {
      onSaved(
        await unwrap(
          client.PATCH('/api/v1/surveys/{id}', {
            params: { path: { id: survey.id } },
            body: { title: title.trim() },
          }),
        ),
      );
      void queryClient.invalidateQueries({ queryKey: keys.surveys });
      setOpen(false);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field
        label={t('surveys.surveyTitle')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={problem}
      />
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" className="btn btn-primary">
          {t('common.save')}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function BackgroundVariables({ survey, onSaved }: { survey: Survey; onSaved(s: Survey): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem = textProblem(name, 100, t);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    try {
      onSaved(
        await unwrap(
          client.POST('/api/v1/surveys/{id}/background-variables', {
            params: { path: { id: survey.id } },
            body: { name: name.trim() },
          }),
        ),
      );
      setName('');
      setTouched(false);
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="bg-heading">
      <h2 id="bg-heading">{t('survey.backgroundVariables')}</h2>
      {survey.backgroundVariables.length === 0 ? (
        <p className="muted">{t('survey.noBackgroundVariables')}</p>
      ) : (
        <ul className="chips">
          {survey.backgroundVariables.map((b) => (
            <li key={b.id}>
              {backgroundName(t, b)}
              {b.system && <span className="muted"> ({t('survey.system')})</span>}
              {!b.system && <DeleteBackgroundVariable survey={survey} variable={b} onSaved={onSaved} />}
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('survey.newBackgroundVariable')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={touched ? problem : null}
        />
        <ErrorBox error={error} />
        <button type="submit" className="btn">
          {t('survey.addBackgroundVariable')}
        </button>
      </form>
    </section>
  );
}
