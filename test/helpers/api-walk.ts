// For tests that walk the whole API: the routes the app reports, one organization holding one of
// everything (created through the API), and a snapshot of that organization's data to compare.
import type { FastifyInstance } from 'fastify';
import { newId } from '../../src/ids.js';
import { insertDevMail } from '../../src/notifications/notifications.store.js';
import type { TestApp } from './app.js';

export interface ReportedRoute {
  method: string;
  /** The path as registered, e.g. `/api/v1/surveys/:id/questions/:qid`. */
  path: string;
}

/**
 * Every method and path the app has registered, read from `printRoutes({ commonPrefix: false })`:
 * each line is `<tree prefix>── <segment> (<METHODS>)`; a node's path is its ancestors' segments joined.
 */
export function reportedRoutes(app: FastifyInstance): ReportedRoute[] {
  const text = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: ReportedRoute[] = [];
  for (const line of text.split('\n')) {
    const at = line.search(/[├└]── /);
    if (at < 0) continue;
    if (at % 4 !== 0) throw new Error(`unexpected printRoutes line: ${line}`);
    const depth = at / 4;
    const match = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(at + 4));
    if (!match) throw new Error(`unexpected printRoutes line: ${line}`);
    stack.length = depth;
    stack.push(match[1]!);
    const path = stack.join('');
    for (const method of (match[2] ?? '').split(',').map((m) => m.trim())) {
      if (method !== '') routes.push({ method, path });
    }
  }
  if (routes.length === 0) throw new Error(`no routes parsed from:\n${text}`);
  return routes;
}

/** The ids of one organization's things, each created through the API. */
export interface OrgWorld {
  headers: Record<string, string>;
  surveyId: string;
  /** The question added with POST /surveys/:id/questions. */
  questionId: string;
  /** The background variable added with POST /surveys/:id/background-variables. */
  backgroundVariableId: string;
  /** The single-choice question (options coded 1 and 2). */
  singleQuestionId: string;
  /** The single-choice question's variable, which carries a data label. */
  labelledVariableId: string;
  /** The survey's respondent page token. */
  publicToken: string;
  templateId: string;
  automationId: string;
  apiKeyId: string;
  /** A key created for this world; it must keep working. */
  apiKey: string;
  responseId: string;
  runId: string;
  mailId: string;
  /** The organization's default inbox (created by GET /inboxes). */
  inboxId: string;
  /** The inbox's unguessable token (the last segment of its URL). */
  inboxToken: string;
  /** The one request recorded at the inbox. */
  inboxRequestId: string;
  /** The organization's (only) member. */
  memberId: string;
  /** A pending invitation. */
  invitationId: string;
}

async function call(
  t: TestApp,
  headers: Record<string, string>,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Creates one of everything for the organization behind `headers` (an API key's bearer headers). */
export async function seedOrganization(
  t: TestApp,
  orgId: string,
  headers: Record<string, string>,
): Promise<OrgWorld> {
  const survey = await call(t, headers, 'POST', '/surveys', {
    title: 'Isolation pulse',
    backgroundVariables: [{ name: 'Department' }],
    questions: [
      {
        type: 'single_choice',
        text: 'Favourite colour?',
        options: [{ text: 'Red' }, { text: 'Green' }],
      },
      { type: 'text', text: 'Anything else?' },
    ],
  });
  const surveyId = survey.id as string;
  const single = survey.questions[0];
  const labelledVariableId = survey.variables.find(
    (v: { questionId: string | null }) => v.questionId === single.id,
  ).id as string;
  const withQuestion = await call(t, headers, 'POST', `/surveys/${surveyId}/questions`, {
    type: 'number',
    text: 'Hours last week?',
  });
  const questionId = withQuestion.questions.at(-1).id as string;
  const withVariable = await call(t, headers, 'POST', `/surveys/${surveyId}/background-variables`, {
    name: 'Team',
  });
  const backgroundVariableId = withVariable.backgroundVariables.at(-1).id as string;
  await call(t, headers, 'PUT', `/surveys/${surveyId}/data-labels`, {
    labels: { [labelledVariableId]: 'colour' },
  });
  const template = await call(t, headers, 'POST', `/surveys/${surveyId}/share-as-template`, {
    name: 'Pulse template',
  });
  const automation = await call(t, headers, 'POST', '/automations', {
    type: 'outgoing_webhook',
    surveyId,
    name: 'CRM',
    url: 'https://hooks.example.com/svarbud',
    variables: { mode: 'all' },
    labels: 'data',
  });
  await call(t, headers, 'PUT', `/automations/${automation.id}/notifications`, {
    enabled: true,
    recipients: ['ops@example.com'],
  });
  const key = await call(t, headers, 'POST', '/api-keys', { name: 'isolation' });
  const response = await call(t, headers, 'POST', `/surveys/${surveyId}/responses`, {
    respondent: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    answers: { [single.id]: 1 },
  });
  if (response.runs.length !== 1) throw new Error(`expected one run: ${JSON.stringify(response)}`);
  const mailId = newId('mail');
  await insertDevMail(t.ctx.db, {
    id: mailId,
    org_id: orgId,
    recipient: 'ops@example.com',
    subject: 'Deliveries are failing',
    text_body: 'text',
    html_body: '<p>html</p>',
    created_at: Date.now(),
  });
  const inboxes = await call(t, headers, 'GET', '/inboxes');
  const inbox = inboxes.items[0];
  const inboxPath = new URL(inbox.url).pathname;
  const received = await t.app.inject({
    method: 'POST',
    url: inboxPath,
    payload: { event: 'isolation', organization: orgId },
  });
  if (received.statusCode !== 200)
    throw new Error(`POST ${inboxPath} → ${received.statusCode} ${received.body}`);
  const requests = await call(t, headers, 'GET', `/inboxes/${inbox.id}/requests`);
  if (requests.items.length !== 1) throw new Error(`expected one inbox request: ${JSON.stringify(requests)}`);
  const members = await call(t, headers, 'GET', '/members');
  const invitation = await call(t, headers, 'POST', '/invitations', {
    email: `invitee-${orgId}@example.com`,
  });
  return {
    headers,
    surveyId,
    questionId,
    backgroundVariableId,
    singleQuestionId: single.id,
    labelledVariableId,
    publicToken: survey.publicToken,
    templateId: template.id,
    automationId: automation.id,
    apiKeyId: key.id,
    apiKey: key.key,
    responseId: response.id,
    runId: response.runs[0].id,
    mailId,
    inboxId: inbox.id,
    inboxToken: inboxPath.split('/').pop()!,
    inboxRequestId: requests.items[0].id,
    memberId: members.items[0].id,
    invitationId: invitation.id,
  };
}

/**
 * Everything the organization can read about its things, through the API with the world's own key
 * (so the snapshot also proves that key still works). `lastUsedAt` of keys changes with every call and
 * is left out.
 */
export async function snapshotOrganization(t: TestApp, w: OrgWorld): Promise<Record<string, unknown>> {
  const headers = { authorization: `Bearer ${w.apiKey}` };
  const get = (url: string) => call(t, headers, 'GET', url);
  const keys = await get('/api-keys');
  const csv = await t.app.inject({
    method: 'GET',
    url: `/api/v1/surveys/${w.surveyId}/responses.csv?labels=data`,
    headers,
  });
  if (csv.statusCode !== 200) throw new Error(`csv → ${csv.statusCode} ${csv.body}`);
  return {
    surveys: await get('/surveys'),
    survey: await get(`/surveys/${w.surveyId}`),
    dataLabels: await get(`/surveys/${w.surveyId}/data-labels`),
    responses: await get(`/surveys/${w.surveyId}/responses`),
    csv: csv.body,
    templates: await get('/templates'),
    automations: await get('/automations'),
    automation: await get(`/automations/${w.automationId}`),
    notifications: await get(`/automations/${w.automationId}/notifications`),
    runs: await get(`/automations/${w.automationId}/runs`),
    run: await get(`/runs/${w.runId}`),
    mailbox: await get('/dev/mailbox'),
    inboxes: await get('/inboxes'),
    inboxRequests: await get(`/inboxes/${w.inboxId}/requests?limit=100`),
    members: await get('/members'),
    invitations: await get('/invitations'),
    apiKeys: keys.items.map((k: { id: string; name: string; createdAt: string }) => ({
      id: k.id,
      name: k.name,
      createdAt: k.createdAt,
    })),
  };
}
