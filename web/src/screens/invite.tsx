// Accepting an invitation (the mail's /invite/<token> link): the invitee picks a name and a password,
// becomes a member of the inviting organization and is signed in.
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ErrorBox, Field, PageTitle } from '../components';
import { ApiError, client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { queryClient } from '../lib/queries';

const MIN_PASSWORD = 10;

export function AcceptInvitation({ token }: { token: string }) {
  const navigate = useNavigate();
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nameIssue = name.trim() === '' ? t('validation.required') : null;
  const passwordIssue = password.length < MIN_PASSWORD ? t('auth.passwordTooShort') : null;
  const gone = error instanceof ApiError && error.code === 'NOT_FOUND';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (nameIssue || passwordIssue) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        client.POST('/api/v1/auth/accept-invitation', { body: { token, name: name.trim(), password } }),
      );
      await queryClient.resetQueries();
      navigate('/surveys', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <section className="card narrow">
      <PageTitle>{t('invite.title')}</PageTitle>
      <p>{t('invite.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('auth.name')}
          autoComplete="name"
          required
          value={name}
          error={touched ? nameIssue : null}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          label={t('auth.password')}
          type="password"
          autoComplete="new-password"
          required
          hint={t('auth.passwordHint')}
          value={password}
          error={touched ? passwordIssue : null}
          onChange={(e) => setPassword(e.target.value)}
        />
        {gone ? (
          <p className="notice notice-error" role="alert">
            {t('invite.gone')}
          </p>
        ) : (
          <ErrorBox error={error} />
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('invite.accept')}
        </button>
      </form>
    </section>
  );
}
