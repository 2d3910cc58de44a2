// The page an invitation mail links to (`/invite/<token>`): the invited person picks a name and a
// password, joins the inviting organization and is signed in. An unknown, used, withdrawn or expired
// link says so (the server answers NOT_FOUND).
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Bare } from '../App';
import { ErrorBox, Field, PageTitle } from '../components';
import { ApiError, client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { queryClient } from '../lib/queries';

export function InvitationPage({ token }: { token: string }) {
  const navigate = useNavigate();
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problems = {
    name: name.trim() === '' ? t('validation.required') : null,
    password: password.length < 10 ? t('auth.passwordTooShort') : null,
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problems.name || problems.password) return;
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
  const invalidLink = error instanceof ApiError && error.code === 'NOT_FOUND';
  return (
    <Bare>
      <section className="card narrow">
        <PageTitle>{t('invitation.title')}</PageTitle>
        <p className="muted">{t('invitation.intro')}</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field
            label={t('auth.name')}
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={touched ? problems.name : null}
          />
          <Field
            label={t('auth.password')}
            type="password"
            autoComplete="new-password"
            hint={t('auth.passwordHint')}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={touched ? problems.password : null}
          />
          {invalidLink ? (
            <p className="notice notice-error" role="alert">
              {t('invitation.invalid')}
            </p>
          ) : (
            <ErrorBox error={error} />
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('invitation.accept')}
          </button>
        </form>
        <p>
          {t('auth.haveAccount')} <Link to="/signin">{t('auth.signIn')}</Link>
        </p>
      </section>
    </Bare>
  );
}
