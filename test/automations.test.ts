import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/db.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';
import { signingSecretsOf } from '../src/delivery/delivery-settings.js';
import { ManualClock } from '../src/clock.js';
import { HOUR } from '../src/config.js';

for (const engine of ENGINES) {
  describe(`automations (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let other: Caller;
    let fx: SurveyFixture;

    const create = (body: Record<string, unknown>, caller: Caller = owner) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: caller.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: 'CRM',
          url: 'https://hooks.example.com/svarbud',
          variables: { mode: 'all' },
          labels: 'auto',
          ...body,
        },
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      other = await signUpCaller(t.app);
      fx = await createSurveyFixture(t.ctx.db, owner.orgId);
    });
    afterAll(async () => t.close());

    it('creates an automation with defaults, a whsec_ secret and zero stats', async () => {
      const res = await create({ headers: { Authorization: 'Bearer abc' } });
      expect(res.statusCode).toBe(201);
      const a = res.json();
      expect(a).toMatchObject({
        type: 'outgoing_webhook',
        surveyId: fx.survey.id,
        name: 'CRM',
        enabled: true,
        disabledReason: null,
        labels: 'auto',
        answerFormat: 'text',
        headers: { Authorization: 'Bearer abc' },
        stats: { scheduled: 0, running: 0, succeeded: 0, failed: 0 },
        urlWarning: null,
      });
      expect(a.secret).toMatch(/^whsec_[A-Za-z0-9+/]{40,}={0,2}$/);
      const got = await t.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${a.id}`,
        headers: owner.bearer,
      });
      expect(got.json().secret).toBe(a.secret);
    });

    it('stores the signing secret and headers encrypted at rest', async () => {
      const a = (await create({ headers: { 'X-Token': 'very-secret-token' } })).json();
      const row = await t.ctx.db
        .selectFrom('automations')
        .selectAll()
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      expect(row.secret_enc).not.toContain(a.secret.slice(6));
      expect(row.headers_enc).not.toContain('very-secret-token');
    });

    it('can be created disabled (reason manual) and warns about http URLs', async () => {
      const a = (await create({ enabled: false, url: 'http://hooks.example.com/x' })).json();
      expect(a).toMatchObject({ enabled: false, disabledReason: 'manual', urlWarning: 'insecure_http' });
      expect(a.disabledAt).not.toBeNull();
    });

    it('validates the URL, headers, variables and name with 400s naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ url: 'ftp://example.com/x' }, 'url'],
        [{ url: 'not a url' }, 'url'],
        [{ url: 'https://user:pw@example.com/' }, 'url'],
        [{ headers: { Host: 'evil' } }, 'headers.Host'],
        [{ headers: { 'Content-Length': '1' } }, 'headers.Content-Length'],
        [{ headers: { 'webhook-id': 'x' } }, 'headers.webhook-id'],
        [{ headers: { Connection: 'close' } }, 'headers.Connection'],
        [{ headers: { 'Bad Name': 'x' } }, 'headers.Bad Name'],
        [{ headers: { 'X-A': 'line\r\nbreak' } }, 'headers.X-A'],
        [{ headers: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-H${i}`, 'v'])) }, 'headers'],
        [{ variables: { mode: 'specific', ids: [] } }, 'variables.ids'],
        [{ variables: { mode: 'specific', ids: ['var_nope'] } }, 'variables.ids.0'],
        [{ variables: { mode: 'some' } }, 'variables.mode'],
        [{ name: '' }, 'name'],
        [{ name: 'x'.repeat(101) }, 'name'],
        [{ labels: 'fancy' }, 'labels'],
        [{ answerFormat: 'emoji' }, 'answerFormat'],
      ];
      for (const [body, field] of cases) {
        const res = await create(body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        const fields = res.json().error.details.map((d: { field: string }) => d.field);
        expect(fields, JSON.stringify(body)).toContain(field);
      }
    });

    it("another organization's survey or automation answers 404", async () => {
      const res = await create({}, other);
      expect(res.statusCode).toBe(404);
      const mine = (await create({})).json();
      for (const [method, url] of [
        ['GET', `/api/v1/automations/${mine.id}`],
        ['PATCH', `/api/v1/automations/${mine.id}`],
        ['DELETE', `/api/v1/automations/${mine.id}`],
        ['POST', `/api/v1/automations/${mine.id}/rotate-secret`],
      ] as const) {
        const r = await t.app.inject({
          method,
          url,
          headers: other.bearer,
          payload: method === 'PATCH' ? { name: 'x' } : undefined,
        });
        expect(r.statusCode, `${method} ${url}`).toBe(404);
      }
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/automations', headers: other.bearer });
      expect(list.json().items).toEqual([]);
    });

    it('lists by survey, updates settings, disables/enables and deletes', async () => {
      const a = (await create({ name: 'To edit' })).json();
      const list = await t.app.inject({
        method: 'GET',
        url: `/api/v1/automations?surveyId=${fx.survey.id}`,
        headers: owner.bearer,
      });
      expect(list.json().items.map((x: { id: string }) => x.id)).toContain(a.id);
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/automations/${a.id}`,
        headers: owner.bearer,
        payload: {
          name: 'Edited',
          labels: 'data',
          answerFormat: 'code',
          variables: { mode: 'specific', ids: [fx.ids.singleVar] },
        },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({
        name: 'Edited',
        labels: 'data',
        answerFormat: 'code',
        variables: { mode: 'specific', ids: [fx.ids.singleVar] },
      });
      const off = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/automations/${a.id}`,
        headers: owner.bearer,
        payload: { enabled: false },
      });
      expect(off.json()).toMatchObject({ enabled: false, disabledReason: 'manual' });
      const on = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/automations/${a.id}`,
        headers: owner.bearer,
        payload: { enabled: true },
      });
      expect(on.json()).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
      const del = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/automations/${a.id}`,
        headers: owner.bearer,
      });
      expect(del.statusCode).toBe(204);
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/v1/automations/${a.id}`, headers: owner.bearer }))
          .statusCode,
      ).toBe(404);
    });

    it('creates an automation with the signing secret it is given (the one the wizard showed)', async () => {
      const secret = 'whsec_' + Buffer.alloc(24, 9).toString('base64');
      const res = await create({ secret });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json().secret).toBe(secret);
      const read = await t.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${res.json().id}`,
        headers: owner.bearer,
      });
      expect(read.json().secret).toBe(secret);
      expect(read.headers['cache-control']).toBe('no-store');
      const bad = await create({ secret: 'whsec_' + Buffer.alloc(23).toString('base64') });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('secret');
    });

    it('keeps every secret younger than 24 h signing across several rotations', async () => {
      const clock = new ManualClock(Date.now());
      const own = await createTestApp(engine, { clock });
      try {
        const caller = await signUpCaller(own.app);
        const survey = await createSurveyFixture(own.ctx.db, caller.orgId);
        const post = (url: string, payload?: Record<string, unknown>) =>
          own.app.inject({
            method: 'POST',
            url: `/api/v1${url}`,
            headers: caller.bearer,
            ...(payload ? { payload } : {}),
          });
        const first = (
          await post('/automations', {
            type: 'outgoing_webhook',
            surveyId: survey.survey.id,
            name: 'Rotating',
            url: 'https://hooks.example.com/r',
            variables: { mode: 'all' },
            labels: 'auto',
          })
        ).json();
        const row = () =>
          own.ctx.db
            .selectFrom('automations')
            .selectAll()
            .where('id', '=', first.id)
            .executeTakeFirstOrThrow();
        const signing = async () => signingSecretsOf(await row(), own.ctx.secretKey, clock.now());
        clock.advance(HOUR);
        const second = (await post(`/automations/${first.id}/rotate-secret`)).json();
        clock.advance(HOUR);
        const third = (await post(`/automations/${first.id}/rotate-secret`)).json();
        // The second rotation within 24 h does not cut off the first secret.
        expect(await signing()).toEqual([third.secret, second.secret, first.secret]);
        expect(Date.parse(third.previousSecretExpiresAt)).toBe(clock.now() + 24 * HOUR);
        clock.advance(23 * HOUR); // the first secret was replaced 24 h ago
        expect(await signing()).toEqual([third.secret, second.secret]);
        clock.advance(HOUR + 1);
        expect(await signing()).toEqual([third.secret]);
        const now = (
          await own.app.inject({
            method: 'GET',
            url: `/api/v1/automations/${first.id}`,
            headers: caller.bearer,
          })
        ).json();
        expect(now.previousSecretExpiresAt).toBeNull();
      } finally {
        await own.close();
      }
    });

    it('rotates the secret and keeps the previous one for 24 hours', async () => {
      const a = (await create({})).json();
      const rotated = await t.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${a.id}/rotate-secret`,
        headers: owner.bearer,
      });
      expect(rotated.statusCode).toBe(200);
      const r = rotated.json();
      expect(r.secret).not.toBe(a.secret);
      expect(r.secret).toMatch(/^whsec_/);
      const expires = Date.parse(r.previousSecretExpiresAt);
      expect(expires - Date.now()).toBeGreaterThan(23.9 * 3600_000);
      expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    });
  });
}
