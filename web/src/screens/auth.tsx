// Sign in and sign up (a new organization and its first member).
import { useState, type FormEvent } from 'react';
import { ErrorBox, Field, PageTitle } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { queryClient } from '../lib/queries';
import { Link, useNavigate } from 'react-router';

export function SignIn({ next }: { next: string }) {
  const navigate = useNavigate();
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const emailIssue = email.trim() === '' ? t('validation.required') : null;
  const passwordIssue = password === '' ? t('validation.required') : null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Empty fields are marked at once; the server is not asked.
    setTouched(true);
    if (emailIssue || passwordIssue) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(client.POST('/api/v1/auth/login', { body: { email, password } }));
      navigate(next, { replace: true });
      void queryClient.resetQueries();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <section className="card narrow">
      <PageTitle>{t('auth.signIn')}</PageTitle>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('auth.email')}
          type="email"
          autoComplete="username"
          required
          error={touched ? emailIssue : null}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label={t('auth.password')}
          type="password"
          autoComplete="current-password"
          required
          error={touched ? passwordIssue : null}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorBox error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('auth.signIn')}
        </button>
      </form>
      <p>
        {t('auth.noAccount')} <Link to="/signup">{t('auth.signUp')}</Link>
      </p>
    </section>
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function SignUp() {
  const navigate = useNavigate();
  const { t } = useI18n();
  const [form, setForm] = useState({ name: '', organizationName: '', email: '', password: '' });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problems = {
    name: form.name.trim() === '' ? t('validation.required') : null,
    organizationName: form.organizationName.trim() === '' ? t('validation.required') : null,
    email: !EMAIL.test(form.email.trim()) ? t('validation.email') : null,
    password: form.password.length < 10 ? t('auth.passwordTooShort') : null,
  };
  const valid = Object.values(problems).every((p) => p === null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(client.POST('/api/v1/auth/signup', { body: form }));
      navigate('/surveys', { replace: true });
      void queryClient.resetQueries();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const show = (p: string | null) => (touched ? p : null);
  return (
    <section className="card narrow">
      <PageTitle>{t('auth.signUp')}</PageTitle>
      <p className="muted">{t('auth.signUpIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('auth.name')}
          autoComplete="name"
          value={form.name}
          onChange={set('name')}
          error={show(problems.name)}
        />
        <Field
          label={t('auth.organization')}
          autoComplete="organization"
          value={form.organizationName}
          onChange={set('organizationName')}
          error={show(problems.organizationName)}
        />
        <Field
          label={t('auth.email')}
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
          error={show(problems.email)}
        />
        <Field
          label={t('auth.password')}
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
          value={form.password}
          onChange={set('password')}
          error={show(problems.password)}
        />
        <ErrorBox error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('auth.createAccount')}
        </button>
      </form>
      <p>
        {t('auth.haveAccount')} <Link to="/signin">{t('auth.signIn')}</Link>
      </p>
    </section>
  );
}
