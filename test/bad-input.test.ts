// Bad input on any route gets a 4xx with a catalogued code naming the field; none gets a 500, and none
// changes anything. Every POST/PUT/PATCH route under /api/v1 gets malformed and mistyped bodies; every GET
// route taking a query gets bad query values. The tables must list every such route the app reports.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../src/http/errors.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { reportedRoutes, seedOrganization, snapshotOrganization, type OrgWorld } from './helpers/api-walk.js';
import { ENGINES } from './helpers/db.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

interface BodyRoute {
  url: (w: OrgWorld) => string;
  /**
   * Valid bodies (each is mistyped field by field); `null` when the route takes no body — a body sent
   * anyway is ignored, so only what fails before the route (unparsable JSON, too large) is checked.
   */
  bodies: ((w: OrgWorld, caller: Caller) => { [key: string]: Json })[] | null;
  /** The body may be left out (or be JSON null): `null` is then valid input, not bad input. */
  optional?: boolean;
  /** Every field is optional, so `{}` (or only unknown keys, which are dropped) is a valid, empty change. */
  allOptional?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const BODY_ROUTES: Record<string, BodyRoute> = {
  'POST /api/v1/auth/signup': {
    url: () => '/auth/signup',
    bodies: [
      () => ({
        email: 'newcomer@example.com',
        password: 'correct horse battery',
        name: 'Newcomer',
        organizationName: 'New Org',
      }),
    ],
  },
  'POST /api/v1/auth/login': {
    url: () => '/auth/login',
    bodies: [(_w, c) => ({ email: c.email, password: 'correct horse battery' })],
  },
  'POST /api/v1/auth/logout': { url: () => '/auth/logout', bodies: null },
  'POST /api/v1/api-keys': { url: () => '/api-keys', bodies: [() => ({ name: 'key' })] },
  'POST /api/v1/invitations': {
    url: () => '/invitations',
    bodies: [() => ({ email: 'newcomer@example.com', language: 'nb' })],
  },
  'POST /api/v1/auth/accept-invitation': {
    url: () => '/auth/accept-invitation',
    bodies: [() => ({ token: 'x'.repeat(43), name: 'Newcomer', password: 'correct horse battery' })],
  },
  'POST /api/v1/surveys': {
    url: () => '/surveys',
    bodies: [
      () => ({
        title: 'New survey',
        anonymous: false,
        backgroundVariables: [{ name: 'Department' }],
        questions: [
          { type: 'single_choice', text: 'Colour?', options: [{ text: 'Red', code: 1 }] },
          { type: 'scale', text: 'Recommend?', min: 1, max: 5 },
          { type: 'matrix', text: 'Rate', options: [{ text: 'Good' }], rows: [{ text: 'team' }] },
        ],
      }),
    ],
  },
  'PATCH /api/v1/surveys/:id': {
    url: (w) => `/surveys/${w.surveyId}`,
    bodies: [() => ({ title: 'Renamed' })],
  },
  'POST /api/v1/surveys/:id/copy': {
    url: (w) => `/surveys/${w.surveyId}/copy`,
    bodies: [() => ({ title: 'Copy' })],
    optional: true,
  },
  'POST /api/v1/surveys/:id/questions': {
    url: (w) => `/surveys/${w.surveyId}/questions`,
    bodies: [
      () => ({ type: 'scale', text: 'Recommend?', min: 1, max: 5, position: 1 }),
      () => ({ type: 'single_choice', text: 'Colour?', options: [{ text: 'Red', code: 1 }] }),
    ],
  },
  'PATCH /api/v1/surveys/:id/questions/:qid': {
    allOptional: true,
    url: (w) => `/surveys/${w.surveyId}/questions/${w.questionId}`,
    bodies: [
      () => ({ type: 'number', text: 'Hours?', position: 1 }),
      () => ({ type: 'scale', min: 1, max: 5 }),
      () => ({ type: 'single_choice', options: [{ text: 'Red', code: 1 }] }),
    ],
  },
  'POST /api/v1/surveys/:id/questions/:qid/copy': {
    url: (w) => `/surveys/${w.surveyId}/questions/${w.questionId}/copy`,
    bodies: null,
  },
  'POST /api/v1/surveys/:id/background-variables': {
    url: (w) => `/surveys/${w.surveyId}/background-variables`,
    bodies: [() => ({ name: 'Team' })],
  },
  'PUT /api/v1/surveys/:id/data-labels': {
    url: (w) => `/surveys/${w.surveyId}/data-labels`,
    bodies: [(w) => ({ labels: { [w.labelledVariableId]: 'colour2' } })],
  },
  'POST /api/v1/surveys/:id/share-as-template': {
    url: (w) => `/surveys/${w.surveyId}/share-as-template`,
    bodies: [() => ({ name: 'Template' })],
    optional: true,
  },
  'PATCH /api/v1/templates/:id': {
    url: (w) => `/templates/${w.templateId}`,
    bodies: [() => ({ name: 'Renamed' })],
  },
  'POST /api/v1/templates/:id/surveys': {
    url: (w) => `/templates/${w.templateId}/surveys`,
    bodies: [() => ({ title: 'From template' })],
    optional: true,
  },
  'POST /api/v1/surveys/:id/responses': {
    url: (w) => `/surveys/${w.surveyId}/responses`,
    bodies: [(w) => responseBody(w)],
  },
  'POST /api/v1/public/surveys/:token/responses': {
    url: (w) => `/public/surveys/${w.publicToken}/responses`,
    bodies: [(w) => responseBody(w)],
  },
  'POST /api/v1/automations': {
    url: () => '/automations',
    bodies: [
      (w) => ({
        type: 'outgoing_webhook',
        surveyId: w.surveyId,
        name: 'CRM',
        url: 'https://hooks.example.com/x',
        enabled: true,
        variables: { mode: 'specific', ids: [w.labelledVariableId] },
        labels: 'data',
        answerFormat: 'code',
        headers: { 'X-Token': 'abc' },
      }),
    ],
  },
  'POST /api/v1/automations/test-connection': {
    url: () => '/automations/test-connection',
    bodies: [
      (w) => ({
        surveyId: w.surveyId,
        url: 'https://hooks.example.com/x',
        variables: { mode: 'all' },
        labels: 'auto',
        answerFormat: 'text',
        headers: { 'X-Token': 'abc' },
      }),
    ],
  },
  'PATCH /api/v1/automations/:id': {
    allOptional: true,
    url: (w) => `/automations/${w.automationId}`,
    bodies: [
      (w) => ({
        name: 'Renamed',
        url: 'https://hooks.example.com/y',
        enabled: false,
        variables: { mode: 'specific', ids: [w.labelledVariableId] },
        labels: 'auto',
        answerFormat: 'text',
        headers: { 'X-Other': 'v' },
      }),
    ],
  },
  'POST /api/v1/automations/:id/test': { url: (w) => `/automations/${w.automationId}/test`, bodies: null },
  'POST /api/v1/automations/:id/rotate-secret': {
    url: (w) => `/automations/${w.automationId}/rotate-secret`,
    bodies: null,
  },
  'PUT /api/v1/automations/:id/notifications': {
    url: (w) => `/automations/${w.automationId}/notifications`,
    bodies: [() => ({ enabled: true, recipients: ['ops@example.com', 'dev@example.com'], language: 'nb' })],
  },
  'POST /api/v1/inboxes': { url: () => '/inboxes', bodies: [() => ({ name: 'Second inbox' })] },
  'POST /api/v1/automations/:id/runs/replay': {
    url: (w) => `/automations/${w.automationId}/runs/replay`,
    bodies: [
      (w) => ({ runIds: [w.runId] }),
      () => ({
        filter: {
          search: 'ada',
          status: ['failed', 'succeeded'],
          from: new Date(Date.now() - DAY_MS).toISOString(),
          to: new Date().toISOString(),
        },
      }),
    ],
  },
  'POST /api/v1/automations/:id/backfill': {
    optional: true,
    allOptional: true,
    url: (w) => `/automations/${w.automationId}/backfill`,
    bodies: [
      () => ({
        from: new Date(Date.now() - DAY_MS).toISOString(),
        to: new Date().toISOString(),
        onlyMissing: false,
        dryRun: true,
      }),
    ],
  },
  'POST /api/v1/surveys/:id/responses/:responseId/send': {
    url: (w) => `/surveys/${w.surveyId}/responses/${w.responseId}/send`,
    bodies: [(w) => ({ automationId: w.automationId })],
  },
  'POST /api/v1/responses/erase': {
    url: () => '/responses/erase',
    bodies: [() => ({ email: 'nobody@example.com' })],
  },
};

/**
 * Write routes left out of the body checks, with the reason; each is checked on its own below.
 */
const BODY_EXCLUDED: Record<string, string> = {
  'POST /api/v1/inbox/:token':
    'public request-inbox receiver: records any content type and any body by design (the raw bytes are ' +
    'kept for signature verification); an unknown token answers 404 and a body over the limit 413',
};

function responseBody(w: OrgWorld): { [key: string]: Json } {
  return {
    respondent: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    background: { [w.backgroundVariableId]: 'Sales' },
    answers: { [w.singleQuestionId]: 1, [w.questionId]: 7 },
  };
}

interface QueryRoute {
  url: (w: OrgWorld) => string;
  /** Bad values per query parameter; empty when the route takes no query. */
  bad: Record<string, string[]>;
}

const LIMIT = ['0', '-1', '101', 'abc', '1.5', ''];
const PAGING = { limit: LIMIT, cursor: ['garbage', '!!!', ''] };

const QUERY_ROUTES: Record<string, QueryRoute> = {
  'GET /api/v1/me': { url: () => '/me', bad: {} },
  'GET /api/v1/api-keys': { url: () => '/api-keys', bad: {} },
  'GET /api/v1/members': { url: () => '/members', bad: {} },
  'GET /api/v1/invitations': { url: () => '/invitations', bad: {} },
  'GET /api/v1/surveys': { url: () => '/surveys', bad: PAGING },
  'GET /api/v1/surveys/:id': { url: (w) => `/surveys/${w.surveyId}`, bad: {} },
  'GET /api/v1/surveys/:id/data-labels': { url: (w) => `/surveys/${w.surveyId}/data-labels`, bad: {} },
  'GET /api/v1/surveys/:id/responses': { url: (w) => `/surveys/${w.surveyId}/responses`, bad: PAGING },
  'GET /api/v1/surveys/:id/responses.csv': {
    url: (w) => `/surveys/${w.surveyId}/responses.csv`,
    bad: { labels: ['bogus', '', 'AUTO'] },
  },
  'GET /api/v1/templates': { url: () => '/templates', bad: PAGING },
  'GET /api/v1/public/surveys/:token': { url: (w) => `/public/surveys/${w.publicToken}`, bad: {} },
  'GET /api/v1/automations': { url: () => '/automations', bad: { surveyId: ['', 'x'.repeat(101)] } },
  'GET /api/v1/automations/:id': { url: (w) => `/automations/${w.automationId}`, bad: {} },
  'GET /api/v1/automations/:id/notifications': {
    url: (w) => `/automations/${w.automationId}/notifications`,
    bad: {},
  },
  'GET /api/v1/automations/:id/runs': {
    url: (w) => `/automations/${w.automationId}/runs`,
    bad: {
      ...PAGING,
      status: ['bogus', 'failed,bogus', ''.padEnd(30, ',') + 'x'],
      origin: ['later', 'completion,bogus'],
      from: ['not-a-date', '2026-13-45T00:00:00Z', '1999-01-01T00:00:00Z', '12345'],
      to: ['not-a-date', 'yesterday'],
      search: ['x'.repeat(5000)],
    },
  },
  'GET /api/v1/automations/:id/runs/daily': {
    url: (w) => `/automations/${w.automationId}/runs/daily`,
    bad: { days: ['0', '91', 'abc', '7.5'], timeZone: ['Not/AZone', '', 'x'.repeat(101), '../../etc'] },
  },
  'GET /api/v1/runs/:id': { url: (w) => `/runs/${w.runId}`, bad: {} },
  'GET /api/v1/automations/:id/schema': { url: (w) => `/automations/${w.automationId}/schema`, bad: {} },
  'GET /api/v1/surveys/:id/questions/:qid/impact': {
    url: (w) => `/surveys/${w.surveyId}/questions/${w.questionId}/impact`,
    bad: {},
  },
  'GET /api/v1/surveys/:id/background-variables/:vid/impact': {
    url: (w) => `/surveys/${w.surveyId}/background-variables/${w.backgroundVariableId}/impact`,
    bad: {},
  },
  'GET /api/v1/dev/mailbox': { url: () => '/dev/mailbox', bad: PAGING },
  'GET /api/v1/inboxes': { url: () => '/inboxes', bad: {} },
  'GET /api/v1/inboxes/:id/requests': { url: (w) => `/inboxes/${w.inboxId}/requests`, bad: PAGING },
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** Body fields keyed by ids or names; other objects drop unknown keys (API.md), so extra keys pass. */
const RECORD_FIELDS = new Set(['answers', 'background', 'labels', 'headers']);
const CODES = new Set(Object.keys(ERRORS));

/** The same field with a value of another JSON type: strings ↔ numbers, objects ↔ arrays, … */
function mistyped(value: Json | undefined): Json {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (Array.isArray(value)) return { 0: value[0] ?? 'x' };
  if (value === null) return 'null';
  return ['x'];
}

/** Every field below the root, as a path and value (depth first). */
function fieldsOf(value: Json | undefined, path: string[] = []): [string[], Json][] {
  if (value === undefined || value === null || typeof value !== 'object') return [];
  const out: [string[], Json][] = [];
  for (const [key, child] of Object.entries(value) as [string, Json][]) {
    out.push([[...path, key], child], ...fieldsOf(child, [...path, key]));
  }
  return out;
}

function withField(body: Json, path: string[], replacement: Json): Json {
  const copy = structuredClone(body) as Record<string, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  node[path.at(-1)!] = replacement;
  return copy;
}

function deeplyNested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

interface Detail {
  field?: string;
  variableId?: string;
  [key: string]: unknown;
}

/** A 4xx in the catalogue's shape with a catalogued code; VALIDATION_FAILED names at least one field. */
function expectCatalogued(res: LightMyRequestResponse, what: string): { code: string; details: Detail[] } {
  expect(res.statusCode, `${what}: ${res.statusCode} ${res.body.slice(0, 500)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${what}: ${res.body.slice(0, 500)}`).toBeLessThan(500);
  const body = res.json();
  expect(Object.keys(body), what).toEqual(['error']);
  const { code, message, details } = body.error;
  expect(CODES.has(code), `${what}: ${code} is not in ERRORS`).toBe(true);
  expect(ERRORS[code as keyof typeof ERRORS].status, `${what}: status of ${code}`).toBe(res.statusCode);
  expect(typeof message, what).toBe('string');
  expect(Array.isArray(details), what).toBe(true);
  if (code === 'VALIDATION_FAILED') {
    expect(
      details.some((d: Detail) => typeof d.field === 'string' && d.field !== ''),
      `${what}: no detail names a field: ${res.body.slice(0, 500)}`,
    ).toBe(true);
  }
  return { code, details };
}

/** Whether a detail names `path` (or a field inside or around it: `options` for `options.0.text`). */
function names(details: Detail[], path: string[]): boolean {
  const want = path.join('.');
  return details.some((d) => {
    const field = d.field ?? (d.variableId ? `labels.${d.variableId}` : '');
    return field === want || want.startsWith(`${field}.`) || field.startsWith(`${want}.`);
  });
}

for (const engine of ENGINES) {
  describe(`bad input (${engine})`, () => {
    let t: TestApp;
    let caller: Caller;
    let w: OrgWorld;
    let before: Record<string, unknown>;
    let countsBefore: Record<string, number>;

    const TABLES = [
      'organizations',
      'users',
      'sessions',
      'api_keys',
      'surveys',
      'templates',
      'responses',
      'automations',
      'runs',
      'run_messages',
      'run_attempts',
      'notification_settings',
      'mail_outbox',
      'dev_mailbox',
      'request_inboxes',
      'inbox_requests',
      'invitations',
    ] as const;

    const counts = async () => {
      const out: Record<string, number> = {};
      for (const table of TABLES) {
        const row = await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        out[table] = Number(row.n);
      }
      return out;
    };

    beforeAll(async () => {
      t = await createTestApp(engine);
      caller = await signUpCaller(t.app, 'Alpha');
      w = await seedOrganization(t, caller.orgId, caller.bearer);
      before = await snapshotOrganization(t, w);
      countsBefore = await counts();
    });
    afterAll(async () => t.close());

    const send = (
      method: string,
      url: string,
      payload: string | undefined,
      contentType = 'application/json',
    ) =>
      t.app.inject({
        method: method as 'POST',
        url: `/api/v1${url}`,
        headers: { ...caller.bearer, ...(payload === undefined ? {} : { 'content-type': contentType }) },
        ...(payload === undefined ? {} : { payload }),
      });

    it('the tables list every write route and every GET route the app reports', () => {
      const api = reportedRoutes(t.app).filter((r) => r.path.startsWith('/api/v1/'));
      const writes = api.filter((r) => WRITE_METHODS.has(r.method)).map((r) => `${r.method} ${r.path}`);
      const reads = api.filter((r) => r.method === 'GET').map((r) => `${r.method} ${r.path}`);
      const unlisted = [
        ...writes.filter((k) => !(k in BODY_ROUTES) && !(k in BODY_EXCLUDED)),
        ...reads.filter((k) => !(k in QUERY_ROUTES)),
      ];
      expect(unlisted, 'routes missing from BODY_ROUTES / QUERY_ROUTES in test/bad-input.test.ts').toEqual(
        [],
      );
      const known = new Set(api.map((r) => `${r.method} ${r.path}`));
      const stale = [
        ...Object.keys(BODY_ROUTES),
        ...Object.keys(BODY_EXCLUDED),
        ...Object.keys(QUERY_ROUTES),
      ].filter((k) => !known.has(k));
      expect(stale, 'table entries the app no longer has').toEqual([]);
    });

    const writeRoutes = () =>
      Object.entries(BODY_ROUTES).filter(([key]) => WRITE_METHODS.has(key.split(' ')[0]!));

    it('unparsable JSON answers 400 INVALID_JSON and a body over the limit 413 PAYLOAD_TOO_LARGE', async () => {
      const tooLarge = JSON.stringify({ title: 'x'.repeat(t.ctx.config.bodyLimitBytes + 1024) });
      for (const [key, route] of writeRoutes()) {
        const [method] = key.split(' ');
        for (const text of ['{', '{"title": ', '[1, 2', '{"a": 1}}', "{'a': 1}", 'nul']) {
          const res = await send(method!, route.url(w), text);
          expect(expectCatalogued(res, `${key} ${text}`).code).toBe('INVALID_JSON');
        }
        const large = await send(method!, route.url(w), tooLarge);
        expect(expectCatalogued(large, `${key} too large`).code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('bodies that are not a JSON object, or not JSON at all, answer 4xx naming the body', async () => {
      for (const [key, route] of writeRoutes()) {
        if (route.bodies === null) continue; // takes no body: what is sent is ignored
        const [method] = key.split(' ');
        const cases: [string, string][] = [
          ['[1, 2]', 'application/json'],
          ['[]', 'application/json'],
          ['42', 'application/json'],
          ['"text"', 'application/json'],
          ['true', 'application/json'],
          ['title=x', 'text/plain'],
          ['{"title":"x"}', 'text/plain'],
          ['title=x', 'application/x-www-form-urlencoded'],
          ['<a/>', 'application/xml'],
        ];
        if (!route.optional) cases.push(['null', 'application/json'], ['', 'application/json']);
        for (const [text, type] of cases) {
          const res = await send(method!, route.url(w), text, type);
          expectCatalogued(res, `${key} ${type} ${text}`);
        }
      }
    });

    it('mistyped fields answer 4xx naming each field: one at a time and all at once', async () => {
      let checked = 0;
      for (const [key, route] of writeRoutes()) {
        const [method] = key.split(' ');
        for (const valid of route.bodies ?? []) {
          const body = valid(w, caller);
          // All top-level fields mistyped at once: every one of them is named.
          const all = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, mistyped(v)]));
          const res = await send(method!, route.url(w), JSON.stringify(all));
          const { details } = expectCatalogued(res, `${key} all mistyped`);
          for (const field of Object.keys(body)) {
            expect(names(details, [field]), `${key} all mistyped: ${field} not named in ${res.body}`).toBe(
              true,
            );
          }
          for (const [path, value] of fieldsOf(body)) {
            const one = await send(
              method!,
              route.url(w),
              JSON.stringify(withField(body, path, mistyped(value))),
            );
            const what = `${key} ${path.join('.')}: ${JSON.stringify(value)} → ${JSON.stringify(mistyped(value))}`;
            const got = expectCatalogued(one, what);
            expect(names(got.details, path), `${what} not named in ${one.body}`).toBe(true);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(80);
    });

    it('huge strings in any field answer 4xx naming the field', async () => {
      const huge = 'x'.repeat(50_000);
      for (const [key, route] of writeRoutes()) {
        const [method] = key.split(' ');
        for (const valid of route.bodies ?? []) {
          const body = valid(w, caller);
          for (const [path, value] of fieldsOf(body)) {
            if (typeof value !== 'string') continue;
            const res = await send(method!, route.url(w), JSON.stringify(withField(body, path, huge)));
            const what = `${key} ${path.join('.')} huge`;
            expect(names(expectCatalogued(res, what).details, path), `${what}: ${res.body}`).toBe(true);
          }
          // A huge key in a field keyed by ids or names (other objects drop unknown keys by design).
          for (const [path, value] of fieldsOf(body)) {
            if (path.length !== 1 || !RECORD_FIELDS.has(path[0]!)) continue;
            if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
            const res = await send(
              method!,
              route.url(w),
              JSON.stringify(withField(body, path, { ...value, [huge]: 'x' })),
            );
            expectCatalogued(res, `${key} ${path.join('.')} huge key`);
          }
        }
      }
    });

    it('a NUL character (which PostgreSQL text cannot hold) in any id or text answers 4xx naming it', async () => {
      for (const [key, route] of writeRoutes()) {
        const [method] = key.split(' ');
        for (const valid of route.bodies ?? []) {
          const body = valid(w, caller);
          for (const [path, value] of fieldsOf(body)) {
            // A password may hold any character (only its hash is stored); answer and background values
            // are stored inside JSON text, where NUL is escaped, so they are valid answers.
            if (typeof value !== 'string' || path.at(-1) === 'password') continue;
            if (path[0] === 'answers' || path[0] === 'background') continue;
            if (path.at(-1) === 'search') continue; // a filter: NUL matches nothing, which is right
            const res = await send(
              method!,
              route.url(w),
              JSON.stringify(withField(body, path, `${value}\u0000x`)),
            );
            const what = `${key} ${path.join('.')} with NUL`;
            expect(names(expectCatalogued(res, what).details, path), `${what}: ${res.body}`).toBe(true);
          }
        }
      }
      for (const { method, path } of reportedRoutes(t.app)) {
        if (!path.startsWith('/api/v1/') || !path.includes(':') || method === 'HEAD') continue;
        const url = path.replace(/:[a-z]+/gi, 'a%00b');
        const res = await t.app.inject({
          method: method as 'GET',
          url,
          headers: caller.bearer,
          ...(WRITE_METHODS.has(method) ? { payload: {} } : {}),
        });
        expectCatalogued(res, `${method} ${url}`);
      }
      for (const [key, route] of Object.entries(QUERY_ROUTES)) {
        for (const param of Object.keys(route.bad)) {
          const url = `/api/v1${route.url(w)}?${param}=a%00b`;
          const res = await t.app.inject({ method: 'GET', url, headers: caller.bearer });
          expect(res.statusCode, `${key} ${url}: ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) expectCatalogued(res, url);
        }
      }
    });

    it('deeply nested objects in every field answer 4xx', async () => {
      const deep = deeplyNested(20_000);
      for (const [key, route] of writeRoutes()) {
        const [method] = key.split(' ');
        for (const valid of route.bodies ?? []) {
          const body = valid(w, caller);
          const fields = Object.keys(body);
          const text = `{${fields.map((f) => `${JSON.stringify(f)}:${deep}`).join(',')}}`;
          expectCatalogued(await send(method!, route.url(w), text), `${key} all fields deeply nested`);
          for (const [path] of fieldsOf(body)) {
            const marker = '"__deep__"';
            const one = JSON.stringify(withField(body, path, '__deep__')).replace(marker, deep);
            expectCatalogued(
              await send(method!, route.url(w), one),
              `${key} ${path.join('.')} deeply nested`,
            );
          }
        }
        // A route that takes no body ignores a well-formed one, however deep; one whose fields are all
        // optional drops the unknown key (API.md) and is then valid.
        if (route.bodies === null || route.optional || route.allOptional) continue;
        expectCatalogued(await send(method!, route.url(w), deeplyNested(100_000)), `${key} deep body`);
      }
    });

    it('__proto__, constructor and other prototype names as keys neither pollute nor break anything', async () => {
      const poison = '"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}';
      const names_ =
        '"constructor": "x", "toString": "x", "hasOwnProperty": "x", "valueOf": "x", "__defineGetter__": "x"';
      for (const [key, route] of writeRoutes()) {
        const [method] = key.split(' ');
        for (const valid of route.bodies ?? []) {
          const body = valid(w, caller);
          const all = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, mistyped(v)]));
          const text = `{${poison}, ${JSON.stringify(all).slice(1)}`;
          expectCatalogued(await send(method!, route.url(w), text), `${key} with __proto__ at the top`);
          // Keyed by ids (answers, background values, data labels) or strict (respondent): keys named like
          // Object.prototype's members are unknown ids, not members. (Custom header names are free text:
          // "constructor" is a valid header name, so headers are not bad input here.)
          for (const field of ['answers', 'background', 'labels', 'respondent']) {
            if (!(field in body)) continue;
            for (const inner of [`{${poison}, ${names_}}`, `{${names_}}`, `{${poison}, "toString": "x"}`]) {
              const one = JSON.stringify({ ...body, [field]: '__inner__' }).replace('"__inner__"', inner);
              const res = await send(method!, route.url(w), one);
              const { details } = expectCatalogued(res, `${key} ${field}: ${inner}`);
              expect(names(details, [field]), `${key} ${field}: ${res.body}`).toBe(true);
            }
          }
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it('the inbox receiver (any body by design) answers 404 to an unknown token and 413 to a body over the limit', async () => {
      const unknown = `/inbox/${'z'.repeat(43)}`;
      const cases: [string, string][] = [
        ['{', 'application/json'],
        ['[1, 2]', 'application/json'],
        ['{"a": 1}', 'application/json'],
        ['title=x', 'application/x-www-form-urlencoded'],
        ['<a/>', 'application/xml'],
        ['', 'text/plain'],
      ];
      for (const [text, type] of cases) {
        const res = await send('POST', unknown, text, type);
        expect(expectCatalogued(res, `receiver, unknown token, ${type} ${text}`).code).toBe('NOT_FOUND');
      }
      const tooLarge = 'x'.repeat(t.ctx.config.bodyLimitBytes + 1024);
      for (const url of [unknown, `/inbox/${w.inboxToken}`]) {
        for (const type of ['application/json', 'application/octet-stream']) {
          const res = await send('POST', url, tooLarge, type);
          expect(expectCatalogued(res, `receiver ${url} ${type} too large`).code).toBe('PAYLOAD_TOO_LARGE');
        }
      }
    });

    it('a misspelt replay filter field is a 400, not a replay of every run', async () => {
      const res = await send(
        'POST',
        `/automations/${w.automationId}/runs/replay`,
        JSON.stringify({ filter: { stauts: ['failed'] } }),
      );
      const { details } = expectCatalogued(res, 'replay with filter.stauts');
      expect(names(details, ['filter']), res.body).toBe(true);
    });

    it('bad query values on GET routes answer 400 naming the parameter', async () => {
      let checked = 0;
      for (const [key, route] of Object.entries(QUERY_ROUTES)) {
        for (const [param, values] of Object.entries(route.bad)) {
          for (const value of values) {
            const url = `${route.url(w)}?${param}=${encodeURIComponent(value)}`;
            const res = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: caller.bearer });
            const { details } = expectCatalogued(res, `${key} ${param}=${value}`);
            expect(names(details, [param]), `${url}: ${res.body}`).toBe(true);
            checked++;
          }
          // The parameter given twice.
          const twice = `${route.url(w)}?${param}=${encodeURIComponent(values[0]!)}&${param}=1`;
          const res = await t.app.inject({ method: 'GET', url: `/api/v1${twice}`, headers: caller.bearer });
          expect(res.statusCode, `${twice}: ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) expectCatalogued(res, twice);
        }
      }
      expect(checked).toBeGreaterThan(40);
    });

    it('bad path ids answer 404 or 400, never a 500', async () => {
      for (const { method, path } of reportedRoutes(t.app)) {
        if (!path.startsWith('/api/v1/') || !path.includes(':') || method === 'HEAD') continue;
        // (Ids up to the router's maxParamLength of 200: beyond it Fastify answers 414 itself.)
        for (const id of [
          'nope',
          'x'.repeat(150),
          'a%00b',
          '%0A',
          '%20',
          "1'; drop table surveys; --",
          '%F0%9F%92%A9',
        ]) {
          const url = path.replace(/:[a-z]+/gi, id);
          const res = await t.app.inject({
            method: method as 'GET',
            url,
            headers: caller.bearer,
            ...(WRITE_METHODS.has(method) ? { payload: {} } : {}),
          });
          expectCatalogued(res, `${method} ${url}`);
        }
      }
    });

    it('no bad request changed anything', async () => {
      expect(await counts()).toEqual(countsBefore);
      expect(await snapshotOrganization(t, w)).toEqual(before);
    });
  });
}
