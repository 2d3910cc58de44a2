// The respondent page at /r/<publicToken>: public, no sign-in. Every question type; name and e-mail
// only for surveys that are not anonymous.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorBox, Field, LanguageSwitch, Loading } from '../components';
import { ApiError, client, unwrap } from '../lib/api';
import { i18next, useI18n, type MessageKey } from '../lib/i18n';
import type { IdentityField, RespondentSurvey } from '../lib/types';

type Answer = string | number | number[];
type PublicQuestion = RespondentSurvey['questions'][number];

export function RespondentPage({ token }: { token: string }) {
  const { t } = useI18n();
  const [survey, setSurvey] = useState<RespondentSurvey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    unwrap(client.GET('/api/v1/public/surveys/{token}', { params: { path: { token } } })).then(
      (s) => live && setSurvey(s),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [token, attempt]);
  useEffect(() => {
    if (survey) document.title = survey.title;
  }, [survey]);
  const notFound = error instanceof ApiError && error.code === 'NOT_FOUND';
  return (
    <div className="bare respondent">
      <header className="bare-header">
        <span className="brand">{survey?.title ?? 'Svarbud'}</span>
        <LanguageSwitch />
      </header>
      <main id="main">
        {survey ? (
          <ResponseForm token={token} survey={survey} />
        ) : notFound ? (
          <p role="alert">{t('respondent.notFound')}</p>
        ) : error ? (
          <ErrorBox
            error={error}
            onRetry={() => {
              setError(null);
              setAttempt(attempt + 1);
            }}
          />
        ) : (
          <Loading />
        )}
      </main>
    </div>
  );
}

function ResponseForm({ token, survey }: { token: string; survey: RespondentSurvey }) {
  const { t } = useI18n();
  const [identity, setIdentity] = useState<Record<IdentityField, string>>({
    firstName: '',
    lastName: '',
    email: '',
  });
  const [background, setBackground] = useState<Record<string, string>>({});
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const set = (key: string, value: Answer | undefined) =>
    setAnswers((a) => {
      const next = { ...a };
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
        delete next[key];
      else next[key] = value;
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const respondent = Object.fromEntries(
      survey.identityFields.filter((f) => identity[f].trim() !== '').map((f) => [f, identity[f].trim()]),
    );
    const bg = Object.fromEntries(Object.entries(background).filter(([, v]) => v.trim() !== ''));
    const sent: Record<string, Answer> = {};
    for (const q of survey.questions) {
      if (q.type === 'matrix') {
        for (const r of q.rows)
          if (answers[r.variableId] !== undefined) sent[r.variableId] = answers[r.variableId]!;
      } else if (answers[q.id] !== undefined) {
        const a = answers[q.id]!;
        sent[q.id] = q.type === 'number' || q.type === 'scale' ? Number(a) : a;
      }
    }
    try {
      await unwrap(
        client.POST('/api/v1/public/surveys/{token}/responses', {
          params: { path: { token } },
          body: { ...(survey.asksIdentity ? { respondent } : {}), background: bg, answers: sent },
        }),
      );
      setDone(true);
      window.scrollTo(0, 0);
    } catch (err) {
      if (err instanceof ApiError) {
        const byField: Record<string, string> = {};
        for (const d of err.details)
          if (d.field)
            // The server's reason, by its code; a code the UI does not know gets the general text.
            byField[d.field.replace(/^(answers|background|respondent)\./, '')] =
              d.code && i18next.exists(`respondent.rule.${d.code}`)
                ? t(`respondent.rule.${d.code}` as MessageKey)
                : t('respondent.invalidAnswer');
        setFieldErrors(byField);
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <section className="card">
        <h1 tabIndex={-1} ref={(el) => el?.focus()}>
          {t('respondent.thanks')}
        </h1>
        <p>{t('respondent.received')}</p>
      </section>
    );

  const identityLabels: Record<IdentityField, MessageKey> = {
    firstName: 'respondent.firstName',
    lastName: 'respondent.lastName',
    email: 'respondent.email',
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <h1>{survey.title}</h1>
      {survey.anonymous && <p className="muted">{t('respondent.anonymous')}</p>}
      {(survey.asksIdentity || survey.backgroundVariables.length > 0) && (
        <fieldset className="card">
          <legend>{t('respondent.aboutYou')}</legend>
          {survey.identityFields.map((f) => (
            <Field
              key={f}
              label={t(identityLabels[f])}
              type={f === 'email' ? 'email' : 'text'}
              autoComplete={f === 'firstName' ? 'given-name' : f === 'lastName' ? 'family-name' : 'email'}
              value={identity[f]}
              onChange={(e) => setIdentity({ ...identity, [f]: e.target.value })}
              error={fieldErrors[f]}
            />
          ))}
          {survey.backgroundVariables.map((b) => (
            <Field
              key={b.id}
              label={b.name}
              value={background[b.id] ?? ''}
              onChange={(e) => setBackground({ ...background, [b.id]: e.target.value })}
              error={fieldErrors[b.id]}
            />
          ))}
        </fieldset>
      )}
      {survey.questions.map((q) => (
        <QuestionInput
          key={q.id}
          q={q}
          answers={answers}
          set={set}
          error={fieldErrors[q.id] ?? q.rows.map((r) => fieldErrors[r.variableId]).find(Boolean)}
        />
      ))}
      {fieldErrors.answers ? (
        // Nothing was answered: the reason is the form's, not one question's.
        <p className="field-error" role="alert">
          {fieldErrors.answers}
        </p>
      ) : (
        <ErrorBox error={error} />
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('respondent.submit')}
      </button>
    </form>
  );
}

function Group({
  legend,
  error,
  children,
}: {
  legend: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <fieldset className="card question-input">
      <legend>{legend}</legend>
      {children}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

function QuestionInput({
  q,
  answers,
  set,
  error,
}: {
  q: PublicQuestion;
  answers: Record<string, Answer>;
  set(key: string, value: Answer | undefined): void;
  error?: string | undefined;
}) {
  const { t } = useI18n();
  const id = useId();
  const legend = (
    <>
      <span className="muted">{q.position}. </span>
      {q.text}
    </>
  );
  const value = answers[q.id];
  switch (q.type) {
    case 'single_choice':
      return (
        <Group legend={legend} error={error}>
          {q.options.map((o) => (
            <div className="check" key={o.code}>
              <input
                type="radio"
                id={`${id}-${o.code}`}
                name={id}
                checked={value === o.code}
                onChange={() => set(q.id, o.code)}
              />
              <label htmlFor={`${id}-${o.code}`}>{o.text}</label>
            </div>
          ))}
        </Group>
      );
    case 'multiple_choice': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <Group legend={legend} error={error}>
          {q.options.map((o) => (
            <div className="check" key={o.code}>
              <input
                type="checkbox"
                id={`${id}-${o.code}`}
                checked={chosen.includes(o.code)}
                onChange={(e) =>
                  set(q.id, e.target.checked ? [...chosen, o.code] : chosen.filter((c) => c !== o.code))
                }
              />
              <label htmlFor={`${id}-${o.code}`}>{o.text}</label>
            </div>
          ))}
        </Group>
      );
    }
    case 'scale': {
      const min = q.min ?? 0;
      const max = q.max ?? 10;
      if (max - min <= 10)
        return (
          <Group legend={legend} error={error}>
            <div className="scale">
              {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
                <span className="scale-point" key={n}>
                  <input
                    type="radio"
                    id={`${id}-${n}`}
                    name={id}
                    checked={value === n}
                    onChange={() => set(q.id, n)}
                  />
                  <label htmlFor={`${id}-${n}`}>{n}</label>
                </span>
              ))}
            </div>
          </Group>
        );
      return (
        <Group legend={legend} error={error}>
          <label htmlFor={id} className="hint">
            {t('respondent.scaleRange', { min, max })}
          </label>
          <input
            id={id}
            type="number"
            min={min}
            max={max}
            step={1}
            value={typeof value === 'number' || typeof value === 'string' ? value : ''}
            onChange={(e) => set(q.id, e.target.value)}
          />
        </Group>
      );
    }
    case 'matrix':
      return (
        <Group legend={legend} error={error}>
          {q.rows.map((r) => (
            <fieldset className="matrix-row" key={r.variableId}>
              <legend>{r.text}</legend>
              <div className="matrix-options">
                {q.options.map((o) => (
                  <span className="check" key={o.code}>
                    <input
                      type="radio"
                      id={`${id}-${r.variableId}-${o.code}`}
                      name={`${id}-${r.variableId}`}
                      checked={answers[r.variableId] === o.code}
                      onChange={() => set(r.variableId, o.code)}
                    />
                    <label htmlFor={`${id}-${r.variableId}-${o.code}`}>{o.text}</label>
                  </span>
                ))}
              </div>
            </fieldset>
          ))}
        </Group>
      );
    default: {
      // text, number, date: one labelled input.
      const inputType = q.type === 'number' ? 'number' : q.type === 'date' ? 'date' : null;
      return (
        <div className="card question-input">
          <label htmlFor={id} className="question-label">
            {legend}
          </label>
          {inputType ? (
            <input
              id={id}
              type={inputType}
              value={typeof value === 'string' || typeof value === 'number' ? value : ''}
              onChange={(e) => set(q.id, e.target.value)}
              aria-invalid={error ? true : undefined}
            />
          ) : (
            <textarea
              id={id}
              rows={3}
              value={typeof value === 'string' ? value : ''}
              onChange={(e) => set(q.id, e.target.value)}
              aria-invalid={error ? true : undefined}
            />
          )}
          {error && <p className="field-error">{error}</p>}
        </div>
      );
    }
  }
}
