import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/db.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

for (const engine of ENGINES) {
  describe(`connection test (${engine})`, () => {
    let t: TestApp;
    let strict: TestApp; // no operator allow-list: loopback is blocked
    let owner: Caller;
    let fx: SurveyFixture;
    let receiver: Receiver;

    const test = (app: TestApp, caller: Caller, body: Record<string, unknown>) =>
      app.app.inject({
        method: 'POST',
        url: '/api/v1/automations/test-connection',
        headers: caller.bearer,
        payload: { surveyId: fx.survey.id, variables: { mode: 'all' }, labels: 'data', ...body },
      });

    beforeAll(async () => {
      t = await createTestApp(engine, {
        env: { SVARBUD_ALLOW_CIDRS: '127.0.0.0/8', SVARBUD_REQUEST_TIMEOUT_MS: '1000' },
      });
      strict = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await t.close();
      await strict.close();
      await receiver.close();
    });

    it('sends a signed automation.test sample built from the survey and its chosen labels', async () => {
      receiver.replyOnce({
        status: 202,
        body: '{"received":true}',
        headers: { 'content-type': 'application/json' },
      });
      const res = await test(t, owner, { url: receiver.urlFor('/hook'), headers: { 'X-Api-Key': 'k' } });
      expect(res.statusCode).toBe(200);
      const result = res.json();
      expect(result).toMatchObject({
        ok: true,
        statusCode: 202,
        error: null,
        response: { body: '{"received":true}' },
      });
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
      const [request] = await receiver.waitForRequests(1);
      const sent = JSON.parse(request!.text);
      expect(sent.type).toBe('automation.test');
      // Data labels where set (single choice → colour, Department → dept), auto labels elsewhere.
      expect(Object.keys(sent.data.variables)).toEqual(
        expect.arrayContaining(['colour', 'dept', 'FirstName', 'Q2']),
      );
      expect(result.request.body).toBe(request!.text);
      expect(request!.headers['x-api-key']).toBe('k');
      expect(request!.headers['webhook-signature']).toMatch(/^v1,/);
      const runs = await t.ctx.db.selectFrom('runs').select('id').execute();
      expect(runs).toHaveLength(0);
    });

    it('signs with the secret it is given, so a verifying receiver accepts the test', async () => {
      const secret = 'whsec_' + Buffer.alloc(32, 42).toString('base64');
      receiver.clear();
      receiver.replyOnce({ status: 204 });
      const res = await test(t, owner, { url: receiver.urlFor('/verifying'), secret });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const [request] = await receiver.waitForRequests(1);
      const headers = Object.fromEntries(
        Object.entries(request!.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
      );
      expect(() => new Webhook(secret).verify(request!.text, headers)).not.toThrow();
      expect(() =>
        new Webhook('whsec_' + Buffer.alloc(32, 1).toString('base64')).verify(request!.text, headers),
      ).toThrow();
      receiver.clear();
      for (const bad of [
        'whsec_short',
        'no-prefix' + Buffer.alloc(32).toString('base64'),
        'whsec_' + Buffer.alloc(65).toString('base64'),
      ]) {
        const refused = await test(t, owner, { url: receiver.urlFor('/verifying'), secret: bad });
        expect(refused.statusCode).toBe(400);
        expect(refused.json().error.details[0].field).toBe('secret');
      }
      expect(receiver.requests).toHaveLength(0);
    });

    it("tests an automation's unsaved settings over its saved ones, signed with its own secret", async () => {
      receiver.clear();
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: 'Saved',
          url: receiver.urlFor('/saved'),
          variables: { mode: 'all' },
          labels: 'data',
          headers: { 'x-saved': 'yes' },
        },
      });
      const automation = created.json();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${automation.id}/test`,
        headers: owner.bearer,
        payload: { url: receiver.urlFor('/unsaved'), headers: { 'x-unsaved': 'yes' }, labels: 'auto' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const [request] = await receiver.waitForRequests(1);
      expect(request!.path).toBe('/unsaved');
      expect(request!.headers['x-unsaved']).toBe('yes');
      expect(request!.headers['x-saved']).toBeUndefined();
      expect(Object.keys(JSON.parse(request!.text).data.variables)).toContain('Q2');
      const headers = Object.fromEntries(
        Object.entries(request!.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
      );
      expect(() => new Webhook(automation.secret).verify(request!.text, headers)).not.toThrow();
      // Nothing was saved.
      const saved = await t.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${automation.id}`,
        headers: owner.bearer,
      });
      expect(saved.json()).toMatchObject({
        url: receiver.urlFor('/saved'),
        headers: { 'x-saved': 'yes' },
        labels: 'data',
      });
      // Unsaved settings are checked like saved ones.
      const bad = await t.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${automation.id}/test`,
        headers: owner.bearer,
        payload: { headers: { 'webhook-id': 'mine' } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('headers.webhook-id');
      receiver.clear();
    });

    it('reports HTTP errors with the response excerpt and a hint', async () => {
      receiver.replyOnce({ status: 500, body: 'database down' });
      const result = (await test(t, owner, { url: receiver.urlFor('/broken') })).json();
      expect(result).toMatchObject({
        ok: false,
        statusCode: 500,
        error: { code: 'HTTP_STATUS' },
        response: { body: 'database down' },
      });
      expect(result.error.hint.length).toBeGreaterThan(10);
    });

    it('diagnoses refused connections, timeouts and invalid URLs', async () => {
      const closed = await startReceiver();
      const url = closed.urlFor('/');
      await closed.close();
      expect((await test(t, owner, { url })).json().error.code).toBe('CONNECTION_REFUSED');
      receiver.replyOnce({ hang: true });
      expect((await test(t, owner, { url: receiver.urlFor('/slow') })).json().error.code).toBe('TIMEOUT');
      const invalid = (await test(t, owner, { url: 'ftp://example.com/x' })).json();
      expect(invalid).toMatchObject({ ok: false, statusCode: null, error: { code: 'INVALID_URL' } });
    });

    it('refuses loopback when the operator has not allowed it, without connecting', async () => {
      const caller = await signUpCaller(strict.app);
      const survey = await createSurveyFixture(strict.ctx.db, caller.orgId);
      const before = receiver.connectionCount;
      const res = await strict.app.inject({
        method: 'POST',
        url: '/api/v1/automations/test-connection',
        headers: caller.bearer,
        payload: {
          surveyId: survey.survey.id,
          variables: { mode: 'all' },
          labels: 'auto',
          url: receiver.urlFor('/x'),
        },
      });
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'BLOCKED_ADDRESS' } });
      expect(receiver.connectionCount).toBe(before);
    });

    it('tests a saved automation with its own secret', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: 'Saved',
          url: receiver.urlFor('/saved'),
          variables: { mode: 'all' },
          labels: 'auto',
        },
      });
      const a = created.json();
      receiver.clear();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${a.id}/test`,
        headers: owner.bearer,
      });
      expect(res.json().ok).toBe(true);
      const [request] = await receiver.waitForRequests(1);
      const headers = Object.fromEntries(Object.entries(request!.headers).map(([k, v]) => [k, String(v)]));
      expect(() => new Webhook(a.secret).verify(request!.text, headers)).not.toThrow();
      const other = await signUpCaller(t.app);
      const foreign = await t.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${a.id}/test`,
        headers: other.bearer,
      });
      expect(foreign.statusCode).toBe(404);
    });

    it('rejects bad headers and variables with 400', async () => {
      const res = await test(t, owner, { url: receiver.urlFor('/'), headers: { Host: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].field).toBe('headers.Host');
    });
  });
}
