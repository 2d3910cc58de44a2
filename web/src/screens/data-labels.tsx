// Settings → Data labels: variables on the left, labels on the right (the auto label as placeholder),
// each rule checked as the owner types, saved all-or-nothing with the server's verdict per field.
import { useState, type FormEvent } from 'react';
import { ErrorBox, PageTitle, QueryView } from '../components';
import { ApiError, client, unwrap } from '../lib/api';
import { variableText } from '../lib/variable-names';
import { useUnsavedChangesPrompt } from '../ui/unsaved';
import { useI18n, type MessageKey } from '../lib/i18n';
import { checkLabels, MAX_DATA_LABEL } from '../lib/label-rules';
import { keys, queryClient, useDataLabels, useSurvey } from '../lib/queries';
import { Link, useLocation } from 'react-router';
import type { LabelledVariable } from '../lib/types';
import { useConfirm } from '../ui/confirm';
import { dataLabelLines } from './label-impact';

export function DataLabelsPage({ id }: { id: string }) {
  const labels = useDataLabels(id);
  const survey = useSurvey(id);
  return (
    <QueryView query={labels}>
      {(data) => <LabelsForm id={id} title={survey.data?.title ?? ''} variables={data.items} />}
    </QueryView>
  );
}

function LabelsForm({ id, title, variables }: { id: string; title: string; variables: LabelledVariable[] }) {
  // Opened from the creation wizard: a way back to it (its draft is kept).
  const state: unknown = useLocation().state;
  const backTo =
    typeof state === 'object' && state !== null && 'backTo' in state && typeof state.backTo === 'string'
      ? state.backTo
      : null;
  const { t } = useI18n();
  const confirm = useConfirm();
  const initial = () => Object.fromEntries(variables.map((v) => [v.id, v.dataLabel ?? '']));
  const [typed, setTyped] = useState<Record<string, string>>(initial);
  const [serverErrors, setServerErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const broken = checkLabels(variables, typed);
  const changes = Object.fromEntries(
    variables
      .filter((v) => (typed[v.id] ?? '') !== (v.dataLabel ?? ''))
      .map((v) => [v.id, typed[v.id] === '' ? null : typed[v.id]!]),
  );
  const changed = Object.keys(changes).length > 0;
  useUnsavedChangesPrompt(changed && !busy);

  const messageOf = (code: string) => {
    const key = `labels.rule.${code}` as MessageKey;
    return t(key in RULE_KEYS ? key : 'labels.rule.OTHER', { max: MAX_DATA_LABEL });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (broken.size > 0 || !changed) return;
    // Keys the receivers rely on change: the owner names the automations and confirms first.
    const affected = dataLabelLines(variables, changes, t);
    if (
      affected.length > 0 &&
      !(await confirm({
        title: t('impact.labelsTitle'),
        message: t('impact.labelsIntro', { count: affected.length }),
        details: affected,
        action: t('common.save'),
      }))
    )
      return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const answer = await unwrap(
        client.PUT('/api/v1/surveys/{id}/data-labels', {
          params: { path: { id } },
          body: { labels: changes },
        }),
      );
      queryClient.setQueryData(keys.dataLabels(id), answer);
      void queryClient.invalidateQueries({ queryKey: keys.survey(id), exact: true });
      setServerErrors({});
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'DATA_LABELS_INVALID') {
        const byField: Record<string, string[]> = {};
        for (const d of err.details) if (d.variableId) (byField[d.variableId] ??= []).push(d.code ?? 'OTHER');
        setServerErrors(byField);
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/surveys">{t('nav.surveys')}</Link> ›{' '}
        <Link to={`/surveys/${id}`}>{title || t('common.survey')}</Link> › {t('labels.settings')}
      </p>
      <PageTitle>{t('labels.title')}</PageTitle>
      {backTo && (
        <p>
          <Link to={backTo}>{t('labels.backToWizard')}</Link>
        </p>
      )}
      <p className="muted">{t('labels.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="labels-grid" role="group" aria-label={t('labels.title')}>
          <div className="labels-head" aria-hidden="true">
            <span>{t('labels.variable')}</span>
            <span>{t('labels.dataLabel')}</span>
          </div>
          {variables.map((v) => {
            const codes = [
              ...(broken.get(v.id) ?? []),
              ...(serverErrors[v.id] ?? []).filter((c) => !broken.get(v.id)?.includes(c as never)),
            ];
            const inputId = `label-${v.id}`;
            const errorId = `${inputId}-error`;
            return (
              <div className="labels-row" key={v.id}>
                <label htmlFor={inputId}>
                  <span className="variable-text">{variableText(t, v)}</span>
                  <span className="muted">
                    {' '}
                    · {v.kind === 'background' ? t('labels.background') : t('labels.question')} ·{' '}
                    {t('labels.auto')}: {v.autoLabel}
                  </span>
                  {v.usedBy.length > 0 && (
                    <span className="muted used-by">
                      {' '}
                      · {t('impact.usedBy', { names: v.usedBy.map((u) => u.name).join(', ') })}
                    </span>
                  )}
                </label>
                <div>
                  <input
                    id={inputId}
                    value={typed[v.id] ?? ''}
                    placeholder={v.autoLabel}
                    maxLength={MAX_DATA_LABEL + 50}
                    spellCheck={false}
                    autoComplete="off"
                    aria-invalid={codes.length > 0 ? true : undefined}
                    aria-describedby={codes.length > 0 ? errorId : undefined}
                    onChange={(e) => {
                      setTyped({ ...typed, [v.id]: e.target.value });
                      setSaved(false);
                      setServerErrors((s) => ({ ...s, [v.id]: [] }));
                    }}
                  />
                  {codes.length > 0 && (
                    <ul id={errorId} className="field-error">
                      {codes.map((c) => (
                        <li key={c}>{messageOf(c)}</li>
                      ))}
                    </ul>
                  )}
                </div>
              </div>
            );
          })}
        </div>
        <ErrorBox error={error} />
        <p role="status" className={saved ? 'notice notice-ok' : 'visually-hidden'}>
          {saved ? t('labels.saved') : ''}
        </p>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy || broken.size > 0 || !changed}>
            {t('common.save')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={!changed}
            onClick={() => {
              setTyped(initial());
              setServerErrors({});
            }}
          >
            {t('labels.reset')}
          </button>
        </div>
        {broken.size > 0 && <p className="muted">{t('labels.fixFirst')}</p>}
      </form>
    </>
  );
}

const RULE_KEYS = {
  'labels.rule.TOO_LONG': 1,
  'labels.rule.INVALID_CHARACTERS': 1,
  'labels.rule.RESERVED': 1,
  'labels.rule.DUPLICATE': 1,
  'labels.rule.NOT_LABELABLE': 1,
  'labels.rule.UNKNOWN_VARIABLE': 1,
};
