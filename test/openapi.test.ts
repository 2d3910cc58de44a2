// The OpenAPI document is the contract: it validates (swagger-parser), the committed copy and the web
// app's generated types are current, every operation is fully described, and real answers of every
// operation validate against the schema the document gives for their status.
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentDocument,
  DOCUMENT_FILE,
  documentText,
  readCommitted,
  TYPES_FILE,
  typesText,
} from '../scripts/contract.js';
import { createTestApp, type Caller } from './helpers/app.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { ContractChecker } from './helpers/contract.js';
import { ENGINES } from './helpers/db.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

type Json = Record<string, unknown>;
type Op = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Json[];
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
};

describe('the OpenAPI document', () => {
  let doc: Json;
  beforeAll(async () => {
    doc = await currentDocument();
  });

  it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect(doc.openapi).toBe('3.1.0');
    const info = doc.info as Json;
    expect(info.license).toMatchObject({ name: expect.any(String) });
    expect(info.contact).toMatchObject({ name: expect.any(String) });
  });

  it('is committed as docs/openapi.json, and web/src/lib/api-types.ts is generated from it (npm run contract)', async () => {
    expect(readCommitted(DOCUMENT_FILE), 'docs/openapi.json is stale: run `npm run contract`').toBe(
      await documentText(doc),
    );
    expect(readCommitted(TYPES_FILE), 'web/src/lib/api-types.ts is stale: run `npm run contract`').toBe(
      await typesText(doc),
    );
  });

  it('describes every operation: id, summary, tag, security, its success answer and its error answers', () => {
    const paths = doc.paths as Record<string, Record<string, Op>>;
    const ids = new Set<string>();
    let count = 0;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        count += 1;
        const what = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, what).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(op.operationId!), `${what}: operationId ${op.operationId} twice`).toBe(false);
        ids.add(op.operationId!);
        expect(op.summary, what).toBeTruthy();
        expect(op.tags, what).toHaveLength(1);
        expect(op.security, what).toBeDefined();
        const statuses = Object.keys(op.responses);
        const success = statuses.filter((s) => s.startsWith('2'));
        // One success answer; a backfill has two (202 created, 200 counted on `dryRun`: API.md).
        expect(success.length, what).toBe(path.endsWith('/backfill') ? 2 : 1);
        for (const status of success) {
          const answer = op.responses[status]!;
          expect(answer.description, what).not.toBe('Default Response');
          if (status === '204') expect(answer.content, what).toBeUndefined();
          else expect(Object.keys(answer.content ?? {}), what).toHaveLength(1);
        }
        expect(statuses, what).toEqual(expect.arrayContaining(['500', '503']));
        expect(
          statuses.some((s) => s.startsWith('4')),
          what,
        ).toBe(true);
        const isPublic = op.security!.length === 0 || op.security!.some((s) => Object.keys(s).length === 0);
        if (!isPublic) expect(statuses, what).toContain('401');
      }
    }
    expect(count).toBeGreaterThanOrEqual(50);
  });

  it('marks sign-up, login and the respondent and inbox receiver routes public, and documents both ways in', () => {
    const paths = doc.paths as Record<string, Record<string, Op>>;
    for (const [path, method] of [
      ['/api/v1/auth/signup', 'post'],
      ['/api/v1/auth/login', 'post'],
      ['/api/v1/public/surveys/{token}', 'get'],
      ['/api/v1/public/surveys/{token}/responses', 'post'],
      ['/api/v1/inbox/{token}', 'post'],
    ] as const) {
      expect(paths[path]![method]!.security, path).toEqual([]);
    }
    expect(paths['/api/v1/surveys']!.post!.security).toEqual([{ apiKey: [] }, { session: [], csrf: [] }]);
    expect(paths['/api/v1/surveys']!.get!.security).toEqual([{ apiKey: [] }, { session: [] }]);
    const schemes = (doc.components as Json).securitySchemes as Json;
    expect(schemes).toMatchObject({
      apiKey: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie', name: 'svarbud_session' },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
    });
    const csv = paths['/api/v1/surveys/{id}/responses.csv']!.get!.responses['200']!;
    expect(Object.keys(csv.content!)).toEqual(['text/csv']);
  });

  it("links the receivers' guide, which the server serves", async () => {
    expect(String((doc.info as Json).description)).toContain('](/docs/receiving-webhooks.md)');
    const t = await createTestApp('sqlite');
    try {
      const res = await t.app.inject({ method: 'GET', url: '/docs/receiving-webhooks.md' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(res.body).toContain('# Receiving Svarbud webhooks');
    } finally {
      await t.close();
    }
  });
});

for (const engine of ENGINES) {
  describe(`real answers fit the document (${engine})`, () => {
    // A running dispatcher, so runs have real attempts (and a failed one) to describe.
    let t: DeliveryHarness;
    let owner: Caller;
    let checker: ContractChecker;
    let receiver: Receiver;

    /** One call, checked against the document; returns the parsed JSON answer (or the text). */
    async function call(
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      options: { headers?: Record<string, string>; payload?: unknown; status?: number } = {},
    ) {
      const res = await t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: options.headers ?? owner.bearer,
        ...(options.payload === undefined ? {} : { payload: options.payload as Json }),
      });
      checker.check(method, `/api/v1${url}`, res);
      if (options.status !== undefined)
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(options.status);
      else expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      const type = String(res.headers['content-type'] ?? '');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (type.startsWith('application/json') ? res.json() : res.body) as any;
    }

    beforeAll(async () => {
      t = await createDeliveryHarness(engine);
      owner = t.owner;
      checker = new ContractChecker((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json());
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await t.close();
      await receiver.close();
    });

    it('every operation answers as documented, its errors included', async () => {
      const none = {};
      // ── Accounts ──
      const email = `contract-${engine}-${Date.now()}@example.com`;
      const signup = { email, password: 'correct horse battery', name: 'Ada', organizationName: 'Contract' };
      await call('POST', '/auth/signup', { headers: none, payload: signup, status: 201 });
      await call('POST', '/auth/signup', { headers: none, payload: signup, status: 409 });
      await call('POST', '/auth/signup', {
        headers: none,
        payload: { ...signup, email: 'nope' },
        status: 400,
      });
      await call('POST', '/auth/login', {
        headers: none,
        payload: { email, password: 'wrong password' },
        status: 401,
      });
      await call('POST', '/auth/login', { headers: none, payload: { email, password: signup.password } });
      await call('GET', '/me', { headers: owner.session });
      await call('GET', '/me');
      await call('GET', '/me', { headers: none, status: 401 });
      const key = await call('POST', '/api-keys', { payload: { name: 'contract' }, status: 201 });
      await call('GET', '/api-keys');
      await call('DELETE', `/api-keys/${key.id}`, { status: 204 });
      await call('DELETE', `/api-keys/${key.id}`, { status: 404 });

      // ── Teams ──
      await call('GET', '/members');
      const invitee = (what: string) => `${what}-${engine}-${Date.now()}@example.com`;
      const invitation = await call('POST', '/invitations', {
        payload: { email: invitee('invitee') },
        status: 201,
      });
      await call('POST', '/invitations', { payload: { email: 'nope' }, status: 400 });
      await call('GET', '/invitations');
      await call('DELETE', `/invitations/${invitation.id}`, { status: 204 });
      await call('DELETE', `/invitations/${invitation.id}`, { status: 404 });
      await call('POST', '/invitations', {
        payload: { email: invitee('joiner'), language: 'nb' },
        status: 201,
      });
      const invitationMail = await t.ctx.db
        .selectFrom('mail_outbox')
        .select('text_body')
        .where('kind', '=', 'invitation')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const joining = {
        token: /\/invite\/([\w-]+)/.exec(invitationMail.text_body)![1]!,
        name: 'Joiner',
        password: 'correct horse battery',
      };
      const joined = await call('POST', '/auth/accept-invitation', {
        headers: none,
        payload: joining,
        status: 201,
      });
      await call('POST', '/auth/accept-invitation', { headers: none, payload: joining, status: 404 });
      await call('DELETE', `/members/${joined.user.id}`, { status: 204 });
      await call('DELETE', `/members/${owner.userId}`, { status: 409 });

      // ── Surveys ──
      const survey = await call('POST', '/surveys', {
        payload: {
          title: 'Contract pulse',
          backgroundVariables: [{ name: 'Department' }],
          questions: [
            { type: 'single_choice', text: 'Colour?', options: [{ text: 'Red' }, { text: 'Green' }] },
            { type: 'scale', text: 'How likely?', min: 0, max: 10 },
            {
              type: 'matrix',
              text: 'Rate',
              options: [{ text: 'Bad' }, { text: 'Good' }],
              rows: [{ text: 'Food' }],
            },
            { type: 'text', text: 'Anything else?' },
          ],
        },
        status: 201,
      });
      await call('POST', '/surveys', { payload: { title: '' }, status: 400 });
      await call('GET', '/surveys?limit=1');
      await call('GET', `/surveys/${survey.id}`);
      await call('GET', '/surveys/srv_missing', { status: 404 });
      await call('PATCH', `/surveys/${survey.id}`, { payload: { title: 'Contract pulse 2' } });
      const copy = await call('POST', `/surveys/${survey.id}/copy`, { payload: {}, status: 201 });
      const withQuestion = await call('POST', `/surveys/${copy.id}/questions`, {
        payload: { type: 'number', text: 'Hours?' },
        status: 201,
      });
      const added = withQuestion.questions.at(-1).id;
      await call('PATCH', `/surveys/${copy.id}/questions/${added}`, { payload: { text: 'Hours per week?' } });
      await call('POST', `/surveys/${copy.id}/questions/${added}/copy`, { status: 201 });
      await call('GET', `/surveys/${copy.id}/questions/${added}/impact`);
      await call('DELETE', `/surveys/${copy.id}/questions/${added}`);
      const withTeam = await call('POST', `/surveys/${copy.id}/background-variables`, {
        payload: { name: 'Team' },
        status: 201,
      });
      const team = withTeam.backgroundVariables.at(-1).id;
      await call('GET', `/surveys/${copy.id}/background-variables/${team}/impact`);
      await call('DELETE', `/surveys/${copy.id}/background-variables/${team}`);
      await call('DELETE', `/surveys/${copy.id}/background-variables/${team}`, { status: 404 });
      const labels = await call('GET', `/surveys/${survey.id}/data-labels`);
      const colour = labels.items.find(
        (v: { questionId: string | null }) => v.questionId === survey.questions[0].id,
      );
      await call('PUT', `/surveys/${survey.id}/data-labels`, {
        payload: { labels: { [colour.id]: 'colour' } },
      });
      await call('PUT', `/surveys/${survey.id}/data-labels`, {
        payload: { labels: { [colour.id]: 'not a label!' } },
        status: 422,
      });
      const template = await call('POST', `/surveys/${survey.id}/share-as-template`, {
        payload: {},
        status: 201,
      });
      await call('GET', '/templates');
      await call('POST', `/templates/${template.id}/surveys`, {
        payload: { title: 'From template' },
        status: 201,
      });
      await call('PATCH', `/templates/${template.id}`, { payload: { name: 'Renamed' } });
      await call('DELETE', `/templates/${template.id}`, { status: 204 });
      await call('DELETE', `/surveys/${copy.id}`, { status: 204 });

      // ── Automations ──
      const settings = {
        surveyId: survey.id,
        url: receiver.urlFor('/hook'),
        variables: { mode: 'all' },
        labels: 'data',
        headers: { 'x-team': 'contract' },
        secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64'),
      };
      await call('POST', '/automations/test-connection', { payload: settings });
      await call('POST', '/automations/test-connection', {
        payload: { ...settings, secret: 'whsec_short' },
        status: 400,
      });
      const automation = await call('POST', '/automations', {
        payload: { type: 'outgoing_webhook', name: 'CRM', ...settings },
        status: 201,
      });
      await call('GET', '/automations');
      await call('GET', `/automations?surveyId=${survey.id}`);
      await call('GET', `/automations/${automation.id}`);
      await call('PATCH', `/automations/${automation.id}`, {
        payload: { name: 'CRM 2', answerFormat: 'code' },
      });
      await call('POST', `/automations/${automation.id}/test`, {
        payload: { url: receiver.urlFor('/other') },
      });
      await call('POST', `/automations/${automation.id}/rotate-secret`);
      await call('GET', `/automations/${automation.id}/schema`);
      await call('GET', `/automations/${automation.id}/notifications`);
      await call('PUT', `/automations/${automation.id}/notifications`, {
        payload: { enabled: true, recipients: ['ops@example.com'] },
      });
      await call('PUT', `/automations/${automation.id}/notifications`, {
        payload: { enabled: true, recipients: ['not an address'] },
        status: 400,
      });

      // ── Responses and runs ──
      receiver.replyOnce({ status: 500, body: 'receiver down' }); // the first delivery fails, to be retried
      const response = await call('POST', `/surveys/${survey.id}/responses`, {
        payload: {
          respondent: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
          answers: { [survey.questions[0].id]: 1, [survey.questions[1].id]: 7 },
        },
        status: 201,
      });
      const firstRun = response.runs[0].id as string;
      await t.waitFor(
        () => t.run(firstRun),
        (r) => Number(r.attempts) === 1,
      );
      await call('POST', `/surveys/${survey.id}/responses`, {
        payload: { answers: { [survey.questions[1].id]: 99 } },
        status: 400,
      });
      await call('GET', `/surveys/${survey.id}/responses`);
      await call('GET', `/surveys/${survey.id}/responses.csv?labels=data`);
      await call('GET', `/public/surveys/${survey.publicToken}`, { headers: none });
      await call('POST', `/public/surveys/${survey.publicToken}/responses`, {
        headers: none,
        payload: { answers: { [survey.questions[0].id]: 2 } },
        status: 201,
      });
      await call('GET', '/public/surveys/unknown-token', { headers: none, status: 404 });
      const runId = response.runs[0].id;
      await call('GET', `/automations/${automation.id}/runs?status=scheduled,succeeded&limit=10`);
      await call('GET', `/automations/${automation.id}/runs?from=2000-01-01T00:00:00Z`, { status: 400 });
      await call('GET', `/automations/${automation.id}/runs/daily?days=7&timeZone=Europe/Oslo`);
      const run = await call('GET', `/runs/${runId}`);
      expect(run.attemptLog).toMatchObject([{ statusCode: 500, error: { code: 'HTTP_STATUS' } }]);
      await call('POST', `/automations/${automation.id}/runs/replay`, {
        payload: { runIds: [runId] },
        status: 202,
      });
      await call('GET', `/automations/${automation.id}/runs?origin=completion,manual`);

      // ── Sending existing responses, erasure ──
      await call('POST', `/automations/${automation.id}/backfill`, {
        payload: { dryRun: true },
        status: 200,
      });
      await call('POST', `/automations/${automation.id}/backfill`, {
        payload: { onlyMissing: true },
        status: 202,
      });
      await call('POST', `/automations/${automation.id}/backfill`, {
        payload: { from: 'soon' },
        status: 400,
      });
      const sent = await call('POST', `/surveys/${survey.id}/responses/${response.id}/send`, {
        payload: { automationId: automation.id },
        status: 201,
      });
      expect(sent.run.origin).toBe('manual');
      await call('POST', '/responses/erase', { payload: { email: 'nobody@example.com' } });
      await call('POST', '/responses/erase', { payload: { email: 'nope' }, status: 400 });
      const erasable = await call('POST', `/surveys/${survey.id}/responses`, {
        payload: { respondent: { email: 'erase.me@example.com' }, answers: {} },
        status: 201,
      });
      await call('DELETE', `/surveys/${survey.id}/responses/${erasable.id}`, { status: 204 });
      await call('DELETE', `/surveys/${survey.id}/responses/${erasable.id}`, { status: 404 });
      await call('GET', '/dev/mailbox');

      // ── Inbox ──
      const inboxes = await call('GET', '/inboxes');
      const inbox = await call('POST', '/inboxes', { payload: { name: 'Second' }, status: 201 });
      const token = new URL(inbox.url).pathname.split('/').pop();
      await call('POST', `/inbox/${token}`, { headers: none, payload: { hello: 'inbox' } });
      const requests = await call('GET', `/inboxes/${inbox.id}/requests`);
      await call('DELETE', `/inboxes/${inbox.id}/requests/${requests.items[0].id}`, { status: 204 });
      await call('DELETE', `/inboxes/${inboxes.items[0].id}/requests`, { status: 204 });

      // ── What is left: deleting, and signing out ──
      await call('DELETE', `/automations/${automation.id}`, { status: 204 });
      await call('DELETE', `/surveys/${survey.id}`, { status: 204 });
      await call('POST', '/auth/logout', { headers: { cookie: owner.cookie }, status: 403 });
      await call('POST', '/auth/logout', { headers: owner.session, status: 204 });

      const unseen = checker.operationKeys.filter(
        (k) => ![...(checker.seen.get(k) ?? [])].some((status) => status >= 200 && status < 300),
      );
      expect(unseen, 'operations without a checked success answer').toEqual([]);
    });
  });
}
