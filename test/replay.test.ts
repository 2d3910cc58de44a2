// Replay end to end on both engines: the API, a real dispatcher and real receivers. A replayed run
// goes again with the same webhook-id and bytes, newly signed; its attempt records trigger `replay`;
// the retry schedule starts afresh; running runs are skipped; a disabled automation holds them.
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { DAY, HOUR, MINUTE, SECOND } from '../src/config.js';
import { signUpCaller } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { startReceiver, type ReceivedRequest, type Receiver } from './helpers/receiver.js';
import { insertLogRuns } from './helpers/runs.js';

function headersOf(r: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
}

type ReplayAnswer = {
  replayed: number;
  skipped: { id: string; reason: string }[];
  automationEnabled: boolean;
  message: string;
};

for (const engine of ENGINES) {
  describe(`replay (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    const clock = new ManualClock(Date.now());

    beforeAll(async () => {
      // Two attempts per schedule (now, then 60 s later); failures never disable in these tests.
      h = await createDeliveryHarness(engine, {
        clock,
        env: { SVARBUD_RETRY_SCHEDULE: '0,60', SVARBUD_DISABLE_AFTER_FAILURES: '1000' },
      });
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

    async function replay(automationId: string, payload: unknown, headers = h.owner.bearer) {
      return h.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${automationId}/runs/replay`,
        headers,
        payload: payload as Record<string, unknown>,
      });
    }
    async function replayOk(automationId: string, payload: unknown): Promise<ReplayAnswer> {
      const res = await replay(automationId, payload);
      expect(res.statusCode, res.body).toBe(202);
      return res.json();
    }
    async function details(runId: string) {
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/v1/runs/${runId}`,
        headers: h.owner.bearer,
      });
      expect(res.statusCode).toBe(200);
      return res.json() as {
        status: string;
        attempts: number;
        nextAttemptAt: string | null;
        attemptLog: { number: number; trigger: string; statusCode: number | null }[];
      };
    }
    const waitStatus = (runId: string, status: string, attempts?: number) =>
      h.waitFor(
        () => h.run(runId),
        (r) => r.status === status && (attempts === undefined || Number(r.attempts) === attempts),
      );

    it('replays failed and succeeded runs by id: same webhook-id and bytes, newly signed, trigger replay, a fresh schedule', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/by-id') });
      // The first run (Kari's) fails twice (the whole schedule) … (decided by the body: the run is sent
      // as soon as its response is committed, before its id is known here)
      receiver.reply(({ request, res }) => {
        const kari = request.text.includes('Kari');
        res.writeHead(kari ? 500 : 200);
        res.end(kari ? 'down' : 'ok');
      });
      const failedRun = (await h.submit()).runs[0]!.id;
      await waitStatus(failedRun, 'scheduled', 1);
      clock.advance(73 * SECOND);
      h.dispatcher.wake();
      await waitStatus(failedRun, 'failed', 2);
      // … the second succeeds.
      const succeededRun = (await h.submit({ respondent: { firstName: 'Ola', lastName: 'Hansen' } })).runs[0]!
        .id;
      await waitStatus(succeededRun, 'succeeded', 1);
      const before = [...receiver.requests];
      expect(before).toHaveLength(3);

      clock.advance(7 * SECOND); // a new timestamp
      const answer = await replayOk(a.id, { runIds: [failedRun, succeededRun, failedRun] });
      expect(answer).toEqual({
        replayed: 2,
        skipped: [],
        automationEnabled: true,
        message: expect.stringMatching(/2 runs/),
      });
      const all = await receiver.waitForRequests(5);
      for (const runId of [failedRun, succeededRun]) {
        const [original, replayed] = all.filter((r) => r.headers['webhook-id'] === runId).slice(-2);
        expect(replayed!.text).toBe(original!.text);
        // Both originals went out at the clock's current second (the failed run's second attempt).
        expect(Number(replayed!.headers['webhook-timestamp'])).toBe(
          Number(original!.headers['webhook-timestamp']) + 7,
        );
        expect(replayed!.headers['webhook-signature']).not.toBe(original!.headers['webhook-signature']);
        expect(() => new Webhook(a.secret).verify(replayed!.text, headersOf(replayed!))).not.toThrow();
      }
      await waitStatus(succeededRun, 'succeeded', 2);
      // The failed run failed again, but its schedule started afresh: one more attempt in ~60 s.
      const again = await waitStatus(failedRun, 'scheduled', 3);
      expect(again.schedule_start).toBe(2);
      const delay = Number(again.next_attempt_at) - clock.now();
      expect(delay).toBeGreaterThanOrEqual(48 * SECOND);
      expect(delay).toBeLessThanOrEqual(72 * SECOND);

      const failedLog = await details(failedRun);
      expect(failedLog.attemptLog.map((x) => [x.number, x.trigger, x.statusCode])).toEqual([
        [1, 'auto', 500],
        [2, 'auto', 500],
        [3, 'replay', 500],
      ]);
      expect(failedLog.nextAttemptAt).toBe(new Date(Number(again.next_attempt_at)).toISOString());
      const okLog = await details(succeededRun);
      expect(okLog.attemptLog.map((x) => [x.number, x.trigger, x.statusCode])).toEqual([
        [1, 'auto', 200],
        [2, 'replay', 200],
      ]);
      // The retry after the replay is automatic again.
      receiver.reply({ status: 200 });
      clock.advance(73 * SECOND);
      h.dispatcher.wake();
      await waitStatus(failedRun, 'succeeded', 4);
      expect((await details(failedRun)).attemptLog[3]!.trigger).toBe('auto');
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('replays by filter only the matching failed, succeeded and scheduled runs', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/by-filter') });
      const now = clock.now();
      const [kari, ola, per, waiting, old] = await insertLogRuns(h.ctx.db, {
        orgId: h.owner.orgId,
        automationId: a.id,
        runs: [
          {
            respondent: { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com' },
            status: 'failed',
            attempts: 2,
            createdAt: now - 3 * MINUTE,
          },
          {
            respondent: { firstName: 'Ola', lastName: 'Hansen', email: 'ola@example.com' },
            status: 'failed',
            attempts: 2,
            createdAt: now - 2 * MINUTE,
          },
          {
            respondent: { firstName: 'Per', lastName: 'Olsen', email: 'per@example.com' },
            status: 'succeeded',
            createdAt: now - MINUTE,
          },
          {
            respondent: { firstName: 'Siri', lastName: 'Berg', email: 'siri@example.com' },
            status: 'scheduled',
            attempts: 1,
            nextAttemptAt: now + HOUR, // waiting for its retry
            createdAt: now - MINUTE,
          },
          {
            respondent: { firstName: 'Kari', lastName: 'Berg', email: 'kari.berg@example.com' },
            status: 'failed',
            attempts: 2,
            createdAt: now - 2 * DAY,
          },
        ],
      });
      const sentIds = () => receiver.requests.map((r) => r.headers['webhook-id'] as string).sort();

      // Failed runs named Kari, created within the last hour: only one.
      const first = await replayOk(a.id, {
        filter: { search: 'KARI', status: ['failed'], from: new Date(now - HOUR).toISOString() },
      });
      expect(first).toMatchObject({ replayed: 1, skipped: [] });
      await receiver.waitForRequests(1);
      await waitStatus(kari!, 'succeeded', 3);
      // Then the scheduled and succeeded runs of the last 90 seconds (Kari has succeeded by now, but earlier).
      const second = await replayOk(a.id, {
        filter: { status: ['scheduled', 'succeeded'], from: new Date(now - 90 * SECOND).toISOString() },
      });
      expect(second).toMatchObject({ replayed: 2, skipped: [] });
      await receiver.waitForRequests(3);
      await waitStatus(per!, 'succeeded', 2);
      await waitStatus(waiting!, 'succeeded', 2);
      expect(sentIds()).toEqual([kari!, per!, waiting!].sort());
      // Everything else that failed (one status may be a plain string).
      const third = await replayOk(a.id, { filter: { status: 'failed' } });
      expect(third).toMatchObject({ replayed: 2 });
      await receiver.waitForRequests(5);
      await waitStatus(ola!, 'succeeded', 3);
      await waitStatus(old!, 'succeeded', 3);
      for (const id of [kari!, per!, waiting!, ola!, old!]) {
        const log = (await details(id)).attemptLog;
        expect(log.map((x) => x.trigger)).toEqual(['replay']);
      }
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('skips running runs (by id and by filter) and ids that are not runs of the automation', async () => {
      const hanging = await startReceiver({ reply: { hang: true } });
      const a = await h.createAutomation({ url: hanging.urlFor('/hang') });
      const other = await h.createAutomation({ url: receiver.urlFor('/other') });
      // One response makes a run for each automation; the other automation's run is delivered.
      const response = await h.submit();
      const running = response.runs.find((r) => r.automationId === a.id)!.id;
      const othersRun = response.runs.find((r) => r.automationId === other.id)!.id;
      await hanging.waitForRequests(1);
      await waitStatus(running, 'running');
      await waitStatus(othersRun, 'succeeded');
      const [failed] = await insertLogRuns(h.ctx.db, {
        orgId: h.owner.orgId,
        automationId: a.id,
        runs: [{ respondent: null, status: 'failed', createdAt: clock.now() - MINUTE }],
      });
      // Held (not sent) while the first request hangs: the automation's URL is the hanging receiver.
      const byId = await replayOk(a.id, { runIds: [running, failed, othersRun, 'run_nope'] });
      expect(byId.replayed).toBe(1);
      expect(byId.skipped).toEqual([
        { id: running, reason: 'running' },
        { id: othersRun, reason: 'not_found' },
        { id: 'run_nope', reason: 'not_found' },
      ]);
      await hanging.waitForRequests(2);
      const byFilter = await replayOk(a.id, { filter: { status: ['running', 'failed', 'succeeded'] } });
      expect(byFilter.skipped).toContainEqual({ id: running, reason: 'running' });
      const row = await h.run(running);
      expect(row).toMatchObject({ status: 'running', next_trigger: 'auto' });
      await hanging.close();
      await h.ctx.db.deleteFrom('automations').where('id', 'in', [a.id, other.id]).execute();
    });

    it('schedules replays of a disabled automation; they go when it is enabled', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/disabled'), enabled: false });
      const [run] = await insertLogRuns(h.ctx.db, {
        orgId: h.owner.orgId,
        automationId: a.id,
        runs: [
          {
            respondent: { firstName: 'Kari', lastName: 'Nordmann', email: null },
            status: 'failed',
            attempts: 2,
            createdAt: clock.now() - MINUTE,
          },
        ],
      });
      const answer = await replayOk(a.id, { runIds: [run] });
      expect(answer).toMatchObject({ replayed: 1, skipped: [], automationEnabled: false });
      expect(answer.message).toMatch(/disabled/);
      expect(answer.message).toMatch(/when it is enabled/);
      h.dispatcher.wake();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.requests).toHaveLength(0);
      expect(await h.run(run!)).toMatchObject({ status: 'scheduled', next_trigger: 'replay', attempts: 2 });

      const enable = await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/automations/${a.id}`,
        headers: h.owner.bearer,
        payload: { enabled: true },
      });
      expect(enable.statusCode).toBe(200);
      const [request] = await receiver.waitForRequests(1);
      expect(request!.headers['webhook-id']).toBe(run);
      await waitStatus(run!, 'succeeded', 3);
      expect((await details(run!)).attemptLog.map((x) => [x.number, x.trigger])).toEqual([[3, 'replay']]);
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    it('answers 400 for invalid replay requests and 404 for another organization', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/invalid') });
      const cases: [unknown, string][] = [
        [{}, 'runIds'],
        [{ runIds: ['run_a'], filter: {} }, 'runIds'],
        [{ runIds: [] }, 'runIds'],
        [{ runIds: Array.from({ length: 1001 }, (_, i) => `run_${i}`) }, 'runIds'],
        [{ filter: { status: ['done'] } }, 'filter.status'],
        [{ filter: { from: 'yesterday' } }, 'filter.from'],
        [
          { filter: { from: new Date(clock.now()).toISOString(), to: new Date(0).toISOString() } },
          'filter.from',
        ],
      ];
      for (const [payload, field] of cases) {
        const res = await replay(a.id, payload);
        expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
        expect(res.json().error.details[0].field, JSON.stringify(payload).slice(0, 80)).toBe(field);
      }
      const tooOld = await replay(a.id, { filter: { from: new Date(clock.now() - 15 * DAY).toISOString() } });
      expect(tooOld.statusCode).toBe(400);
      expect(tooOld.json().error).toMatchObject({ code: 'PERIOD_OUT_OF_RANGE' });
      expect(tooOld.json().error.details[0].field).toBe('filter.from');

      const stranger = await signUpCaller(h.app, 'Stranger');
      const foreign = await replay(a.id, { runIds: ['run_x'] }, stranger.bearer);
      expect(foreign.statusCode).toBe(404);
      expect((await replay('aut_nope', { runIds: ['run_x'] })).statusCode).toBe(404);
      expect(receiver.requests).toHaveLength(0);
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });
  });
}
