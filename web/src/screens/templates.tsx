// Templates shared from surveys, and creating a survey from one.
import { useState } from 'react';
import { ErrorBox, PageTitle, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { keys, queryClient, useTemplates } from '../lib/queries';
import { useNavigate } from 'react-router';
import type { Template } from '../lib/types';

export function TemplatesList() {
  const navigate = useNavigate();
  const { t, formatDate } = useI18n();
  const templates = useTemplates();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const createFrom = async (template: Template) => {
    setBusy(template.id);
    setError(null);
    try {
      const survey = await unwrap(
        client.POST('/api/v1/templates/{id}/surveys', {
          params: { path: { id: template.id } },
          body: { title: template.name.slice(0, 200) },
        }),
      );
      queryClient.setQueryData(keys.survey(survey.id), survey);
      void queryClient.invalidateQueries({ queryKey: keys.surveys });
      navigate(`/surveys/${survey.id}`);
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };
  return (
    <>
      <PageTitle>{t('templates.title')}</PageTitle>
      <p className="muted">{t('templates.intro')}</p>
      <ErrorBox error={error} />
      <QueryView query={templates}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="muted">{t('templates.none')}</p>
          ) : (
            <ul className="list">
              {data.items.map((tpl) => (
                <li key={tpl.id} className="list-item">
                  <div>
                    <strong>{tpl.name}</strong>
                    <div className="muted">
                      {t('templates.sharedOn', { date: formatDate(tpl.createdAt) })}
                    </div>
                  </div>
                  <button
                    type="button"
                    className="btn"
                    disabled={busy !== null}
                    aria-label={`${t('templates.createSurvey')}: ${tpl.name}`}
                    onClick={() => void createFrom(tpl)}
                  >
                    {t('templates.createSurvey')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </>
  );
}
