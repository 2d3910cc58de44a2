// Every query is scoped to the caller's organization: organization B, holding its own API key and
// session, walks every route the app reports with organization A's ids and gets 404 NOT_FOUND, sees
// none of A's things in its lists, and A's data is the same afterwards.
//
// The ROUTES table says how to fill each route's parameters. A route the app reports that the table does
// not list fails the first test, naming the route: a new route must say how it is kept to one organization.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { reportedRoutes, seedOrganization, snapshotOrganization, type OrgWorld } from './helpers/api-walk.js';
import { ENGINES } from './helpers/db.js';
import { encodeCursor } from '../src/http/cursor.js';

/** A cursor naming `id` as the last item of a page. */
const cursorAt = (id: string) => encodeCursor({ createdAt: Date.now(), id });

/** One request of a probe; `url` is relative to /api/v1. */
interface Probe {
  url: string;
  body?: unknown;
}

type Entry =
  /** B sends A's ids (in the path, or in the body where marked): 404 NOT_FOUND, nothing changes. */
  | { expect: 'not_found'; probes: (a: OrgWorld, b: OrgWorld) => Probe[] }
  /** B's own lists and things: 2xx (or 404 for a foreign id in the query), and none of A's ids in them. */
  | { expect: 'own_only'; probes: (a: OrgWorld, b: OrgWorld) => Probe[]; allowNotFound?: boolean }
  /** Not organization-scoped; the reason says why. */
  | { expect: 'excluded'; reason: string };

const ROUTES: Record<string, Entry> = {
  // ── Not scoped to an organization ──
  'POST /api/v1/auth/signup': { expect: 'excluded', reason: 'creates a new organization; no caller yet' },
  'POST /api/v1/auth/login': { expect: 'excluded', reason: 'signs in; no caller yet, takes no ids' },
  'POST /api/v1/auth/logout': { expect: 'excluded', reason: "ends the caller's own session; takes no ids" },
  'GET /api/v1/public/surveys/:token': {
    expect: 'excluded',
    reason: 'respondent page: public by design, addressed by an unguessable token, not an id',
  },
  'POST /api/v1/public/surveys/:token/responses': {
    expect: 'excluded',
    reason: 'respondent page: public by design, addressed by an unguessable token, not an id',
  },
  'POST /api/v1/inbox/:token': {
    expect: 'excluded',
    reason: "public receiver addressed by an unguessable token; stores into the token's own organization",
  },

  // ── Accounts ──
  'GET /api/v1/me': { expect: 'own_only', probes: () => [{ url: '/me' }] },
  'POST /api/v1/api-keys': { expect: 'own_only', probes: () => [{ url: '/api-keys', body: { name: 'b' } }] },
  'GET /api/v1/api-keys': { expect: 'own_only', probes: () => [{ url: '/api-keys' }] },
  'DELETE /api/v1/api-keys/:id': { expect: 'not_found', probes: (a) => [{ url: `/api-keys/${a.apiKeyId}` }] },
  'GET /api/v1/members': { expect: 'own_only', probes: () => [{ url: '/members' }] },
  'DELETE /api/v1/members/:id': { expect: 'not_found', probes: (a) => [{ url: `/members/${a.memberId}` }] },
  'POST /api/v1/invitations': {
    expect: 'own_only',
    probes: () => [{ url: '/invitations', body: { email: 'b-invitee@example.com' } }],
  },
  'GET /api/v1/invitations': { expect: 'own_only', probes: () => [{ url: '/invitations' }] },
  'DELETE /api/v1/invitations/:id': {
    expect: 'not_found',
    probes: (a) => [{ url: `/invitations/${a.invitationId}` }],
  },
  'POST /api/v1/auth/accept-invitation': {
    expect: 'excluded',
    reason: "addressed by an unguessable token, not an id; joins the token's own organization",
  },

  // ── Surveys ──
  'POST /api/v1/surveys': {
    expect: 'own_only',
    probes: () => [{ url: '/surveys', body: { title: 'B survey' } }],
  },
  'GET /api/v1/surveys': {
    expect: 'own_only',
    probes: () => [{ url: '/surveys' }, { url: '/surveys?limit=100' }],
  },
  'GET /api/v1/surveys/:id': { expect: 'not_found', probes: (a) => [{ url: `/surveys/${a.surveyId}` }] },
  'PATCH /api/v1/surveys/:id': {
    expect: 'not_found',
    probes: (a) => [{ url: `/surveys/${a.surveyId}`, body: { title: 'Hijacked' } }],
  },
  'DELETE /api/v1/surveys/:id': { expect: 'not_found', probes: (a) => [{ url: `/surveys/${a.surveyId}` }] },
  'POST /api/v1/surveys/:id/copy': {
    expect: 'not_found',
    probes: (a) => [{ url: `/surveys/${a.surveyId}/copy`, body: { title: 'Stolen' } }],
  },
  'POST /api/v1/surveys/:id/questions': {
    expect: 'not_found',
    probes: (a) => [{ url: `/surveys/${a.surveyId}/questions`, body: { type: 'text', text: 'Injected?' } }],
  },
  'PATCH /api/v1/surveys/:id/questions/:qid': {
    expect: 'not_found',
    probes: (a, b) => questionPairs(a, b).map((url) => ({ url, body: { text: 'Hijacked?' } })),
  },
  'DELETE /api/v1/surveys/:id/questions/:qid': {
    expect: 'not_found',
    probes: (a, b) => questionPairs(a, b).map((url) => ({ url })),
  },
  'POST /api/v1/surveys/:id/questions/:qid/copy': {
    expect: 'not_found',
    probes: (a, b) => questionPairs(a, b).map((url) => ({ url: `${url}/copy` })),
  },
  'POST /api/v1/surveys/:id/background-variables': {
    expect: 'not_found',
    probes: (a) => [{ url: `/surveys/${a.surveyId}/background-variables`, body: { name: 'Injected' } }],
  },
  'GET /api/v1/surveys/:id/data-labels': {
    expect: 'not_found',
    probes: (a) => [{ url: `/surveys/${a.surveyId}/data-labels` }],
  },
  'PUT /api/v1/surveys/:id/data-labels': {
    expect: 'not_found',
    probes: (a) => [
      { url: `/surveys/${a.surveyId}/data-labels`, body: { labels: { [a.labelledVariableId]: 'stolen' } } },
      { url: `/surveys/${a.surveyId}/data-labels`, body: { labels: {} } },
    ],
  },
  'POST /api/v1/surveys/:id/share-as-template': {
    expect: 'not_found',
    probes: (a) => [{ url: `/surveys/${a.surveyId}/share-as-template`, body: { name: 'Stolen' } }],
  },
  'POST /api/v1/templates/:id/surveys': {
    expect: 'not_found',
    probes: (a) => [{ url: `/templates/${a.templateId}/surveys`, body: { title: 'Stolen' } }],
  },
  'GET /api/v1/templates': {
    expect: 'own_only',
    probes: () => [{ url: '/templates' }, { url: '/templates?limit=100' }],
  },
  'PATCH /api/v1/templates/:id': {
    expect: 'not_found',
    probes: (a) => [{ url: `/templates/${a.templateId}`, body: { name: 'Stolen' } }],
  },
  'DELETE /api/v1/templates/:id': {
    expect: 'not_found',
    probes: (a) => [{ url: `/templates/${a.templateId}` }],
  },

  // ── Responses ──
  'POST /api/v1/surveys/:id/responses': {
    expect: 'not_found',
    probes: (a) => [{ url: `/surveys/${a.surveyId}/responses`, body: { answers: {} } }],
  },
  'GET /api/v1/surveys/:id/responses': {
    expect: 'not_found',
    probes: (a) => [{ url: `/surveys/${a.surveyId}/responses` }],
  },
  'GET /api/v1/surveys/:id/responses.csv': {
    expect: 'not_found',
    probes: (a) => [
      { url: `/surveys/${a.surveyId}/responses.csv` },
      { url: `/surveys/${a.surveyId}/responses.csv?labels=data` },
    ],
  },

  'DELETE /api/v1/surveys/:id/responses/:responseId': {
    expect: 'not_found',
    probes: (a, b) => responsePairs(a, b).map((url) => ({ url })),
  },
  'POST /api/v1/surveys/:id/responses/:responseId/send': {
    expect: 'not_found', // A's automation id in the body too
    probes: (a, b) => [
      ...responsePairs(a, b).map((url) => ({ url: `${url}/send`, body: { automationId: b.automationId } })),
      {
        url: `/surveys/${b.surveyId}/responses/${b.responseId}/send`,
        body: { automationId: a.automationId },
      },
    ],
  },
  'POST /api/v1/responses/erase': {
    // B's erasure of A's respondent (the same e-mail as B's own) is walked in its own test below.
    expect: 'own_only',
    probes: () => [{ url: '/responses/erase', body: { email: 'nobody@example.com' } }],
  },
  'GET /api/v1/surveys/:id/questions/:qid/impact': {
    expect: 'not_found',
    probes: (a, b) => questionPairs(a, b).map((url) => ({ url: `${url}/impact` })),
  },
  'DELETE /api/v1/surveys/:id/background-variables/:vid': {
    expect: 'not_found',
    probes: (a, b) => backgroundPairs(a, b).map((url) => ({ url })),
  },
  'GET /api/v1/surveys/:id/background-variables/:vid/impact': {
    expect: 'not_found',
    probes: (a, b) => backgroundPairs(a, b).map((url) => ({ url: `${url}/impact` })),
  },

  // ── Automations ──
  'GET /api/v1/automations/:id/schema': {
    expect: 'not_found',
    probes: (a) => [{ url: `/automations/${a.automationId}/schema` }],
  },
  'POST /api/v1/automations/:id/backfill': {
    expect: 'not_found',
    probes: (a) => [
      { url: `/automations/${a.automationId}/backfill`, body: { dryRun: true } },
      { url: `/automations/${a.automationId}/backfill`, body: { onlyMissing: false } },
    ],
  },
  'POST /api/v1/automations': {
    expect: 'not_found', // A's survey id in the body
    probes: (a) => [
      {
        url: '/automations',
        body: {
          type: 'outgoing_webhook',
          surveyId: a.surveyId,
          name: 'Stolen',
          url: 'https://thief.example.com/',
          variables: { mode: 'all' },
          labels: 'auto',
        },
      },
    ],
  },
  'POST /api/v1/automations/test-connection': {
    expect: 'not_found', // A's survey id in the body
    probes: (a) => [
      {
        url: '/automations/test-connection',
        body: {
          surveyId: a.surveyId,
          url: 'https://thief.example.com/',
          variables: { mode: 'all' },
          labels: 'data',
        },
      },
    ],
  },
  'GET /api/v1/automations': {
    expect: 'own_only',
    allowNotFound: true,
    probes: (a, b) => [
      { url: '/automations' },
      { url: `/automations?surveyId=${a.surveyId}` },
      { url: `/automations?surveyId=${b.surveyId}` },
    ],
  },
  'GET /api/v1/automations/:id': {
    expect: 'not_found',
    probes: (a) => [{ url: `/automations/${a.automationId}` }],
  },
  'PATCH /api/v1/automations/:id': {
    expect: 'not_found',
    probes: (a) => [
      { url: `/automations/${a.automationId}`, body: { url: 'https://thief.example.com/' } },
      { url: `/automations/${a.automationId}`, body: { enabled: false } },
      { url: `/automations/${a.automationId}`, body: {} },
    ],
  },
  'DELETE /api/v1/automations/:id': {
    expect: 'not_found',
    probes: (a) => [{ url: `/automations/${a.automationId}` }],
  },
  'POST /api/v1/automations/:id/test': {
    expect: 'not_found',
    probes: (a) => [{ url: `/automations/${a.automationId}/test` }],
  },
  'POST /api/v1/automations/:id/rotate-secret': {
    expect: 'not_found',
    probes: (a) => [{ url: `/automations/${a.automationId}/rotate-secret` }],
  },
  'GET /api/v1/automations/:id/notifications': {
    expect: 'not_found',
    probes: (a) => [{ url: `/automations/${a.automationId}/notifications` }],
  },
  'PUT /api/v1/automations/:id/notifications': {
    expect: 'not_found',
    probes: (a) => [
      {
        url: `/automations/${a.automationId}/notifications`,
        body: { enabled: true, recipients: ['thief@example.com'] },
      },
    ],
  },
  'GET /api/v1/dev/mailbox': {
    expect: 'own_only',
    probes: (a) => [
      { url: '/dev/mailbox' },
      { url: `/dev/mailbox?limit=100&cursor=${cursorAt('mail_zzzzzzzzzzzzzzzzzzzzzzzzzz')}` },
      { url: `/dev/mailbox?cursor=${cursorAt(a.mailId)}` },
    ],
  },

  // ── Runs ──
  'GET /api/v1/automations/:id/runs': {
    expect: 'not_found',
    probes: (a) => [
      { url: `/automations/${a.automationId}/runs` },
      { url: `/automations/${a.automationId}/runs?status=scheduled&search=ada` },
    ],
  },
  'POST /api/v1/automations/:id/runs/replay': {
    expect: 'not_found',
    probes: (a) => [
      { url: `/automations/${a.automationId}/runs/replay`, body: { runIds: [a.runId] } },
      { url: `/automations/${a.automationId}/runs/replay`, body: { filter: {} } },
    ],
  },
  'GET /api/v1/automations/:id/runs/daily': {
    expect: 'not_found',
    probes: (a) => [
      { url: `/automations/${a.automationId}/runs/daily` },
      { url: `/automations/${a.automationId}/runs/daily?days=90&timeZone=Europe/Oslo` },
    ],
  },
  'GET /api/v1/runs/:id': { expect: 'not_found', probes: (a) => [{ url: `/runs/${a.runId}` }] },

  // ── Request inbox ──
  'GET /api/v1/inboxes': { expect: 'own_only', probes: () => [{ url: '/inboxes' }] },
  'POST /api/v1/inboxes': {
    expect: 'own_only',
    probes: () => [{ url: '/inboxes', body: { name: 'B inbox' } }],
  },
  'GET /api/v1/inboxes/:id/requests': {
    expect: 'not_found',
    probes: (a, b) => [
      { url: `/inboxes/${a.inboxId}/requests` },
      { url: `/inboxes/${a.inboxId}/requests?limit=100&cursor=${cursorAt(a.inboxRequestId)}` },
      { url: `/inboxes/${a.inboxId}/requests?cursor=${cursorAt(b.inboxRequestId)}` },
    ],
  },
  'DELETE /api/v1/inboxes/:id/requests': {
    expect: 'not_found',
    probes: (a) => [{ url: `/inboxes/${a.inboxId}/requests` }],
  },
  'DELETE /api/v1/inboxes/:id/requests/:requestId': {
    expect: 'not_found',
    probes: (a, b) =>
      [
        `/inboxes/${a.inboxId}/requests/${a.inboxRequestId}`,
        `/inboxes/${b.inboxId}/requests/${a.inboxRequestId}`,
        `/inboxes/${a.inboxId}/requests/${b.inboxRequestId}`,
      ].map((url) => ({ url })),
  },
};

/** A question route with A's survey and question, B's survey with A's question, and A's survey with B's. */
function questionPairs(a: OrgWorld, b: OrgWorld): string[] {
  return [
    `/surveys/${a.surveyId}/questions/${a.questionId}`,
    `/surveys/${b.surveyId}/questions/${a.questionId}`,
    `/surveys/${a.surveyId}/questions/${b.questionId}`,
  ];
}

/** A response route with A's survey and response, B's survey with A's response, and A's survey with B's. */
function responsePairs(a: OrgWorld, b: OrgWorld): string[] {
  return [
    `/surveys/${a.surveyId}/responses/${a.responseId}`,
    `/surveys/${b.surveyId}/responses/${a.responseId}`,
    `/surveys/${a.surveyId}/responses/${b.responseId}`,
  ];
}

/** The same for a background variable. */
function backgroundPairs(a: OrgWorld, b: OrgWorld): string[] {
  return [
    `/surveys/${a.surveyId}/background-variables/${a.backgroundVariableId}`,
    `/surveys/${b.surveyId}/background-variables/${a.backgroundVariableId}`,
    `/surveys/${a.surveyId}/background-variables/${b.backgroundVariableId}`,
  ];
}

/** Routes outside /api/v1: no organization data (docs, health checks, the web UI's files). */
const OUTSIDE_API: Record<string, string> = {
  '/': 'web UI index.html',
  '/*': 'web UI files and client-side routes',
  '/healthz': 'health check',
  '/readyz': 'readiness check',
  '/metrics': 'Prometheus metrics (counts over all organizations, no ids)',
  '/api/openapi.json': 'OpenAPI document (no data)',
  '/docs/receiving-webhooks.md': "the receivers' guide (no data)",
};
const OUTSIDE_API_PREFIXES: Record<string, string> = { '/api/docs': 'Swagger UI page and its assets' };

function isOutsideApi(path: string): boolean {
  return path in OUTSIDE_API || Object.keys(OUTSIDE_API_PREFIXES).some((p) => path.startsWith(p));
}

/** The table entry for a reported route; HEAD is the automatic twin of GET and uses its entry. */
function entryOf(method: string, path: string): Entry | undefined {
  return ROUTES[`${method === 'HEAD' ? 'GET' : method} ${path}`];
}

function idsOf(w: OrgWorld): string[] {
  return [
    w.surveyId,
    w.questionId,
    w.backgroundVariableId,
    w.labelledVariableId,
    w.templateId,
    w.automationId,
    w.apiKeyId,
    w.responseId,
    w.runId,
    w.mailId,
    w.inboxId,
    w.inboxToken,
    w.inboxRequestId,
    w.memberId,
    w.invitationId,
  ];
}

for (const engine of ENGINES) {
  describe(`organization isolation (${engine})`, () => {
    let t: TestApp;
    let callerA: Caller;
    let callerB: Caller;
    let a: OrgWorld;
    let b: OrgWorld;
    let before: Record<string, unknown>;

    beforeAll(async () => {
      t = await createTestApp(engine);
      callerA = await signUpCaller(t.app, 'Alpha');
      callerB = await signUpCaller(t.app, 'Beta');
      a = await seedOrganization(t, callerA.orgId, callerA.bearer);
      b = await seedOrganization(t, callerB.orgId, callerB.bearer);
      before = await snapshotOrganization(t, a);
    });
    afterAll(async () => t.close());

    /** B's two ways in: its API key, and its session cookie with the CSRF token. */
    const credentialsOfB = () =>
      [
        ['api key', callerB.bearer],
        ['session', callerB.session],
      ] as const;

    const send = (method: string, probe: Probe, headers: Record<string, string>) =>
      t.app.inject({
        method: method as 'GET',
        url: `/api/v1${probe.url}`,
        headers,
        ...(probe.body === undefined ? {} : { payload: probe.body as Record<string, unknown> }),
      });

    const expectNoneOfA = (res: LightMyRequestResponse, what: string) => {
      for (const id of idsOf(a)) expect(res.body, `${what} shows A's ${id}`).not.toContain(id);
    };

    it('the table covers every route the app reports (and lists no route that is gone)', () => {
      const reported = reportedRoutes(t.app);
      const unlisted = reported
        .filter((r) => !isOutsideApi(r.path))
        .filter((r) => entryOf(r.method, r.path) === undefined)
        .map((r) => `${r.method} ${r.path}`);
      expect(
        unlisted,
        'routes missing from ROUTES in test/organization-isolation.test.ts — say how B fills their ids',
      ).toEqual([]);
      const outside = reported.filter((r) => !r.path.startsWith('/api/v1/') && !isOutsideApi(r.path));
      expect(outside, 'routes outside /api/v1 that are not known to hold no data').toEqual([]);
      const keys = new Set(reported.map((r) => `${r.method} ${r.path}`));
      const stale = Object.keys(ROUTES).filter((k) => !keys.has(k));
      expect(stale, 'ROUTES entries the app no longer has').toEqual([]);
      // Every route with a path parameter is either walked with A's ids or excluded with a reason.
      for (const r of reported.filter((x) => x.path.startsWith('/api/v1/') && x.path.includes(':'))) {
        expect(['not_found', 'excluded'], `${r.method} ${r.path}`).toContain(
          entryOf(r.method, r.path)!.expect,
        );
      }
    });

    it("organization B gets 404 NOT_FOUND for A's ids on every route, with its API key and its session", async () => {
      let walked = 0;
      for (const { method, path } of reportedRoutes(t.app)) {
        if (!path.startsWith('/api/v1/')) continue;
        const entry = entryOf(method, path);
        if (!entry || entry.expect !== 'not_found') continue;
        for (const probe of entry.probes(a, b)) {
          for (const [how, headers] of credentialsOfB()) {
            const res = await send(method, probe, headers);
            const what = `${method} ${probe.url} as B (${how})`;
            expect(res.statusCode, `${what}: ${res.body}`).toBe(404);
            if (method !== 'HEAD') expect(res.json().error.code, what).toBe('NOT_FOUND');
            expectNoneOfA(res, what);
            walked++;
          }
        }
      }
      expect(walked).toBeGreaterThan(60);
    });

    it("B's lists and own routes show none of A's things", async () => {
      for (const { method, path } of reportedRoutes(t.app)) {
        if (!path.startsWith('/api/v1/')) continue;
        const entry = entryOf(method, path);
        if (!entry || entry.expect !== 'own_only') continue;
        for (const probe of entry.probes(a, b)) {
          for (const [how, headers] of credentialsOfB()) {
            const res = await send(method, probe, headers);
            const what = `${method} ${probe.url} as B (${how})`;
            const ok = res.statusCode >= 200 && res.statusCode < 300;
            if (!(ok || (entry.allowNotFound && res.statusCode === 404))) {
              expect.fail(`${what}: ${res.statusCode} ${res.body}`);
            }
            expectNoneOfA(res, what);
          }
        }
      }
      // B does see its own things (so the lists above were not empty by accident).
      const list = async (url: string) =>
        (await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: callerB.bearer })).json();
      expect((await list('/surveys')).items.map((s: { id: string }) => s.id)).toContain(b.surveyId);
      expect((await list('/automations')).items.map((x: { id: string }) => x.id)).toEqual([b.automationId]);
      expect((await list(`/automations?surveyId=${a.surveyId}`)).items ?? []).toEqual([]);
      expect((await list('/templates')).items.map((x: { id: string }) => x.id)).toEqual([b.templateId]);
      expect((await list('/api-keys')).items.map((x: { id: string }) => x.id)).toContain(b.apiKeyId);
      expect((await list('/dev/mailbox')).items.map((x: { id: string }) => x.id)).toEqual([b.mailId]);
      expect(
        (await list(`/automations/${b.automationId}/runs`)).items.map((x: { id: string }) => x.id),
      ).toEqual([b.runId]);
      const inboxIds = (await list('/inboxes')).items.map((x: { id: string }) => x.id);
      expect(inboxIds[0]).toBe(b.inboxId);
      expect(inboxIds).toHaveLength(3); // the default one and the two POST /inboxes made above
      expect((await list(`/inboxes/${b.inboxId}/requests`)).items.map((x: { id: string }) => x.id)).toEqual([
        b.inboxRequestId,
      ]);
      expect((await list('/me')).organization.id).toBe(callerB.orgId);
      expect((await list('/members')).items.map((x: { id: string }) => x.id)).toEqual([b.memberId]);
      expect((await list('/invitations')).items.map((x: { id: string }) => x.id)).toContain(b.invitationId);
    });

    it("A's ids inside B's own requests reach nothing of A's", async () => {
      const as = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: Record<string, unknown>) =>
        t.app.inject({ method, url: `/api/v1${url}`, headers: callerB.bearer, payload });
      // Replaying A's run through B's automation: skipped as not found.
      const replay = await as('POST', `/automations/${b.automationId}/runs/replay`, { runIds: [a.runId] });
      expect(replay.statusCode).toBe(202);
      expect(replay.json()).toMatchObject({ replayed: 0, skipped: [{ id: a.runId, reason: 'not_found' }] });
      // A's variables are not variables of B's survey.
      const select = await as('PATCH', `/automations/${b.automationId}`, {
        variables: { mode: 'specific', ids: [a.labelledVariableId] },
      });
      expect(select.statusCode).toBe(400);
      expect(select.json().error.details.map((d: { field: string }) => d.field)).toContain('variables.ids.0');
      const labels = await as('PUT', `/surveys/${b.surveyId}/data-labels`, {
        labels: { [a.labelledVariableId]: 'stolen' },
      });
      expect(labels.statusCode).toBe(422);
      expect(labels.json().error.details).toEqual([
        expect.objectContaining({ variableId: a.labelledVariableId, code: 'UNKNOWN_VARIABLE' }),
      ]);
      const answer = await as('POST', `/surveys/${b.surveyId}/responses`, {
        answers: { [a.questionId]: 3 },
        background: { [a.backgroundVariableId]: 'x' },
      });
      expect(answer.statusCode).toBe(400);
      const fields = answer.json().error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([`answers.${a.questionId}`, `background.${a.backgroundVariableId}`]),
      );
      // B erasing the e-mail of A's respondent erases B's own response of that e-mail, and nothing of A's.
      const erased = await as('POST', '/responses/erase', { email: 'ADA@example.com' });
      expect(erased.json()).toEqual({ responses: 1, runs: 1 });
    });

    it("A's data is unchanged and A's key still works", async () => {
      expect(await snapshotOrganization(t, a)).toEqual(before);
      // A's session still works too (B's logout-free walk touched no session of A's).
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: callerA.cookie },
      });
      expect(me.json().organization.id).toBe(callerA.orgId);
    });
  });
}
