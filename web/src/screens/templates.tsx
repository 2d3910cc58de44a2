// Templates shared from surveys: creating a survey from one, renaming one and deleting one (surveys made
// from a template keep their titles and stay when it is renamed or deleted).
import { useState, type FormEvent } from 'react';
import { ErrorBox, Field, PageTitle, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { keys, queryClient, useTemplates } from '../lib/queries';
import { useNavigate } from 'react-router';
import type { Template } from '../lib/types';
import { useConfirm } from '../ui/confirm';
import { toast } from '../ui/toasts';

export function TemplatesList() {
  const navigate = useNavigate();
  const { t } = useI18n();
  const confirm = useConfirm();
  const templates = useTemplates();
  const [busy, setBusy] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
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
  const remove = async (template: Template) => {
    const ok = await confirm({
      title: t('templates.deleteTitle'),
      message: t('templates.confirmDelete', { name: template.name }),
      action: t('templates.delete'),
      danger: true,
    });
    if (!ok) return;
    setBusy(template.id);
    setError(null);
    try {
      await unwrap(client.DELETE('/api/v1/templates/{id}', { params: { path: { id: template.id } } }));
      await queryClient.invalidateQueries({ queryKey: keys.templates });
      toast(t('templates.deleted', { name: template.name }));
    } catch (err) {
      setError(err);
    } finally {
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
              {data.items.map((tpl) =>
                renaming === tpl.id ? (
                  <li key={tpl.id} className="list-item">
                    <RenameForm template={tpl} onDone={() => setRenaming(null)} />
                  </li>
                ) : (
                  <li key={tpl.id} className="list-item">
                    <TemplateName template={tpl} />
                    <div className="actions template-actions">
                      <button
                        type="button"
                        className="btn"
                        disabled={busy !== null}
                        aria-label={`${t('templates.createSurvey')}: ${tpl.name}`}
                        onClick={() => void createFrom(tpl)}
                      >
                        {t('templates.createSurvey')}
                      </button>
                      <button
                        type="button"
                        className="btn"
                        disabled={busy !== null}
                        aria-label={`${t('templates.rename')}: ${tpl.name}`}
                        onClick={() => setRenaming(tpl.id)}
                      >
                        {t('templates.rename')}
                      </button>
                      <button
                        type="button"
                        className="btn btn-danger"
                        disabled={busy !== null}
                        aria-label={`${t('templates.delete')}: ${tpl.name}`}
                        onClick={() => void remove(tpl)}
                      >
                        {t('templates.delete')}
                      </button>
                    </div>
                  </li>
                ),
              )}
            </ul>
          )
        }
      </QueryView>
    </>
  );
}

function TemplateName({ template }: { template: Template }) {
  const { t, formatDate } = useI18n();
  return (
    <div>
      <strong>{template.name}</strong>
      <div className="muted">{t('templates.sharedOn', { date: formatDate(template.createdAt) })}</div>
    </div>
  );
}

/** The template's new name (1–200 characters, as the server takes it); saved with a toast. */
function RenameForm({ template, onDone }: { template: Template; onDone(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState(template.name);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const trimmed = name.trim();
  const problem =
    trimmed === '' ? t('templates.nameRequired') : trimmed.length > 200 ? t('templates.nameTooLong') : null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    if (trimmed === template.name) return onDone();
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        client.PATCH('/api/v1/templates/{id}', {
          params: { path: { id: template.id } },
          body: { name: trimmed },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: keys.templates });
      toast(t('templates.renamed', { name: trimmed }));
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="inline-form template-rename" onSubmit={(e) => void submit(e)} noValidate>
      <Field
        label={t('templates.newName', { name: template.name })}
        value={name}
        autoFocus
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
        error={touched ? problem : null}
      />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('templates.saveName')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
