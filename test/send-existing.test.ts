// Sending existing responses on both engines (SPEC §12): a backfill counts first (dryRun), creates runs
// of origin `backfill` rendered with today's settings, only for responses without a run unless told
// otherwise, and they are delivered; a manual send creates one run (origin `manual`); the runs log
// filters by origin; a disabled automation's runs are held; limits and foreign ids answer 4xx.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpCaller, type Caller } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { createSurveyFixture } from './helpers/surveys.js';

type Summary = { id: string; responseId: string; origin: string; status: string };

for (const engine of ENGINES) {
  describe(`send existing responses (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    let other: Caller;
    const responses: { id: string; completedAt: string }[] = [];

    beforeAll(async () => {
      h = await createDeliveryHarness(engine);
      receiver = await startReceiver();
      other = await signUpCaller(h.app, 'Other');
      // Three responses completed before any automation existed, a day apart.
      for (const [i, name] of ['Anne', 'Bård', 'Cato'].entries()) {
        const completedAt = new Date(Date.now() - (3 - i) * 86_400_000).toISOString();
        const r = await h.submit({
          respondent: { firstName: name, lastName: 'Test', email: `person${i}@example.com` },
          answers: { [h.fx.ids.single]: 2 },
          completedAt,
        });
        responses.push({ id: r.id, completedAt });
      }
    });
    afterAll(async () => {
      await h.close();
      await receiver.close();
    });

    const api = (method: 'GET' | 'POST', url: string, payload?: object, headers = h.owner.bearer) =>
      h.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    const log = async (automationId: string, query = '') =>
      (await api('GET', `/automations/${automationId}/runs${query}`)).json().items as Summary[];

    it('counts, then creates and delivers runs of origin backfill, rendered with today’s settings', async () => {
      const a = await h.createAutomation({
        url: receiver.urlFor('/backfill'),
        labels: 'data',
        answerFormat: 'code',
      });
      const dry = await api('POST', `/automations/${a.id}/backfill`, { dryRun: true });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json()).toEqual({ wouldCreate: 3 });
      expect(await log(a.id)).toEqual([]);
      // The period: the last two responses (from inclusive, to exclusive).
      const period = { from: responses[1]!.completedAt, to: new Date(Date.now() + 60_000).toISOString() };
      expect(
        (await api('POST', `/automations/${a.id}/backfill`, { ...period, dryRun: true })).json(),
      ).toEqual({
        wouldCreate: 2,
      });

      const res = await api('POST', `/automations/${a.id}/backfill`, period);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toMatchObject({ created: 2, automationEnabled: true });
      // Committed when the answer comes: in the log at once.
      const runs = await log(a.id);
      expect(runs.map((r) => [r.responseId, r.origin]).sort()).toEqual(
        [
          [responses[1]!.id, 'backfill'],
          [responses[2]!.id, 'backfill'],
        ].sort(),
      );
      const delivered = await receiver.waitForRequests(2);
      const colour = delivered.map((d) => JSON.parse(d.text).data.variables.colour);
      expect(colour).toEqual([2, 2]); // codes: the automation's answer format, not the completion's

      // Only missing (the default): the first response alone; then nothing is left.
      expect((await api('POST', `/automations/${a.id}/backfill`, {})).json()).toMatchObject({ created: 1 });
      expect((await api('POST', `/automations/${a.id}/backfill`, { dryRun: true })).json()).toEqual({
        wouldCreate: 0,
      });
      // Every response, whether it has a run or not.
      expect(
        (await api('POST', `/automations/${a.id}/backfill`, { onlyMissing: false, dryRun: true })).json(),
      ).toEqual({ wouldCreate: 3 });

      // A completion after that, and the log filtered by origin.
      await h.submit();
      await receiver.waitForRequests(4);
      expect((await log(a.id, '?origin=completion')).map((r) => r.origin)).toEqual(['completion']);
      expect(await log(a.id, '?origin=backfill')).toHaveLength(3);
      expect(await log(a.id, '?origin=backfill&origin=completion')).toHaveLength(4);
      // Replay's filter takes the origin too: only the completion's run goes again (once recorded).
      await h.waitFor(
        () => log(a.id),
        (runs) => runs.every((r) => r.status === 'succeeded'),
      );
      const replay = await api('POST', `/automations/${a.id}/runs/replay`, {
        filter: { origin: ['completion'] },
      });
      expect(replay.json()).toMatchObject({ replayed: 1 });
      await receiver.waitForRequests(5);
      const again = receiver.requests[4]!.headers['webhook-id'];
      expect(again).toBe((await log(a.id, '?origin=completion'))[0]!.id);
      const bad = await api('GET', `/automations/${a.id}/runs?origin=later`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('origin');
      receiver.clear();
    });

    it('holds the runs of a disabled automation until it is enabled', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/held'), enabled: false });
      const res = await api('POST', `/automations/${a.id}/backfill`, {});
      // The three responses of the setup and the one completed in the test before.
      expect(res.json()).toMatchObject({ created: 4, automationEnabled: false });
      await h.dispatcher.idle();
      expect(receiver.requests.filter((r) => r.path === '/held')).toHaveLength(0);
      expect((await log(a.id)).every((r) => r.status === 'scheduled')).toBe(true);
      await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/automations/${a.id}`,
        headers: h.owner.bearer,
        payload: { enabled: true },
      });
      await h.waitFor(
        async () => receiver.requests.filter((r) => r.path === '/held').length,
        (n) => n === 4,
      );
      receiver.clear();
    });

    it('sends one response to an automation of its survey (origin manual)', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/manual') });
      const url = `/surveys/${h.fx.survey.id}/responses/${responses[0]!.id}/send`;
      const res = await api('POST', url, { automationId: a.id });
      expect(res.statusCode, res.body).toBe(201);
      const { run } = res.json() as { run: Summary };
      expect(run).toMatchObject({ responseId: responses[0]!.id, origin: 'manual', status: 'scheduled' });
      await h.waitFor(
        async () => receiver.requests.filter((r) => r.path === '/manual'),
        (got) => got.length === 1,
      );
      expect(receiver.requests.find((r) => r.path === '/manual')!.headers['webhook-id']).toBe(run.id);
      expect((await api('GET', `/runs/${run.id}`)).json().origin).toBe('manual');

      // An automation of another survey names the field; foreign and unknown ids answer 404.
      const elsewhere = await createSurveyFixture(h.ctx.db, h.owner.orgId, { title: 'Elsewhere' });
      const b = await h.createAutomation({ url: receiver.urlFor('/b'), surveyId: elsewhere.survey.id });
      const wrong = await api('POST', url, { automationId: b.id });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.details[0].field).toBe('automationId');
      expect((await api('POST', url, { automationId: a.id }, other.bearer)).statusCode).toBe(404);
      expect((await api('POST', url, { automationId: 'aut_nope' })).json().error.details[0].field).toBe(
        'automationId',
      );
      const unknown = `/surveys/${h.fx.survey.id}/responses/rsp_nope/send`;
      expect((await api('POST', unknown, { automationId: a.id })).statusCode).toBe(404);
      expect((await api('POST', url, {})).json().error.details[0].field).toBe('automationId');
      receiver.clear();
    });

    it('answers 404 for another organization, 400 for a bad period or more than 100 000 responses', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/limits'), enabled: false });
      expect((await api('POST', `/automations/${a.id}/backfill`, {}, other.bearer)).statusCode).toBe(404);
      const bad = await api('POST', `/automations/${a.id}/backfill`, { from: 'yesterday' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('from');
      const reversed = await api('POST', `/automations/${a.id}/backfill`, {
        from: '2026-02-01T00:00:00Z',
        to: '2026-01-01T00:00:00Z',
      });
      expect(reversed.json().error.details[0].field).toBe('from');

      const big = await createSurveyFixture(h.ctx.db, h.owner.orgId, { title: 'Big' });
      const c = await h.createAutomation({
        url: receiver.urlFor('/big'),
        surveyId: big.survey.id,
        enabled: false,
      });
      // 100 001 responses in one statement (both engines read this recursive CTE alike).
      await sql`
        with recursive n(i) as (select 1 union all select i + 1 from n where i < 100001)
        insert into responses (id, org_id, survey_id, completed_at, created_at, first_name, last_name, email, answers)
        select 'rsp_big_' || i, ${h.owner.orgId}, ${big.survey.id}, ${Date.now()}, ${Date.now()}, null, null, null, '{}'
        from n`.execute(h.ctx.db);
      const tooMany = await api('POST', `/automations/${c.id}/backfill`, { dryRun: true });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().error).toMatchObject({
        code: 'BACKFILL_TOO_LARGE',
        message:
          '100001 responses are in the period; at most 100000 are sent at a time (choose a shorter period).',
        details: [{ field: 'from', count: 100_001, countIsExact: true, max: 100_000 }],
      });
      await h.ctx.db.deleteFrom('surveys').where('id', '=', big.survey.id).execute();
    });
  });
}
