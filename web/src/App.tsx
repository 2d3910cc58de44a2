// The shell around every screen: who is signed in (signed-out visitors go to sign-in and come back
// afterwards), and the header around signed-in screens. Which screen a path shows is in routes.tsx.
import { useState, type ReactNode } from 'react';
import { Link, Navigate, Outlet, ScrollRestoration, useLocation, useNavigate } from 'react-router';
import { ErrorBox, LanguageSwitch, Loading, PageTitle } from './components';
import { ApiError, client, setCsrfToken, unwrap } from './lib/api';
import { useI18n } from './lib/i18n';
import { queryClient, useMe } from './lib/queries';
import type { Me } from './lib/types';
import { SettingsMenu } from './settings-menu';

const AUTH_PATHS = new Set(['/signin', '/signup']);

/** A same-site path to go to after signing in (never another site: `//evil.example`). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/surveys';
}

export function Shell() {
  const location = useLocation();
  const me = useMe();
  const path = location.pathname;
  // Sign-in, sign-up and accepting an invitation are for visitors who are signed out.
  const onAuthPage = AUTH_PATHS.has(path) || path.startsWith('/invite/');
  if (me.data) {
    setCsrfToken(me.data.csrfToken);
    if (onAuthPage || path === '/')
      return <Navigate replace to={safeNext(new URLSearchParams(location.search).get('next'))} />;
    return (
      <Layout me={me.data}>
        <ScrollRestoration />
        <Outlet />
      </Layout>
    );
  }
  if (me.error instanceof ApiError && me.error.code === 'UNAUTHENTICATED') {
    setCsrfToken(null);
    if (!onAuthPage) {
      // Any signed-in page asks to sign in first and comes back afterwards.
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
      return <Navigate replace to={`/signin${next}`} />;
    }
    return (
      <Bare>
        <Outlet />
      </Bare>
    );
  }
  return (
    <Bare>{me.error ? <ErrorBox error={me.error} onRetry={() => void me.refetch()} /> : <Loading />}</Bare>
  );
}

export function Bare({ children }: { children: ReactNode }) {
  return (
    <div className="bare">
      <header className="bare-header">
        <span className="brand">Svarbud</span>
        <LanguageSwitch />
      </header>
      <main id="main">{children}</main>
    </div>
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <div>
      <PageTitle>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <Link to="/surveys">{t('nav.surveys')}</Link>
    </div>
  );
}

function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const { t, errorText } = useI18n();
  const navigate = useNavigate();
  const path = useLocation().pathname;
  const [signOutError, setSignOutError] = useState<unknown>(null);
  const signOut = async () => {
    try {
      await unwrap(client.POST('/api/v1/auth/logout'));
      setCsrfToken(null);
      navigate('/signin');
      void queryClient.resetQueries();
    } catch (err) {
      setSignOutError(err);
    }
  };
  const nav: [string, string][] = [
    ['/surveys', t('nav.surveys')],
    ['/templates', t('nav.templates')],
    ['/automations', t('nav.automations')],
    ['/inbox', t('nav.inbox')],
    // Only while mail is kept instead of sent (no SMTP server configured).
    ...(me.devMailbox ? ([['/mailbox', t('nav.mailbox')]] as [string, string][]) : []),
  ];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="app-header">
        <Link to="/surveys" className="brand">
          Svarbud
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            {nav.map(([to, label]) => (
              <li key={to}>
                <Link to={to} aria-current={path.startsWith(to) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span className="muted" title={me.user?.email}>
            {me.user ? `${me.user.name} · ` : ''}
            {me.organization.name}
          </span>
          <LanguageSwitch />
          <SettingsMenu />
          <button type="button" className="btn btn-small" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      {signOutError !== null && (
        <p className="notice notice-error" role="alert">
          {errorText(signOutError)}
        </p>
      )}
      <main id="main">{children}</main>
    </div>
  );
}
