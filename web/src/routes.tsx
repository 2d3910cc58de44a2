// Which screen each path shows (React Router 7, a data router: its blockers guard unsaved edits).
// Screens take plain props; the small route components here read them from the path and query string.
import { createBrowserRouter, useLocation, useParams, useSearchParams } from 'react-router';
import { NotFound, Shell, safeNext } from './App';
import { SignIn, SignUp } from './screens/auth';
import { AutomationPage } from './screens/automation';
import { AutomationsList } from './screens/automations';
import { DataLabelsPage } from './screens/data-labels';
import { InboxPage } from './screens/inbox';
import { MailboxPage } from './screens/mailbox';
import { RespondentPage } from './screens/respondent';
import { RunDetailsPage } from './screens/run-details';
import { RunsLogPage } from './screens/runs';
import { SurveyPage } from './screens/survey';
import { SurveysList } from './screens/surveys';
import { TemplatesList } from './screens/templates';
import { AutomationWizard } from './screens/wizard';
import { ApiKeysPage } from './screens/api-keys';
import { ErasurePage } from './screens/erasure';
import { InvitationPage } from './screens/invitation';
import { TeamPage } from './screens/team';

const useId = () => useParams<{ id: string }>().id!;

function SurveyRoute() {
  const id = useId();
  return <SurveyPage key={id} id={id} />;
}
function DataLabelsRoute() {
  const id = useId();
  return <DataLabelsPage key={id} id={id} />;
}
function AutomationRoute() {
  const id = useId();
  return <AutomationPage key={id} id={id} />;
}
function RunsLogRoute() {
  const id = useId();
  return <RunsLogPage key={id} automationId={id} query={useLocation().search.replace(/^\?/, '')} />;
}
function RunRoute() {
  const id = useId();
  return <RunDetailsPage key={id} id={id} />;
}
function SignInRoute() {
  const [search] = useSearchParams();
  return <SignIn next={safeNext(search.get('next'))} />;
}
function RespondentRoute() {
  const { token } = useParams<{ token: string }>();
  return <RespondentPage token={token!} />;
}

function InvitationRoute() {
  const { token } = useParams<{ token: string }>();
  return <InvitationPage token={token!} />;
}

export const router = createBrowserRouter([
  { path: '/r/:token', element: <RespondentRoute /> },
  { path: '/invite/:token', element: <InvitationRoute /> },
  {
    path: '/',
    element: <Shell />,
    children: [
      { path: 'signin', element: <SignInRoute /> },
      { path: 'signup', element: <SignUp /> },
      { path: 'surveys', element: <SurveysList /> },
      { path: 'surveys/:id', element: <SurveyRoute /> },
      { path: 'surveys/:id/settings/data-labels', element: <DataLabelsRoute /> },
      { path: 'templates', element: <TemplatesList /> },
      { path: 'automations', element: <AutomationsList /> },
      { path: 'automations/new', element: <AutomationWizard /> },
      { path: 'automations/:id', element: <AutomationRoute /> },
      { path: 'automations/:id/runs', element: <RunsLogRoute /> },
      { path: 'runs/:id', element: <RunRoute /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'mailbox', element: <MailboxPage /> },
      { path: 'settings/team', element: <TeamPage /> },
      { path: 'settings/api-keys', element: <ApiKeysPage /> },
      { path: 'settings/erase', element: <ErasurePage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
