// Failure notifications of one automation: on/off and recipients, every change saved at once.
import { useId, useState, type FormEvent } from 'react';
import { ErrorBox, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { keys, queryClient, useNotificationSettings } from '../lib/queries';

interface Settings {
  enabled: boolean;
  recipients: string[];
}
const MAX_RECIPIENTS = 20;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function NotificationsSection({ automationId }: { automationId: string }) {
  const { t } = useI18n();
  const settings = useNotificationSettings(automationId);
  return (
    <section aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">{t('notifications.title')}</h2>
      <p className="muted">{t('notifications.intro')}</p>
      <QueryView query={settings}>
        {(s) => <NotificationsForm automationId={automationId} settings={s} />}
      </QueryView>
    </section>
  );
}

function NotificationsForm({
  automationId,
  settings: initial,
}: {
  automationId: string;
  settings: Settings;
}) {
  const { t } = useI18n();
  // Shown at once (optimistic); the server's answer replaces it, an error puts the saved state back.
  const [settings, setSettings] = useState(initial);
  const id = useId();
  const [address, setAddress] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const save = async (next: Settings) => {
    setError(null);
    setSaved(false);
    const before = settings;
    setSettings(next);
    try {
      const answer = await unwrap(
        client.PUT('/api/v1/automations/{id}/notifications', {
          params: { path: { id: automationId } },
          body: next,
        }),
      );
      queryClient.setQueryData(keys.notifications(automationId), answer);
      setSettings(answer);
      setSaved(true);
      return true;
    } catch (err) {
      setSettings(before);
      setError(err);
      return false;
    }
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const value = address.trim();
    // A new problem replaces the last "Saved.": both side by side would contradict each other.
    setSaved(false);
    if (!EMAIL.test(value)) return setProblem(t('validation.email'));
    if (settings.recipients.some((r) => r.toLowerCase() === value.toLowerCase()))
      return setProblem(t('notifications.duplicate'));
    if (settings.recipients.length >= MAX_RECIPIENTS) return setProblem(t('notifications.tooMany'));
    setProblem(null);
    if (await save({ ...settings, recipients: [...settings.recipients, value] })) setAddress('');
  };
  return (
    <div className="card">
      <div className="check">
        <input
          type="checkbox"
          id={`${id}-on`}
          checked={settings.enabled}
          onChange={(e) => void save({ ...settings, enabled: e.target.checked })}
        />
        <label htmlFor={`${id}-on`}>{t('notifications.enabled')}</label>
      </div>
      {settings.recipients.length === 0 ? (
        <p className="muted">{t('notifications.none')}</p>
      ) : (
        <ul className="list" aria-label={t('notifications.recipients')}>
          {settings.recipients.map((r) => (
            <li key={r} className="list-item">
              <span>{r}</span>
              <button
                type="button"
                className="btn btn-small"
                aria-label={`${t('common.remove')}: ${r}`}
                onClick={() =>
                  void save({ ...settings, recipients: settings.recipients.filter((x) => x !== r) })
                }
              >
                {t('common.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="option-row" onSubmit={(e) => void add(e)} noValidate>
        <div className="field grow">
          <label htmlFor={`${id}-add`}>{t('notifications.address')}</label>
          <input
            id={`${id}-add`}
            type="email"
            autoComplete="email"
            value={address}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-err` : undefined}
            onChange={(e) => {
              setAddress(e.target.value);
              setProblem(null);
            }}
          />
          {problem && (
            <p id={`${id}-err`} className="field-error">
              {problem}
            </p>
          )}
        </div>
        <button type="submit" className="btn">
          {t('notifications.add')}
        </button>
      </form>
      <ErrorBox error={error} />
      <p role="status" className={saved ? 'notice notice-ok' : 'visually-hidden'}>
        {saved ? t('notifications.saved') : ''}
      </p>
    </div>
  );
}
