// Crash safety and many workers, with real processes: runs are never lost, and never in flight twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/db.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { startSvarbud, type SvarbudProcess } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { insertDueRuns } from './helpers/runs.js';
import { createSurveyFixture } from './helpers/surveys.js';

async function createAutomations(
  t: TestApp,
  owner: Caller,
  receiver: Receiver,
  count: number,
): Promise<string[]> {
  const fx = await createSurveyFixture(t.ctx.db, owner.orgId);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/automations',
      headers: owner.bearer,
      payload: {
        type: 'outgoing_webhook',
        surveyId: fx.survey.id,
        name: `A${i}`,
        url: receiver.urlFor(`/a${i}`),
        variables: { mode: 'all' },
        labels: 'auto',
      },
    });
    ids.push(res.json().id);
  }
  return ids;
}

async function statusCounts(t: TestApp): Promise<Record<string, number>> {
  const rows = await t.ctx.db
    .selectFrom('runs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const childEnv = (t: TestApp) => ({
  DATABASE_URL: t.database.url,
  SVARBUD_ALLOW_CIDRS: '127.0.0.0/8',
  SVARBUD_REQUEST_TIMEOUT_MS: '2000',
  SVARBUD_CONNECT_TIMEOUT_MS: '500',
});

for (const engine of ENGINES) {
  describe(`a worker killed with SIGKILL mid-delivery (${engine})`, () => {
    let t: TestApp;
    let receiver: Receiver;
    const procs: SvarbudProcess[] = [];
    beforeAll(async () => {
      t = await createTestApp(engine);
      receiver = await startReceiver({ reply: { status: 200, body: 'ok', delayMs: 100 } });
    });
    afterAll(async () => {
      for (const p of procs) await p.kill('SIGKILL');
      await receiver.close();
      await t.close();
    });

    // The lease (request timeout + connect timeout + 10 s = 71 s) outlasts the test: only liveness can
    // free the killed process's runs in time — on SQLite the restarted process takes them back at
    // start-up; on PostgreSQL the surviving worker reclaims them once the dead one's beat is 3 s old.
    const env = () => ({
      ...childEnv(t),
      SVARBUD_REQUEST_TIMEOUT_MS: '60000',
      SVARBUD_CONNECT_TIMEOUT_MS: '1000',
    });
    const what =
      engine === 'sqlite'
        ? "a restarted serve takes back its predecessor's claims"
        : "a live worker takes over a dead worker's claims";
    it(`loses no run: ${what}; only in-flight runs are sent twice, same webhook-id`, async () => {
      const owner = await signUpCaller(t.app);
      const automations = await createAutomations(t, owner, receiver, 3);
      const command = engine === 'sqlite' ? 'serve' : 'worker';
      const first = await startSvarbud(command, env());
      procs.push(first);
      // PostgreSQL: a second worker runs beside it all along and must not need a restart.
      const peer = engine === 'postgres' ? await startSvarbud('worker', env()) : null;
      if (peer) procs.push(peer);
      const runIds = await insertDueRuns(t.ctx.db, {
        orgId: owner.orgId,
        automationIds: automations,
        perAutomation: 40,
      });
      await receiver.waitForRequests(20, 20_000);
      await first.kill('SIGKILL');
      const inFlight = new Set(
        (await t.ctx.db.selectFrom('runs').select('id').where('status', '=', 'running').execute()).map(
          (r) => r.id,
        ),
      );
      expect(inFlight.size).toBeGreaterThan(0);
      const second = peer ?? (await startSvarbud(command, env()));
      if (!peer) procs.push(second);
      await until(
        async () => (await statusCounts(t)).succeeded === runIds.length,
        30_000,
        'every run to succeed',
      );
      await second.kill('SIGTERM');

      const received = new Map<string, number>();
      for (const r of receiver.requests) {
        const id = String(r.headers['webhook-id']);
        received.set(id, (received.get(id) ?? 0) + 1);
      }
      for (const id of runIds) expect(received.get(id), id).toBeGreaterThanOrEqual(1);
      const duplicated = [...received].filter(([, n]) => n > 1).map(([id]) => id);
      for (const id of duplicated)
        expect(inFlight.has(id), `${id} was sent twice but was not in flight`).toBe(true);
      expect(await statusCounts(t)).toEqual({ succeeded: runIds.length });
    }, 90_000);
  });
}

describe('several PostgreSQL workers over 5 000 runs', () => {
  let t: TestApp;
  let receiver: Receiver;
  const procs: SvarbudProcess[] = [];
  beforeAll(async () => {
    t = await createTestApp('postgres');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await receiver.close();
    await t.close();
  });

  it('delivers each run exactly once, never two in flight at once, within the per-automation cap', async () => {
    const inFlightByRun = new Map<string, number>();
    const inFlightByPath = new Map<string, number>();
    let overlap = 0;
    let peakPerAutomation = 0;
    receiver.reply(async ({ request, res }) => {
      const id = String(request.headers['webhook-id']);
      if ((inFlightByRun.get(id) ?? 0) > 0) overlap += 1;
      inFlightByRun.set(id, (inFlightByRun.get(id) ?? 0) + 1);
      const n = (inFlightByPath.get(request.path) ?? 0) + 1;
      inFlightByPath.set(request.path, n);
      peakPerAutomation = Math.max(peakPerAutomation, n);
      await new Promise((r) => setTimeout(r, 2));
      inFlightByPath.set(request.path, inFlightByPath.get(request.path)! - 1);
      inFlightByRun.set(id, inFlightByRun.get(id)! - 1);
      res.end('ok');
    });
    const owner = await signUpCaller(t.app);
    const automations = await createAutomations(t, owner, receiver, 5);
    const runIds = await insertDueRuns(t.ctx.db, {
      orgId: owner.orgId,
      automationIds: automations,
      perAutomation: 1000,
    });
    expect(runIds).toHaveLength(5000);
    const workers = await Promise.all([0, 1, 2].map(() => startSvarbud('worker', childEnv(t))));
    procs.push(...workers);
    await until(async () => (await statusCounts(t)).succeeded === 5000, 120_000, '5 000 runs to succeed');
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));

    const seen = new Map<string, number>();
    for (const r of receiver.requests)
      seen.set(String(r.headers['webhook-id']), (seen.get(String(r.headers['webhook-id'])) ?? 0) + 1);
    expect(seen.size).toBe(5000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(overlap).toBe(0);
    expect(peakPerAutomation).toBeLessThanOrEqual(10);
    // Every worker took part.
    const attempts = await t.ctx.db
      .selectFrom('run_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(attempts.n)).toBe(5000);
  }, 150_000);
});
