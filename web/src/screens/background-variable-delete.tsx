// Deleting a custom background variable from the survey page: the automations that would lose it are
// named (the impact route) and the owner confirms first.
import { useState } from 'react';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import type { Survey } from '../lib/types';
import { useConfirm } from '../ui/confirm';
import { impactLines } from './label-impact';

export function DeleteBackgroundVariable({
  survey,
  variable,
  onSaved,
}: {
  survey: Survey;
  variable: { id: string; name: string };
  onSaved(s: Survey): void;
}) {
  const { t, errorText } = useI18n();
  const confirm = useConfirm();
  const [error, setError] = useState<unknown>(null);
  const params = { params: { path: { id: survey.id, vid: variable.id } } };
  const remove = async () => {
    setError(null);
    try {
      const details = impactLines(
        await unwrap(client.GET('/api/v1/surveys/{id}/background-variables/{vid}/impact', params)),
        t,
      );
      const ok = await confirm({
        title: t('impact.deleteVariableTitle'),
        message:
          t('impact.confirmDeleteVariable', { name: variable.name }) +
          (details.length ? ' ' + t('impact.deleteIntro', { count: details.length }) : ''),
        details,
        action: t('common.delete'),
        danger: true,
      });
      if (!ok) return;
      onSaved(await unwrap(client.DELETE('/api/v1/surveys/{id}/background-variables/{vid}', params)));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      {' '}
      <button type="button" className="btn btn-small chip-delete" onClick={() => void remove()}>
        <span aria-hidden="true">×</span>
        <span className="visually-hidden">{t('impact.deleteVariable', { name: variable.name })}</span>
      </button>
      {error !== null && (
        <span className="field-error" role="alert">
          {errorText(error)}
        </span>
      )}
    </>
  );
}
