// The shell: who is signed in, which screen the path shows, and the header around signed-in screens.
import { useEffect, useState, type ReactNode } from 'react';
import { ErrorBox, LanguageSwitch, Loading } from './components';
import { ApiError, client, setCsrfToken, unwrap } from './lib/api';
import { useI18n } from './lib/i18n';
import { queryClient, useMe } from './lib/queries';
import { Link, match, navigate, queryParam, useLocation } from './lib/router';
import type { Me } from './lib/types';
import { AutomationPage } from './screens/automation';
import { AutomationsList } from './screens/automations';
import { DataLabelsPage } from './screens/data-labels';
import { InboxPage } from './screens/inbox';
import { RespondentPage } from './screens/respondent';
import { RunDetailsPage } from './screens/run-details';
import { RunsLogPage } from './screens/runs';
import { SignIn, SignUp } from './screens/auth';
import { SurveyPage } from './screens/survey';
import { SurveysList } from './screens/surveys';
import { TemplatesList } from './screens/templates';
import { AutomationWizard } from './screens/wizard';

export const ME = '/api/v1/me';

export function App() {
  const location = useLocation();
  const path = location.split('?')[0]!;
  const respondent = match('/r/:token', path);
  const me = useMe(!respondent);

  if (respondent) return <RespondentPage token={respondent.token!} />;
  if (me.data) {
    setCsrfToken(me.data.csrfToken);
    return <SignedIn me={me.data} location={location} />;
  }
  if (me.error instanceof ApiError && me.error.code === 'UNAUTHENTICATED') {
    setCsrfToken(null);
    return <SignedOut location={location} />;
  }
  return (
    <Bare>{me.error ? <ErrorBox error={me.error} onRetry={() => void me.refetch()} /> : <Loading />}</Bare>
  );
}

function Bare({ children }: { children: ReactNode }) {
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

function SignedOut({ location }: { location: string }) {
  const path = location.split('?')[0]!;
  const isSignup = path === '/signup';
  useEffect(() => {
    // Any signed-in page asks to sign in first and comes back afterwards.
    if (!isSignup && path !== '/signin') {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(location)}`;
      navigate(`/signin${next}`, { replace: true });
    }
  }, [isSignup, path, location]);
  const next = queryParam(location, 'next');
  const afterSignIn = next && next.startsWith('/') && !next.startsWith('//') ? next : '/surveys';
  return <Bare>{isSignup ? <SignUp /> : <SignIn next={afterSignIn} />}</Bare>;
}

function SignedIn({ me, location }: { me: Me; location: string }) {
  const path = location.split('?')[0]!;
  useEffect(() => {
    if (path === '/' || path === '/signin' || path === '/signup') {
      const next = queryParam(location, 'next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/surveys', { replace: true });
    }
  }, [path, location]);
  return (
    <Layout me={me} path={path}>
      <Screen path={path} location={location} />
    </Layout>
  );
}

function Screen({ path, location }: { path: string; location: string }) {
  const { t } = useI18n();
  let m: Record<string, string> | null;
  if (path === '/surveys') return <SurveysList />;
  if ((m = match('/surveys/:id', path))) return <SurveyPage key={m.id} id={m.id!} />;
  if ((m = match('/surveys/:id/settings/data-labels', path))) return <DataLabelsPage key={m.id} id={m.id!} />;
  if (path === '/templates') return <TemplatesList />;
  if (path === '/automations') return <AutomationsList />;
  if (path === '/inbox') return <InboxPage />;
  if (path === '/automations/new')
    return <AutomationWizard initialSurveyId={queryParam(location, 'survey')} />;
  if ((m = match('/automations/:id', path))) return <AutomationPage key={m.id} id={m.id!} />;
  if ((m = match('/automations/:id/runs', path)))
    return <RunsLogPage key={m.id} automationId={m.id!} query={location.split('?')[1] ?? ''} />;
  if ((m = match('/runs/:id', path))) return <RunDetailsPage key={m.id} id={m.id!} />;
  if (path === '/' || path === '/signin' || path === '/signup') return <Loading />;
  return (
    <div>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <Link to="/surveys">{t('nav.surveys')}</Link>
    </div>
  );
}

function Layout({ me, path, children }: { me: Me; path: string; children: ReactNode }) {
  const { t, errorText } = useI18n();
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
