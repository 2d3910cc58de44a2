// The surveys of the organization, and creating a new one.
import { useState, type FormEvent } from 'react';
import { ErrorBox, Field, PageTitle, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { keys, queryClient, useSurveys } from '../lib/queries';
import { Link, useNavigate } from 'react-router';
import { textProblem } from '../lib/validation';

export function SurveysList() {
  const { t, formatDate, formatNumber } = useI18n();
  const surveys = useSurveys();
  return (
    <>
      <PageTitle>{t('surveys.title')}</PageTitle>
      <NewSurveyForm />
      <h2>{t('surveys.yours')}</h2>
      <QueryView query={surveys}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="muted">{t('surveys.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('surveys.surveyTitle')}</th>
                    <th scope="col">{t('surveys.kind')}</th>
                    <th scope="col" className="num">
                      {t('surveys.responses')}
                    </th>
                    <th scope="col">{t('common.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/surveys/${s.id}`}>{s.title}</Link>
                      </td>
                      <td>{s.anonymous ? t('surveys.anonymous') : t('surveys.named')}</td>
                      <td className="num">{formatNumber(s.responseCount)}</td>
                      <td>{formatDate(s.createdAt)}</td>
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

function NewSurveyForm() {
  const navigate = useNavigate();
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem = textProblem(title, 200, t);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const survey = await unwrap(
        client.POST('/api/v1/surveys', { body: { title: title.trim(), anonymous } }),
      );
      queryClient.setQueryData(keys.survey(survey.id), survey);
      void queryClient.invalidateQueries({ queryKey: keys.surveys });
      navigate(`/surveys/${survey.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('surveys.new')}</h2>
      <Field
        label={t('surveys.surveyTitle')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={touched ? problem : null}
      />
      <div className="check">
        <input
          id="new-survey-anonymous"
          type="checkbox"
          checked={anonymous}
          onChange={(e) => setAnonymous(e.target.checked)}
        />
        <label htmlFor="new-survey-anonymous">{t('surveys.anonymousOption')}</label>
      </div>
      <ErrorBox error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('surveys.create')}
      </button>
    </form>
  );
}
