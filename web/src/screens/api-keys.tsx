// API keys: create one (the key is shown once, with a copy button), the list with when each was last
// used, and revoke (it stops working at once).
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ErrorBox, Field, PageTitle, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { queryClient } from '../lib/queries';
import { teamKeys, useApiKeys } from '../lib/team-queries';
import type { ApiKey, CreatedApiKey } from '../lib/types';
import { useConfirm } from '../ui/confirm';
import { CopyButton } from '../ui/copy';
import { toast } from '../ui/toasts';

export function ApiKeysPage() {
  const { t, formatDateTime } = useI18n();
  const keysQuery = useApiKeys();
  const confirm = useConfirm();
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem =
    name.trim() === ''
      ? t('validation.required')
      : name.trim().length > 100
        ? t('apiKeys.nameTooLong')
        : null;
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      setCreated(await unwrap(client.POST('/api/v1/api-keys', { body: { name: name.trim() } })));
      void queryClient.invalidateQueries({ queryKey: teamKeys.apiKeys });
      setName('');
      setTouched(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (key: ApiKey) => {
    const ok = await confirm({
      title: t('apiKeys.revokeTitle'),
      message: t('apiKeys.confirmRevoke', { name: key.name }),
      action: t('apiKeys.revoke'),
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await unwrap(client.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: key.id } } }));
      if (created?.id === key.id) setCreated(null);
      void queryClient.invalidateQueries({ queryKey: teamKeys.apiKeys });
      toast(t('apiKeys.revoked', { name: key.name }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <p className="breadcrumb">
        <Link to="/settings/team">{t('team.title')}</Link>
      </p>
      <PageTitle>{t('apiKeys.title')}</PageTitle>
      <p className="muted">{t('apiKeys.intro')}</p>
      <form className="inline-form" onSubmit={(e) => void create(e)} noValidate>
        <Field
          label={t('apiKeys.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={touched ? problem : null}
        />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('apiKeys.create')}
        </button>
      </form>
      {created && (
        <div className="notice notice-ok new-key" role="region" aria-label={t('apiKeys.newKey')}>
          <strong>{t('apiKeys.newKey')}</strong>
          <p>{t('apiKeys.shownOnce')}</p>
          <p>
            <code className="secret api-key">{created.key}</code>
          </p>
          <div className="actions">
            <CopyButton text={created.key} label={t('apiKeys.copy')} />
            <button type="button" className="btn" onClick={() => setCreated(null)}>
              {t('apiKeys.done')}
            </button>
          </div>
        </div>
      )}
      <ErrorBox error={error} />
      <QueryView query={keysQuery}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="muted">{t('apiKeys.none')}</p>
          ) : (
            <table className="stack-table api-keys-table">
              <thead>
                <tr>
                  <th scope="col">{t('apiKeys.name')}</th>
                  <th scope="col">{t('apiKeys.prefix')}</th>
                  <th scope="col">{t('apiKeys.created')}</th>
                  <th scope="col">{t('apiKeys.lastUsed')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('runs.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((k) => (
                  <tr key={k.id}>
                    <td data-label={t('apiKeys.name')}>{k.name}</td>
                    <td data-label={t('apiKeys.prefix')}>
                      <code>{k.prefix}…</code>
                    </td>
                    <td data-label={t('apiKeys.created')}>{formatDateTime(k.createdAt)}</td>
                    <td data-label={t('apiKeys.lastUsed')}>
                      {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t('apiKeys.never')}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        onClick={() => void revoke(k)}
                      >
                        {t('apiKeys.revoke')}
                        <span className="visually-hidden"> {k.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </>
  );
}
