// The delivery engine end to end: responses through the API, a real dispatcher and real receivers.
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { insertDueRuns } from './helpers/runs.js';

function headersOf(r: { headers: Record<string, string | string[] | undefined> }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
}

for (const engine of ENGINES) {
  describe(`delivery (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    const clock = new ManualClock(Date.now());

    beforeAll(async () => {
      h = await createDeliveryHarness(engine, { clock });
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await h.close();
      await receiver.close();
    });
    afterEach(() => {
      receiver.clear();
      receiver.reply({ status: 200, body: 'ok' });
    });

    it('delivers a completed response, signed so the standardwebhooks library verifies it', async () => {
      const a = await h.createAutomation({
        url: receiver.urlFor('/hook'),
        headers: { Authorization: 'Bearer t0k', 'X-Api-Key': 'k3y-s3cret', 'X-Tenant': 'acme' },
      });
      const response = await h.submit({ answers: { [h.fx.ids.single]: 2, [h.fx.ids.text]: 'Hei, verden' } });
      expect(response.runs).toHaveLength(1);
      const [request] = await receiver.waitForRequests(1);
      const headers = headersOf(request!);
      expect(headers['webhook-id']).toBe(response.runs[0]!.id);
      expect(headers['content-type']).toBe('application/json');
      expect(headers['user-agent']).toMatch(/^Svarbud-Webhooks\//);
      expect(headers.authorization).toBe('Bearer t0k');
      expect(() => new Webhook(a.secret).verify(request!.text, headers)).not.toThrow();
      const tampered = request!.text.replace('Hei', 'Hai');
      expect(() => new Webhook(a.secret).verify(tampered, headers)).toThrow();
      const body = JSON.parse(request!.text);
      expect(body).toMatchObject({
        type: 'survey.response.completed',
        data: { survey: { id: h.fx.survey.id, title: h.fx.survey.title }, response: { id: response.id } },
      });
      expect(body.data.variables).toMatchObject({
        FirstName: 'Kari',
        LastName: 'Nordmann',
        Q1: 'Green',
        Q3: 'Hei, verden',
        Q2: null,
      });
      const run = await h.waitFor(
        () => h.run(response.runs[0]!.id),
        (r) => r.status === 'succeeded',
      );
      expect(run.attempts).toBe(1);
      const message = await h.ctx.db
        .selectFrom('run_messages')
        .select('body')
        .where('run_id', '=', run.id as string)
        .executeTakeFirstOrThrow();
      expect(message.body).toBe(request!.text);
      const attempts = await h.ctx.db
        .selectFrom('run_attempts')
        .selectAll()
        .where('run_id', '=', run.id as string)
        .execute();
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({
        number: 1,
        trigger: 'auto',
        status_code: 200,
        error_code: null,
        response_body: 'ok',
      });
      // The headers sent, as run details show them: credentials masked, the signature shortened.
      expect(attempts[0]!.request_headers).not.toMatch(/t0k|k3y-s3cret/);
      expect(attempts[0]!.request_headers).not.toContain(headers['webhook-signature']!);
      const details = await h.app.inject({ url: `/api/v1/runs/${run.id}`, headers: h.owner.bearer });
      const sent = new Map(
        (details.json().attemptLog[0].requestHeaders as { name: string; value: string }[]).map((x) => [
          x.name,
          x.value,
        ]),
      );
      expect(sent.get('authorization')).toBe('Bearer ••••••');
      expect(sent.get('x-api-key')).toBe('••••••');
      expect(sent.get('x-tenant')).toBe('acme');
      expect(sent.get('webhook-id')).toBe(headers['webhook-id']);
      expect(sent.get('webhook-timestamp')).toBe(headers['webhook-timestamp']);
      expect(sent.get('content-type')).toBe('application/json');
      const mac = headers['webhook-signature']!.slice(3);
      expect(sent.get('webhook-signature')).toBe(`v1,${mac.slice(0, 4)}…${mac.slice(-4)}`);
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('retries 5xx per the schedule with the same webhook-id and bytes, then succeeds', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/flaky') });
      receiver.replyOnce({ status: 500, body: 'boom' });
      const { runs } = await h.submit();
      const runId = runs[0]!.id;
      await receiver.waitForRequests(1);
      const waiting = await h.waitFor(
        () => h.run(runId),
        (r) => r.status === 'scheduled' && r.attempts === 1,
      );
      const delay = (waiting.next_attempt_at as number) - clock.now();
      expect(delay).toBeGreaterThanOrEqual(48_000); // 60 s − 20 %
      expect(delay).toBeLessThanOrEqual(72_000); // 60 s + 20 %
      clock.advance(73_000);
      h.dispatcher.wake();
      const [first, second] = await receiver.waitForRequests(2);
      expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      expect(second!.text).toBe(first!.text);
      const done = await h.waitFor(
        () => h.run(runId),
        (r) => r.status === 'succeeded',
      );
      expect(done.attempts).toBe(2);
      const attempts = await h.ctx.db
        .selectFrom('run_attempts')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('number')
        .execute();
      expect(attempts.map((x) => [x.number, x.status_code, x.error_code])).toEqual([
        [1, 500, 'HTTP_STATUS'],
        [2, 200, null],
      ]);
      expect(attempts[0]!.response_body).toBe('boom');
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('records an answer whose body holds a NUL character (PostgreSQL text cannot store one)', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/nul') });
      receiver.replyOnce({ status: 200, body: 'ok\u0000then binary' });
      const { runs } = await h.submit();
      const done = await h.waitFor(
        () => h.run(runs[0]!.id),
        (r) => r.status === 'succeeded',
      );
      expect(done.attempts).toBe(1);
      const [attempt] = await h.ctx.db
        .selectFrom('run_attempts')
        .selectAll()
        .where('run_id', '=', runs[0]!.id)
        .execute();
      // Shown as the replacement character, like the built-in inbox does with bodies it keeps.
      expect(attempt!.response_body).toBe('ok\uFFFDthen binary');
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('honours Retry-After on 429 beyond the scheduled delay', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/busy') });
      receiver.replyOnce({ status: 429, headers: { 'retry-after': '600' } });
      const { runs } = await h.submit();
      const waiting = await h.waitFor(
        () => h.run(runs[0]!.id),
        (r) => r.status === 'scheduled' && r.attempts === 1,
      );
      const delay = (waiting.next_attempt_at as number) - clock.now();
      expect(delay).toBeGreaterThanOrEqual(599_000);
      expect(delay).toBeLessThanOrEqual(601_000);
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('fails the run at once on 410 and disables the automation (gone)', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/gone') });
      receiver.reply({ status: 410 });
      const { runs } = await h.submit();
      const run = await h.waitFor(
        () => h.run(runs[0]!.id),
        (r) => r.status === 'failed',
      );
      expect(run.attempts).toBe(1);
      const automation = await h.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${a.id}`,
        headers: h.owner.bearer,
      });
      expect(automation.json()).toMatchObject({ enabled: false, disabledReason: 'gone' });
      // New completions are held while disabled by 410.
      const held = await h.submit();
      expect(held.runs.map((r) => r.automationId)).toContain(a.id);
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('does not follow redirects', async () => {
      const target = await startReceiver();
      const a = await h.createAutomation({ url: receiver.urlFor('/moved') });
      receiver.reply({ status: 301, headers: { location: target.urlFor('/new') } });
      const { runs } = await h.submit();
      await h.waitFor(
        () => h.run(runs[0]!.id),
        (r) => r.attempts === 1,
      );
      const [attempt] = await h.ctx.db
        .selectFrom('run_attempts')
        .selectAll()
        .where('run_id', '=', runs[0]!.id)
        .execute();
      expect(attempt!.error_code).toBe('REDIRECT');
      expect(target.requests).toHaveLength(0);
      await target.close();
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('signs with both secrets during rotation; each verifies', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/rotating') });
      const rotated = (
        await h.app.inject({
          method: 'POST',
          url: `/api/v1/automations/${a.id}/rotate-secret`,
          headers: h.owner.bearer,
        })
      ).json();
      await h.submit();
      const [request] = await receiver.waitForRequests(1);
      const headers = headersOf(request!);
      expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
      expect(() => new Webhook(a.secret).verify(request!.text, headers)).not.toThrow();
      expect(() => new Webhook(rotated.secret).verify(request!.text, headers)).not.toThrow();
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('keeps at most 10 requests in flight per automation', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/slow') });
      let inFlight = 0;
      let peak = 0;
      receiver.reply(async ({ res }) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 50));
        inFlight -= 1;
        res.end('ok');
      });
      const responses = [];
      for (let i = 0; i < 30; i++) responses.push(await h.submit());
      await receiver.waitForRequests(30, 20_000);
      expect(peak).toBeGreaterThan(1);
      expect(peak).toBeLessThanOrEqual(10);
      for (const r of responses)
        await h.waitFor(
          () => h.run(r.runs[0]!.id),
          (x) => x.status === 'succeeded',
        );
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });
  });

  if (engine === 'sqlite') {
    describe('runs handed to the in-process dispatcher at commit (sqlite)', () => {
      let h: DeliveryHarness;
      let receiver: Receiver;
      beforeAll(async () => {
        h = await createDeliveryHarness(engine, {
          env: { SVARBUD_MAX_IN_FLIGHT_PER_AUTOMATION: '2' },
          // No "runs are due" signals and no polling to speak of: only offers can start a delivery,
          // and only a send's end can start a claim.
          dispatcher: (database) => ({
            pollIntervalMs: 600_000,
            listen: (listener) =>
              database.queue.listen(
                { due: () => {}, offered: (runs) => listener.offered(runs) },
                createLogger('silent'),
              ),
          }),
        });
        receiver = await startReceiver();
      });
      afterAll(async () => {
        await h.close();
        await receiver.close();
      });

      it('sends a new run from the offer, without a claim scan or a poll', async () => {
        const a = await h.createAutomation({ url: receiver.urlFor('/offered') });
        const { runs } = await h.submit();
        const [request] = await receiver.waitForRequests(1, 5_000);
        expect(request!.headers['webhook-id']).toBe(runs[0]!.id);
        await h.waitFor(
          () => h.run(runs[0]!.id),
          (r) => r.status === 'succeeded',
        );
        await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
      });

      it('leaves runs beyond the cap scheduled and claims them when the automation has room', async () => {
        receiver.clear();
        const a = await h.createAutomation({ url: receiver.urlFor('/capped') });
        let inFlight = 0;
        let peak = 0;
        receiver.reply(async ({ res }) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 40));
          inFlight -= 1;
          res.end('ok');
        });
        const responses = await Promise.all(Array.from({ length: 12 }, () => h.submit()));
        const ids = responses.map((r) => r.runs.find((run) => run.automationId === a.id)!.id);
        await receiver.waitForRequests(12, 10_000);
        expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set(ids));
        expect(peak).toBe(2);
        for (const id of ids) {
          await h.waitFor(
            () => h.run(id),
            (r) => r.status === 'succeeded',
          );
        }
      });
    });
  }

  describe(`disabling after consecutive failures (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    beforeAll(async () => {
      // One attempt per run, so each failed attempt is a failed run.
      h = await createDeliveryHarness(engine, { env: { SVARBUD_RETRY_SCHEDULE: '0' } });
      receiver = await startReceiver({ reply: { status: 500 } });
    });
    afterAll(async () => {
      await h.close();
      await receiver.close();
    });

    it('disables after 5 failed runs, holds new runs, and enabling resumes them all', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/down') });
      const failed = [];
      for (let i = 0; i < 5; i++) {
        const { runs } = await h.submit();
        failed.push(runs[0]!.id);
        await h.waitFor(
          () => h.run(runs[0]!.id),
          (r) => r.status === 'failed',
        );
      }
      const disabled = await h.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${a.id}`,
        headers: h.owner.bearer,
      });
      expect(disabled.json()).toMatchObject({ enabled: false, disabledReason: 'failures' });
      receiver.clear();
      const held = [];
      for (let i = 0; i < 3; i++) held.push((await h.submit()).runs[0]!.id);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.requests).toHaveLength(0);
      for (const id of held) expect((await h.run(id)).status).toBe('scheduled');
      receiver.reply({ status: 200 });
      const enabled = await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/automations/${a.id}`,
        headers: h.owner.bearer,
        payload: { enabled: true },
      });
      expect(enabled.json()).toMatchObject({ enabled: true, disabledReason: null });
      for (const id of held)
        await h.waitFor(
          () => h.run(id),
          (r) => r.status === 'succeeded',
        );
      expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set(held));
      for (const id of failed) expect((await h.run(id)).status).toBe('failed');
    });

    it('a manually disabled automation creates no runs', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/off'), enabled: false });
      const { runs } = await h.submit();
      expect(runs.map((r) => r.automationId)).not.toContain(a.id);
    });
  });
  describe(`runs claimed but not yet sent when their automation is disabled (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    beforeAll(async () => {
      // One request in flight per automation: on SQLite the dispatcher also holds the next run claimed, ready.
      h = await createDeliveryHarness(engine, {
        env: { SVARBUD_RETRY_SCHEDULE: '0', SVARBUD_MAX_IN_FLIGHT_PER_AUTOMATION: '1' },
      });
      receiver = await startReceiver({ reply: { status: 410, body: 'gone', delayMs: 200 } });
    });
    afterAll(async () => {
      await h.close();
      await receiver.close();
    });

    it('are held, not sent, once a 410 disables the automation', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/gone') });
      const ids = await insertDueRuns(h.ctx.db, {
        orgId: h.owner.orgId,
        automationIds: [a.id],
        perAutomation: 6,
      });
      await receiver.waitForRequests(1, 10_000);
      await h.waitFor(
        async () =>
          (
            await h.ctx.db
              .selectFrom('automations')
              .select('disabled_reason')
              .where('id', '=', a.id)
              .executeTakeFirstOrThrow()
          ).disabled_reason,
        (reason) => reason === 'gone',
      );
      const statuses = await h.waitFor(
        async () => Promise.all(ids.map(async (id) => (await h.run(id)).status as string)),
        (s) => !s.includes('running'),
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.requests).toHaveLength(1);
      expect(statuses.filter((s) => s === 'failed')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'scheduled')).toHaveLength(5);
    });
  });
}
