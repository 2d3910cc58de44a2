// The built-in request inbox: recording, Standard Webhooks verification (rotation, tampering), isolation
// between organizations, the retention cap, the address guard's "only as itself" exception, and the demo
// that works out of the box (its automation posts to the inbox and the message arrives signature-valid).
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { HOUR } from '../src/config.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { createSender, type Sender } from '../src/delivery/http-sender.js';
import { signatureHeader } from '../src/delivery/signing.js';
import { DEMO_AUTOMATION_NAME, seedDemo } from '../src/demo.js';
import { newId } from '../src/ids.js';
import { MAX_REQUESTS_PER_INBOX } from '../src/inbox/inbox.service.js';
import { insertRequest, listRequests } from '../src/inbox/inbox.store.js';
import { selfInboxTargets, selfTargetsOf } from '../src/inbox/self-targets.js';
import { USER_AGENT } from '../src/version.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

interface Inbox {
  id: string;
  name: string;
  url: string;
}

for (const engine of ENGINES) {
  describe(`request inbox (${engine})`, () => {
    const clock = new ManualClock(Date.now());
    let t: TestApp;
    let owner: Caller;
    let other: Caller;
    let fx: SurveyFixture;
    let inbox: Inbox;
    let base: string; // http://127.0.0.1:<port> of the listening app
    let receiver: Receiver;

    const api = (
      caller: Caller,
      method: 'GET' | 'POST' | 'DELETE' | 'PATCH',
      url: string,
      payload?: unknown,
    ) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: caller.bearer,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const pathOf = (url: string) => new URL(url).pathname;
    const post = (url: string, body: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: pathOf(url),
        headers: { 'content-type': 'application/json', ...headers },
        payload: body,
      });
    const requestsOf = async (caller: Caller, inboxId: string, query = '') => {
      const res = await api(caller, 'GET', `/inboxes/${inboxId}/requests${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        items: Array<
          { id: string; verification: string; automationId: string | null; body: string } & Record<
            string,
            unknown
          >
        >;
        nextCursor: string | null;
      };
    };
    const latest = async (inboxId = inbox.id) => (await requestsOf(owner, inboxId)).items[0]!;
    const signed = (secret: string, body: string, at = clock.now()) => {
      const id = newId('msg', at);
      const timestamp = Math.floor(at / 1000);
      return {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader([secret], id, timestamp, body),
      };
    };
    const createAutomation = async (url: string) => {
      const res = await api(owner, 'POST', '/automations', {
        type: 'outgoing_webhook',
        surveyId: fx.survey.id,
        name: 'To my inbox',
        url,
        variables: { mode: 'all' },
        labels: 'data',
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; secret: string };
    };

    beforeAll(async () => {
      t = await createTestApp(engine, { clock }); // no SVARBUD_ALLOW_CIDRS: loopback is blocked
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no address');
      base = `http://127.0.0.1:${address.port}`;
      owner = await signUpCaller(t.app, 'Inbox owner');
      other = await signUpCaller(t.app, 'Other');
      fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
      await t.close();
    });

    it('creates the default inbox on first read, with an unguessable token, once', async () => {
      const first = await api(owner, 'GET', '/inboxes');
      expect(first.statusCode, first.body).toBe(200);
      const items = first.json().items as Inbox[];
      expect(items).toHaveLength(1);
      inbox = items[0]!;
      const token = pathOf(inbox.url).split('/').pop()!;
      expect(inbox.url).toBe(`${t.ctx.config.publicUrl}/api/v1/inbox/${token}`);
      expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
      const again = await Promise.all([api(owner, 'GET', '/inboxes'), api(owner, 'GET', '/inboxes')]);
      for (const res of again) expect(res.json().items).toEqual([inbox]);
      const created = await api(owner, 'POST', '/inboxes', { name: 'Second' });
      expect(created.statusCode).toBe(201);
      expect((await api(owner, 'GET', '/inboxes')).json().items.map((i: Inbox) => i.name)).toEqual([
        'Inbox',
        'Second',
      ]);
    });

    it('records method, headers without cookies, the raw body and the time; unsigned without signature', async () => {
      const res = await post(inbox.url, '{"hello": "verden",  "n": 1}', {
        cookie: 'svarbud_session=secret',
        'x-custom': 'yes',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ received: true });
      const text = await t.app.inject({
        method: 'POST',
        url: pathOf(inbox.url),
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        payload: 'plain text, æøå',
      });
      expect(text.statusCode).toBe(200);
      const { items } = await requestsOf(owner, inbox.id);
      expect(items.map((i) => i.body)).toEqual(['plain text, æøå', '{"hello": "verden",  "n": 1}']);
      const json = items[1]!;
      expect(json).toMatchObject({
        method: 'POST',
        verification: 'unsigned',
        automationId: null,
        bodyTruncated: false,
        receivedAt: new Date(clock.now()).toISOString(),
      });
      const headers = json.headers as Record<string, string>;
      expect(headers['x-custom']).toBe('yes');
      expect(headers['content-type']).toBe('application/json');
      expect(headers.cookie).toBeUndefined();
      expect(JSON.stringify(json)).not.toContain('svarbud_session');
      // Unknown tokens are not found; the route is public (no sign-in) but not a catch-all.
      expect((await post(`${base}/api/v1/inbox/nope`, '{}')).statusCode).toBe(404);
    });

    it('verifies signatures: valid, tampered, wrong secret, stale, and signed without an automation', async () => {
      const automation = await createAutomation(inbox.url);
      const body = '{"type":"survey.response.completed"}';
      await post(inbox.url, body, signed(automation.secret, body));
      expect(await latest()).toMatchObject({ verification: 'valid', automationId: automation.id });
      // Any Standard Webhooks library's signature verifies too.
      const id = 'msg_lib';
      const when = new Date(clock.now());
      const libSignature = new Webhook(automation.secret).sign(id, when, body);
      await post(inbox.url, body, {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(clock.now() / 1000)),
        'webhook-signature': libSignature,
      });
      expect((await latest()).verification).toBe('valid');

      await post(inbox.url, body.replace('completed', 'complete'), signed(automation.secret, body));
      expect(await latest()).toMatchObject({ verification: 'invalid', automationId: null });
      const tamperedId = { ...signed(automation.secret, body), 'webhook-id': 'msg_other' };
      await post(inbox.url, body, tamperedId);
      expect((await latest()).verification).toBe('invalid');
      const stranger = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
      await post(inbox.url, body, signed(stranger, body));
      expect((await latest()).verification).toBe('invalid');
      await post(inbox.url, body, signed(automation.secret, body, clock.now() - 6 * 60_000));
      expect((await latest()).verification).toBe('invalid');
      await post(inbox.url, body, { ...signed(automation.secret, body), 'webhook-timestamp': 'soon' });
      expect((await latest()).verification).toBe('invalid');

      // The second inbox has no automation posting to it.
      const second = ((await api(owner, 'GET', '/inboxes')).json().items as Inbox[])[1]!;
      await post(second.url, body, signed(automation.secret, body));
      expect(await latest(second.id)).toMatchObject({ verification: 'no_matching_automation' });
      // Another organization's automation posting to this inbox URL does not count as a match.
      const foreign = await signUpCaller(t.app, 'Foreign');
      const foreignFx = await createSurveyFixture(t.ctx.db, foreign.orgId);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: foreign.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: foreignFx.survey.id,
          name: 'Foreign',
          url: second.url,
          variables: { mode: 'all' },
          labels: 'data',
        },
      });
      const foreignSecret = res.json().secret as string;
      await post(second.url, body, signed(foreignSecret, body));
      expect((await latest(second.id)).verification).toBe('no_matching_automation');
      await api(owner, 'DELETE', `/automations/${automation.id}`);
    });

    it('accepts the previous secret during a rotation and not after it', async () => {
      const automation = await createAutomation(inbox.url);
      const body = '{"rotation":true}';
      const rotated = await api(owner, 'POST', `/automations/${automation.id}/rotate-secret`);
      const newSecret = rotated.json().secret as string;
      expect(newSecret).not.toBe(automation.secret);
      await post(inbox.url, body, signed(newSecret, body));
      expect((await latest()).verification).toBe('valid');
      await post(inbox.url, body, signed(automation.secret, body));
      expect((await latest()).verification).toBe('valid');
      // Both entries, as Svarbud sends during a rotation.
      const both = signed(newSecret, body);
      both['webhook-signature'] = signatureHeader(
        [newSecret, automation.secret],
        both['webhook-id'],
        Number(both['webhook-timestamp']),
        body,
      );
      await post(inbox.url, body, both);
      expect((await latest()).verification).toBe('valid');
      const start = clock.now();
      try {
        clock.advance(25 * HOUR);
        await post(inbox.url, body, signed(automation.secret, body));
        expect((await latest()).verification).toBe('invalid');
        await post(inbox.url, body, signed(newSecret, body));
        expect((await latest()).verification).toBe('valid');
      } finally {
        clock.set(start);
      }
      await api(owner, 'DELETE', `/automations/${automation.id}`);
    });

    it('pages newest first, deletes one request or all, and answers 404 to another organization', async () => {
      const page = await requestsOf(owner, inbox.id, '?limit=2');
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).not.toBeNull();
      const next = await requestsOf(owner, inbox.id, `?limit=2&cursor=${page.nextCursor}`);
      expect(next.items[0]!.id < page.items[1]!.id).toBe(true);

      const target = page.items[0]!.id;
      for (const [method, url] of [
        ['GET', `/inboxes/${inbox.id}/requests`],
        ['DELETE', `/inboxes/${inbox.id}/requests`],
        ['DELETE', `/inboxes/${inbox.id}/requests/${target}`],
      ] as const) {
        const res = await api(other, method, url);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
      // The other organization gets its own inbox; it cannot reach ours through it either.
      const theirs = ((await api(other, 'GET', '/inboxes')).json().items as Inbox[])[0]!;
      expect(theirs.id).not.toBe(inbox.id);
      expect((await api(other, 'DELETE', `/inboxes/${theirs.id}/requests/${target}`)).statusCode).toBe(404);
      expect((await requestsOf(owner, inbox.id)).items[0]!.id).toBe(target);

      expect((await api(owner, 'DELETE', `/inboxes/${inbox.id}/requests/${target}`)).statusCode).toBe(204);
      expect((await api(owner, 'DELETE', `/inboxes/${inbox.id}/requests/${target}`)).statusCode).toBe(404);
      expect((await requestsOf(owner, inbox.id)).items.map((i) => i.id)).not.toContain(target);
      expect((await api(owner, 'DELETE', `/inboxes/${inbox.id}/requests`)).statusCode).toBe(204);
      expect((await requestsOf(owner, inbox.id)).items).toEqual([]);
    });

    it(`keeps at most ${MAX_REQUESTS_PER_INBOX} requests per inbox, dropping the oldest`, async () => {
      expect(MAX_REQUESTS_PER_INBOX).toBe(500);
      const row = (n: number) => ({
        id: newId('ireq', clock.now() + n),
        inbox_id: inbox.id,
        org_id: owner.orgId,
        method: 'POST',
        headers: '{}',
        body: `#${n}`,
        body_bytes: 2,
        body_truncated: 0,
        verification: 'unsigned',
        automation_id: null,
        received_at: clock.now() + n,
      });
      for (let n = 1; n <= 5; n++) await insertRequest(t.ctx.db, row(n), 3);
      expect((await listRequests(t.ctx.db, inbox.id, 10, null)).map((r) => r.body)).toEqual([
        '#5',
        '#4',
        '#3',
      ]);
      // Through HTTP with the real cap: fill to the cap, then one more pushes out the oldest.
      await api(owner, 'DELETE', `/inboxes/${inbox.id}/requests`);
      const rows = Array.from({ length: MAX_REQUESTS_PER_INBOX }, (_, i) => row(i));
      await t.ctx.db.insertInto('inbox_requests').values(rows).execute();
      await post(inbox.url, '{"last":true}');
      const kept = await listRequests(t.ctx.db, inbox.id, 1000, null);
      expect(kept).toHaveLength(MAX_REQUESTS_PER_INBOX);
      expect(kept[0]!.body).toBe('{"last":true}');
      expect(kept.map((r) => r.body)).not.toContain('#0');
      expect(kept.at(-1)!.body).toBe('#1');
      await api(owner, 'DELETE', `/inboxes/${inbox.id}/requests`);
    });

    describe('the address guard allows this process’s inbox only as itself', () => {
      let self: Sender;
      let plain: Sender;
      const options = {
        connectTimeoutMs: 2000,
        requestTimeoutMs: 3000,
        allowCidrs: [],
        userAgent: USER_AGENT,
      };
      beforeAll(() => {
        self = createSender({ ...options, selfTargets: selfTargetsOf(t.ctx.config.publicUrl, t.app.server) });
        plain = createSender(options);
      });
      afterAll(async () => {
        await self.close();
        await plain.close();
      });
      const send = (sender: Sender, url: string) =>
        sender.send({ url, headers: { 'content-type': 'application/json' }, body: '{"probe":1}' });

      it('derives its targets from the public URL and the listening address', () => {
        expect(selfInboxTargets('http://localhost:8080', null)).toEqual([
          'http://localhost:8080/api/v1/inbox/',
        ]);
        expect(
          selfInboxTargets('https://svarbud.example.com/', { address: '0.0.0.0', port: 9, family: 'IPv4' }),
        ).toEqual([
          'https://svarbud.example.com/api/v1/inbox/',
          'http://127.0.0.1:9/api/v1/inbox/',
          'http://[::1]:9/api/v1/inbox/',
          'http://localhost:9/api/v1/inbox/',
        ]);
        expect(selfInboxTargets('http://x', { address: '10.1.2.3', port: 80, family: 'IPv4' })).toEqual([
          'http://x/api/v1/inbox/',
          'http://10.1.2.3:80/api/v1/inbox/',
        ]);
      });

      it('delivers to the inbox on 127.0.0.1 and localhost with no allow-list', async () => {
        const token = pathOf(inbox.url).split('/').pop()!;
        for (const host of ['127.0.0.1', 'localhost']) {
          const url = `${base.replace('127.0.0.1', host)}/api/v1/inbox/${token}`;
          const result = await send(self, url);
          expect(result, url).toMatchObject({ ok: true, statusCode: 200, error: null });
          expect(JSON.parse(result.responseBody!)).toEqual({ received: true });
        }
        expect((await requestsOf(owner, inbox.id)).items).toHaveLength(2);
        // Without the exception (and without SVARBUD_ALLOW_CIDRS) the same URL is blocked.
        const blocked = await send(plain, `${base}/api/v1/inbox/${token}`);
        expect(blocked.error?.code).toBe('BLOCKED_ADDRESS');
      });

      it('keeps other paths of the same port, other ports and other loopback addresses blocked', async () => {
        const token = pathOf(inbox.url).split('/').pop()!;
        const port = new URL(base).port;
        const urls = [
          `${base}/api/v1/surveys`,
          `${base}/healthz`,
          `${base}/api/v1/inboxes`,
          `${base}/api/v1/inbox/`,
          `${base}/api/v1/inbox/../surveys`,
          `${base}/api/v1/inbox/%2e%2e/surveys`,
          `${base}/api/v1/inbox/${token}/../../surveys`,
          `${base}/api/v1/INBOX/${token}`,
          `http://127.0.0.2:${port}/api/v1/inbox/${token}`,
          `http://0.0.0.0:${port}/api/v1/inbox/${token}`,
          `https://127.0.0.1:${port}/api/v1/inbox/${token}`,
          `${receiver.url}/api/v1/inbox/${token}`,
          `http://10.0.0.1:${port}/api/v1/inbox/${token}`,
        ];
        for (const url of urls) {
          const result = await send(self, url);
          expect(result.error?.code, url).toBe('BLOCKED_ADDRESS');
        }
        expect(receiver.requests).toHaveLength(0);
      });

      it('lets the wizard’s Test connection reach the inbox, and nothing else local', async () => {
        const test = (url: string) =>
          api(owner, 'POST', '/automations/test-connection', {
            surveyId: fx.survey.id,
            url,
            variables: { mode: 'all' },
            labels: 'data',
          });
        const token = pathOf(inbox.url).split('/').pop()!;
        const ok = await test(`${base}/api/v1/inbox/${token}`);
        expect(ok.json()).toMatchObject({ ok: true, statusCode: 200 });
        expect((await latest()).body).toContain('"automation.test"');
        const blocked = await test(`${base}/api/v1/surveys`);
        expect(blocked.json()).toMatchObject({ ok: false, error: { code: 'BLOCKED_ADDRESS' } });
        await api(owner, 'DELETE', `/inboxes/${inbox.id}/requests`);
      });

      it('shows a wizard test as valid once the automation it was signed for exists', async () => {
        const secret = 'whsec_' + Buffer.alloc(32, 5).toString('base64');
        const token = pathOf(inbox.url).split('/').pop()!;
        const url = `${base}/api/v1/inbox/${token}`;
        const settings = { surveyId: fx.survey.id, url, variables: { mode: 'all' }, labels: 'data', secret };
        const tested = await api(owner, 'POST', '/automations/test-connection', settings);
        expect(tested.json()).toMatchObject({ ok: true, statusCode: 200 });
        expect((await latest()).verification).toBe('no_matching_automation');
        const created = await api(owner, 'POST', '/automations', {
          type: 'outgoing_webhook',
          name: 'Wizard',
          ...settings,
        });
        expect(created.statusCode, created.body).toBe(201);
        const after = await latest();
        expect(after).toMatchObject({ verification: 'valid', automationId: created.json().id });
        await api(owner, 'DELETE', `/automations/${created.json().id}`);
        await api(owner, 'DELETE', `/inboxes/${inbox.id}/requests`);
      });
    });

    it('seeds a demo whose automation delivers each response, signature-valid, to its inbox', async () => {
      const demo = await seedDemo(t.ctx);
      const automation = await t.ctx.db
        .selectFrom('automations')
        .selectAll()
        .where('id', '=', demo.automationId)
        .executeTakeFirstOrThrow();
      expect(automation).toMatchObject({
        org_id: demo.orgId,
        survey_id: demo.surveyId,
        name: DEMO_AUTOMATION_NAME,
        enabled: 1,
        labels: 'data',
        url: demo.inboxUrl,
      });
      expect(JSON.parse(automation.variables)).toEqual({ mode: 'all' });
      const inboxes = await t.ctx.db
        .selectFrom('request_inboxes')
        .selectAll()
        .where('org_id', '=', demo.orgId)
        .execute();
      expect(inboxes).toHaveLength(1);
      expect(inboxes[0]).toMatchObject({ id: demo.inboxId, is_default: 1 });
      expect(demo.inboxUrl).toBe(`${t.ctx.config.publicUrl}/api/v1/inbox/${inboxes[0]!.token}`);
      const survey = await t.ctx.db
        .selectFrom('surveys')
        .select('public_token')
        .where('id', '=', demo.surveyId)
        .executeTakeFirstOrThrow();
      expect(survey.public_token).toBe(demo.publicToken);

      // The demo's URL names the public URL (localhost:8080 here); deliver as `serve` would when it
      // listens there, by pointing the automation at this test server's own port.
      const here = demo.inboxUrl.replace(t.ctx.config.publicUrl, base);
      await t.ctx.db
        .updateTable('automations')
        .set({ url: here })
        .where('id', '=', demo.automationId)
        .execute();
      const sender = createSender({
        ...{ connectTimeoutMs: 2000, requestTimeoutMs: 3000, allowCidrs: [] },
        userAgent: USER_AGENT,
        selfTargets: selfTargetsOf(t.ctx.config.publicUrl, t.app.server),
      });
      const dispatcher = new Dispatcher(t.ctx, {
        sender,
        pollIntervalMs: 100,
      });
      await dispatcher.start();
      try {
        const page = await t.app.inject({ method: 'GET', url: `/api/v1/public/surveys/${demo.publicToken}` });
        const first = page.json().questions[0];
        const submitted = await t.app.inject({
          method: 'POST',
          url: `/api/v1/public/surveys/${demo.publicToken}/responses`,
          payload: {
            respondent: { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com' },
            answers: { [first.id]: first.options[0].code },
          },
        });
        expect(submitted.statusCode, submitted.body).toBe(201);
        const deadline = Date.now() + 15_000;
        let run;
        for (;;) {
          run = await t.ctx.db
            .selectFrom('runs')
            .selectAll()
            .where('automation_id', '=', demo.automationId)
            .executeTakeFirst();
          if (run?.status === 'succeeded' || run?.status === 'failed' || Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(run?.status).toBe('succeeded');
        const arrived = await listRequests(t.ctx.db, demo.inboxId, 10, null);
        expect(arrived).toHaveLength(1);
        expect(arrived[0]).toMatchObject({ verification: 'valid', automation_id: demo.automationId });
        const message = JSON.parse(arrived[0]!.body);
        expect(message.type).toBe('survey.response.completed');
        expect(message.data.variables).toMatchObject({
          satisfaction: 'Very dissatisfied',
          enps: null,
          department: null,
        });
        expect(JSON.parse(arrived[0]!.headers)['webhook-id']).toBe(run!.id);
      } finally {
        await dispatcher.stop();
        await sender.close();
      }
    });
  });
}
