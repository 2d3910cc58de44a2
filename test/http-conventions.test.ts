// HTTP by the book: the CSP upgrades and HSTS only over https, compressed JSON where it pays, no-store
// on answers that carry a secret or token, 405 with Allow, WWW-Authenticate on 401.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

describe('security headers follow the public URL', () => {
  it('over plain http: neither upgrade-insecure-requests nor HSTS', async () => {
    const t = await createTestApp('sqlite', { env: { SVARBUD_PUBLIC_URL: 'http://svarbud.lan:8080' } });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('every answer carries the headers helmet sets, as helmet itself would set them', async () => {
    const t = await createTestApp('sqlite', { env: { SVARBUD_PUBLIC_URL: 'https://svarbud.example.com' } });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      // The same helmet settings run the ordinary way, on a real response object.
      const { ServerResponse, IncomingMessage } = await import('node:http');
      const { Socket } = await import('node:net');
      const { default: helmet } = await import('helmet');
      const { securityHeaderOptions } = await import('../src/server.js');
      const request = new IncomingMessage(new Socket());
      const reference = new ServerResponse(request);
      reference.setHeader('x-powered-by', 'something');
      helmet(securityHeaderOptions(true))(request, reference, () => {});
      const expected = reference.getHeaders();
      expect(Object.keys(expected).length).toBeGreaterThan(10);
      expect(expected['x-powered-by']).toBeUndefined();
      for (const [name, value] of Object.entries(expected)) expect(res.headers[name], name).toBe(value);
      expect(res.headers['x-powered-by']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('over https: both', async () => {
    const t = await createTestApp('sqlite', { env: { SVARBUD_PUBLIC_URL: 'https://svarbud.example.com' } });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=\d+/);
    } finally {
      await t.close();
    }
  });
});

for (const engine of ENGINES) {
  describe(`HTTP conventions (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let fx: SurveyFixture;
    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      fx = await createSurveyFixture(t.ctx.db, owner.orgId);
    });
    afterAll(async () => t.close());

    const get = (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { ...owner.bearer, ...headers } });

    it('compresses JSON answers of 1 KiB or more with brotli or gzip, as the client accepts', async () => {
      const plain = await get(`/api/v1/surveys/${fx.survey.id}`);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.rawPayload.length).toBeGreaterThan(1024);
      const br = await get(`/api/v1/surveys/${fx.survey.id}`, { 'accept-encoding': 'br, gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
      const gzip = await get(`/api/v1/surveys/${fx.survey.id}`, { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(gunzipSync(gzip.rawPayload).toString('utf8'))).toEqual(plain.json());
      // Small answers stay as they are: compressing them costs more than it saves.
      const me = await get('/api/v1/me', { 'accept-encoding': 'br, gzip' });
      expect(me.headers['content-encoding']).toBeUndefined();
    });

    it('leaves the response hot path uncompressed', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${fx.survey.id}/responses`,
        headers: { ...owner.bearer, 'accept-encoding': 'br, gzip' },
        payload: { answers: {} },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['content-encoding']).toBeUndefined();
    });

    it('marks every answer that carries a secret, key or token Cache-Control: no-store', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: 'Secretive',
          url: 'https://hooks.example.com/x',
          variables: { mode: 'all' },
          labels: 'auto',
          headers: { authorization: 'Bearer receiver-token' },
        },
      });
      const id = created.json().id as string;
      const answers = [
        ['POST /automations', created],
        ['GET /me (CSRF token)', await get('/api/v1/me', { cookie: owner.cookie })],
        ['GET /automations/:id', await get(`/api/v1/automations/${id}`)],
        ['GET /automations', await get('/api/v1/automations')],
        ['GET /inboxes', await get('/api/v1/inboxes')],
        ['GET /dev/mailbox', await get('/api/v1/dev/mailbox')],
        [
          'POST /api-keys',
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/api-keys',
            headers: owner.bearer,
            payload: { name: 'k' },
          }),
        ],
        [
          'POST /automations/:id/rotate-secret',
          await t.app.inject({
            method: 'POST',
            url: `/api/v1/automations/${id}/rotate-secret`,
            headers: owner.bearer,
          }),
        ],
        [
          'PATCH /automations/:id',
          await t.app.inject({
            method: 'PATCH',
            url: `/api/v1/automations/${id}`,
            headers: owner.bearer,
            payload: { name: 'Renamed' },
          }),
        ],
      ] as const;
      for (const [what, res] of answers) {
        expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
        expect(res.headers['cache-control'], what).toBe('no-store');
      }
    });

    it('answers a known path with the wrong method 405 with Allow', async () => {
      const cases = [
        ['DELETE', '/api/v1/me', 'GET, HEAD'],
        ['PUT', '/api/v1/surveys', 'GET, HEAD, POST'],
        ['POST', `/api/v1/surveys/${fx.survey.id}`, 'DELETE, GET, HEAD, PATCH'],
        ['PUT', '/api/v1/automations/test-connection', 'DELETE, GET, HEAD, PATCH, POST'],
      ] as const;
      for (const [method, url, allow] of cases) {
        const res = await t.app.inject({ method, url, headers: owner.bearer });
        expect(res.statusCode, `${method} ${url}`).toBe(405);
        expect(res.headers.allow, `${method} ${url}`).toBe(allow);
        expect(res.json().error.code).toBe('METHOD_NOT_ALLOWED');
      }
      // An unknown path stays 404.
      const unknown = await t.app.inject({
        method: 'GET',
        url: '/api/v1/nothing-here',
        headers: owner.bearer,
      });
      expect(unknown.statusCode).toBe(404);
    });

    it('names the Bearer scheme on every 401', async () => {
      const answers = [
        await t.app.inject({ method: 'GET', url: '/api/v1/me' }),
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: 'Bearer svb_wrong' },
        }),
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: owner.email, password: 'not the password' },
        }),
      ];
      for (const res of answers) {
        expect(res.statusCode).toBe(401);
        expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer\b/);
      }
    });
  });
}
