// GET /metrics: the exposition parsed with a Prometheus text-format parser; the values move as runs are
// created, sent and failed; access by token or from loopback only; the database's figures are read
// once per TTL however often anyone scrapes.
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundWork, type BackgroundWork } from '../src/background.js';
import { ManualClock } from '../src/clock.js';
import { QueueStatsCache } from '../src/metrics/queue-stats.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { runStatusCounts, until } from './helpers/ops.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { insertDueRuns } from './helpers/runs.js';
import { createSurveyFixture } from './helpers/surveys.js';

const CONTRACT = [
  'svarbud_runs',
  'svarbud_due_runs',
  'svarbud_oldest_due_run_age_seconds',
  'svarbud_attempts_total',
  'svarbud_attempt_duration_seconds',
  'svarbud_deliveries_in_flight',
  'svarbud_responses_total',
  'svarbud_outbox_pending',
  'svarbud_automations_disabled',
  'svarbud_db_queries_total',
];

class Scrape {
  constructor(readonly families: MetricFamily[]) {}
  family(name: string): MetricFamily {
    const f = this.families.find((x) => x.name === name);
    if (!f) throw new Error(`no metric ${name}`);
    return f;
  }
  value(name: string, labels: Record<string, string> = {}): number {
    const sample = this.family(name).metrics.find((m) =>
      Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
    );
    if (!sample) throw new Error(`no sample ${name} ${JSON.stringify(labels)}`);
    return Number(sample.value);
  }
  histogramCount(name: string): number {
    return Number(this.family(name).metrics[0]!.count);
  }
}

async function scrape(t: TestApp): Promise<Scrape> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return new Scrape(parsePrometheusTextFormat(res.body));
}

for (const engine of ENGINES) {
  describe(`GET /metrics (${engine})`, () => {
    const clock = new ManualClock(Date.now());
    let t: TestApp;
    let receiver: Receiver;
    let owner: Caller;
    let background: BackgroundWork | null = null;
    beforeAll(async () => {
      t = await createTestApp(engine, {
        clock,
        env: { SVARBUD_ALLOW_CIDRS: '127.0.0.0/8', SVARBUD_RETRY_SCHEDULE: '0,3600' },
      });
      receiver = await startReceiver();
      owner = await signUpCaller(t.app);
    });
    afterAll(async () => {
      await background?.stop();
      await receiver.close();
      await t.close();
    });

    it('moves as runs are created, sent, retried and failed', async () => {
      const fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      const automation = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: 'M',
          url: receiver.urlFor('/m'),
          variables: { mode: 'all' },
          labels: 'auto',
        },
      });
      expect(automation.statusCode).toBe(201);
      const submit = async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${fx.survey.id}/responses`,
          headers: owner.bearer,
          payload: { respondent: { firstName: 'K', lastName: 'N', email: 'k@example.com' }, answers: {} },
        });
        expect(res.statusCode).toBe(201);
      };
      const fresh = async () => {
        clock.advance(6000); // past the 5 s the database's figures are cached
        return scrape(t);
      };

      const s0 = await scrape(t);
      for (const name of CONTRACT) expect(s0.family(name).name).toBe(name);
      expect(s0.families.some((f) => f.name === 'process_cpu_user_seconds_total')).toBe(true);
      expect(s0.families.some((f) => f.name.startsWith('nodejs_'))).toBe(true);
      expect(s0.family('svarbud_attempts_total').type).toBe('COUNTER');
      expect(s0.family('svarbud_attempt_duration_seconds').type).toBe('HISTOGRAM');
      expect(s0.value('svarbud_runs', { status: 'scheduled' })).toBe(0);
      expect(s0.value('svarbud_due_runs')).toBe(0);

      // Created, not yet sent (no dispatcher runs yet): the queue and its lag.
      for (let i = 0; i < 3; i++) await submit();
      const s1 = await fresh();
      expect(s1.value('svarbud_responses_total') - s0.value('svarbud_responses_total')).toBe(3);
      // Each stored response is at least its transaction's statements (more from other work meanwhile).
      expect(
        s1.value('svarbud_db_queries_total') - s0.value('svarbud_db_queries_total'),
      ).toBeGreaterThanOrEqual(3);
      expect(s1.value('svarbud_runs', { status: 'scheduled' })).toBe(3);
      expect(s1.value('svarbud_due_runs')).toBe(3);
      expect(s1.value('svarbud_oldest_due_run_age_seconds')).toBeGreaterThanOrEqual(6);

      // Sent.
      background = await startBackgroundWork(t.ctx, t.database);
      await until(async () => (await runStatusCounts(t)).succeeded === 3, 20_000, 'three runs sent');
      await background.dispatcher.idle();
      const s2 = await fresh();
      const outcome = (s: Scrape, o: string) => s.value('svarbud_attempts_total', { outcome: o });
      expect(outcome(s2, 'succeeded') - outcome(s1, 'succeeded')).toBe(3);
      expect(
        s2.histogramCount('svarbud_attempt_duration_seconds') -
          s1.histogramCount('svarbud_attempt_duration_seconds'),
      ).toBe(3);
      expect(s2.value('svarbud_runs', { status: 'succeeded' })).toBe(3);
      expect(s2.value('svarbud_runs', { status: 'scheduled' })).toBe(0);
      expect(s2.value('svarbud_due_runs')).toBe(0);
      expect(s2.value('svarbud_oldest_due_run_age_seconds')).toBe(0);
      expect(s2.value('svarbud_deliveries_in_flight')).toBe(0);

      // A 500: the run waits for its next attempt (an hour away), so it is scheduled but not due.
      receiver.reply({ status: 500, body: 'down' });
      await submit();
      await until(
        async () => outcome(await scrape(t), 'retry') - outcome(s2, 'retry') === 1,
        20_000,
        'a retry',
      );
      await background.dispatcher.idle();
      const s3 = await fresh();
      expect(s3.value('svarbud_runs', { status: 'scheduled' })).toBe(1);
      expect(s3.value('svarbud_due_runs')).toBe(0);

      // A 410: the run fails at once and the automation is disabled ("gone").
      receiver.reply({ status: 410, body: 'gone' });
      await submit();
      await until(
        async () => outcome(await scrape(t), 'failed') - outcome(s3, 'failed') === 1,
        20_000,
        'a failure',
      );
      await background.dispatcher.idle();
      const s4 = await fresh();
      expect(s4.value('svarbud_runs', { status: 'failed' })).toBe(1);
      expect(s4.value('svarbud_automations_disabled', { reason: 'gone' })).toBe(1);
      expect(s4.value('svarbud_automations_disabled', { reason: 'manual' })).toBe(0);
      expect(s4.value('svarbud_outbox_pending')).toBeGreaterThanOrEqual(0);
    }, 60_000);

    it('reads the database at most once per TTL, however often it is scraped', async () => {
      const c = new ManualClock(Date.now());
      const cache = new QueueStatsCache(t.ctx.db, () => c.now(), 5000);
      const before = await cache.get();
      const fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      const a = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: 'Held',
          url: 'https://hooks.example.com/x',
          variables: { mode: 'all' },
          labels: 'auto',
          enabled: false,
        },
      });
      expect(a.statusCode).toBe(201);
      await insertDueRuns(t.ctx.db, { orgId: owner.orgId, automationIds: [a.json().id], perAutomation: 4 });
      c.advance(4000);
      const cached = await Promise.all([cache.get(), cache.get(), cache.get()]);
      for (const v of cached) expect(v).toBe(before);
      c.advance(2000);
      const after = await cache.get();
      expect(after.runs.scheduled ?? 0).toBe((before.runs.scheduled ?? 0) + 4);
      // Runs of a disabled automation are not due: they are not the queue's lag.
      expect(after.dueRuns).toBe(before.dueRuns);
    });
  });

  describe(`GET /metrics access (${engine})`, () => {
    let open: TestApp;
    let guarded: TestApp;
    const TOKEN = 'metrics-token-0123456789';
    beforeAll(async () => {
      open = await createTestApp(engine);
      guarded = await createTestApp(engine, { env: { SVARBUD_METRICS_TOKEN: TOKEN } });
    });
    afterAll(async () => {
      await open.close();
      await guarded.close();
    });

    it('without a token: loopback clients only; anyone else (or anything relayed by a proxy) gets 404', async () => {
      for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
        const res = await open.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
        expect(res.statusCode, remoteAddress).toBe(200);
      }
      for (const remoteAddress of ['10.0.0.5', '203.0.113.9', '2001:db8::1']) {
        const res = await open.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
        expect(res.statusCode, remoteAddress).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
      const proxied = await open.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(proxied.statusCode).toBe(404);
    });

    it('with SVARBUD_METRICS_TOKEN: the bearer token from anywhere, 401 without it', async () => {
      const none = await guarded.app.inject({ method: 'GET', url: '/metrics' });
      expect(none.statusCode).toBe(401);
      expect(none.json().error.code).toBe('UNAUTHENTICATED');
      const wrong = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}x` },
      });
      expect(wrong.statusCode).toBe(401);
      const right = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '203.0.113.9',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(right.statusCode).toBe(200);
      expect(right.body).toContain('svarbud_due_runs');
    });

    it('is not in the OpenAPI document', async () => {
      const doc = (await open.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(Object.keys(doc.paths)).not.toContain('/metrics');
      expect(Object.keys(doc.paths)).not.toContain('/readyz');
    });
  });
}
