// Release benchmark (npm run bench -- release [--sqlite|--postgres]): the paths owners use after an outage.
//   ceiling — a bare undici loop posting the same bodies to the same loopback receiver (256 in flight);
//   enable  — 10 automations disabled by failures, each holding 2 000 scheduled runs, enabled through the API;
//   replay  — 10 automations with 2 000 failed runs each, "replay all failed" (filter) through the API;
//   retries — 20 000 runs whose next retry comes due at the same moment while the worker runs.
// Each figure is first-to-last receipt at the receiver, as a ratio to the ceiling of the same run.
import { Pool } from 'undici';
import type { Engine } from '../src/db/connect.js';
import { startSvarbud, type SvarbudProcess } from '../test/helpers/processes.js';
import { insertDueRuns } from '../test/helpers/runs.js';
import {
  childEnv,
  listeningPort,
  measureCeiling,
  receivedCount,
  sampleBody,
  setUp,
  startReceiverProcess,
  takeArrivals,
  fixtureBody,
  type ReceiverProcess,
  type Setup,
} from './delivery.js';

const AUTOMATIONS = 10;
const PER_AUTOMATION = Number(process.env.BENCH_RELEASE_RUNS_PER_AUTOMATION ?? 2000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Scenario = 'enable' | 'replay' | 'retries';

async function prepare(s: Setup, scenario: Scenario): Promise<number> {
  const body = sampleBody(s.fx);
  const now = Date.now();
  await insertDueRuns(s.ctx.db, {
    orgId: s.orgId,
    automationIds: s.automationIds,
    perAutomation: PER_AUTOMATION,
    body: () => body,
    now: now - 60_000,
  });
  if (scenario === 'enable') {
    await s.ctx.db
      .updateTable('automations')
      .set({ enabled: 0, disabled_reason: 'failures', disabled_at: now, failure_streak: 5 })
      .execute();
  } else if (scenario === 'replay') {
    await s.ctx.db
      .updateTable('runs')
      .set({ status: 'failed', attempts: 7, next_attempt_at: null, status_changed_at: now })
      .execute();
  } else {
    // Their first attempt failed; the next is due a few seconds after the worker has started.
    await s.ctx.db
      .updateTable('runs')
      .set({ attempts: 1, next_attempt_at: now + 8_000 })
      .execute();
  }
  return AUTOMATIONS * PER_AUTOMATION;
}

async function release(s: Setup, scenario: Scenario, serve: SvarbudProcess): Promise<void> {
  if (scenario === 'retries') return;
  const api = new Pool(`http://127.0.0.1:${listeningPort(serve)}`, { connections: AUTOMATIONS });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${s.apiKey}` };
  await Promise.all(
    s.automationIds.map(async (id) => {
      const res =
        scenario === 'enable'
          ? await api.request({
              method: 'PATCH',
              path: `/api/v1/automations/${id}`,
              headers,
              body: JSON.stringify({ enabled: true }),
            })
          : await api.request({
              method: 'POST',
              path: `/api/v1/automations/${id}/runs/replay`,
              headers,
              body: JSON.stringify({ filter: { status: ['failed'] } }),
            });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`${scenario} ${id}: ${res.statusCode} ${text}`);
    }),
  );
  await api.close();
}

async function measure(engine: Engine, receiver: ReceiverProcess, scenario: Scenario): Promise<number> {
  const s = await setUp(engine, receiver.url, AUTOMATIONS);
  const total = await prepare(s, scenario);
  await takeArrivals(receiver);
  // PostgreSQL: an API node and one worker (serve would deliver too otherwise).
  const serve = await startSvarbud(
    'serve',
    engine === 'postgres' ? { ...childEnv(s.database), SVARBUD_WORKER: 'off' } : childEnv(s.database),
  );
  const worker = engine === 'postgres' ? await startSvarbud('worker', childEnv(s.database)) : null;
  try {
    await release(s, scenario, serve);
    const deadline = Date.now() + 300_000;
    while ((await receivedCount(receiver)) < total) {
      if (Date.now() > deadline)
        throw new Error(`${scenario}: only ${await receivedCount(receiver)} of ${total}`);
      await sleep(100);
    }
    const arrivals = await takeArrivals(receiver);
    const first = Math.min(...arrivals.map((a) => a[1]));
    const last = Math.max(...arrivals.map((a) => a[1]));
    return total / ((last - first) / 1000);
  } finally {
    await worker?.kill('SIGTERM');
    await serve.kill('SIGTERM');
    await s.database.destroy();
  }
}

export async function main(args: string[]): Promise<void> {
  const engines: Engine[] = args.includes('--sqlite')
    ? ['sqlite']
    : args.includes('--postgres')
      ? ['postgres']
      : ['sqlite', 'postgres'];
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const scenarios = (['enable', 'replay', 'retries'] as Scenario[]).filter((s) => !only || s === only);
  const receiver = await startReceiverProcess();
  try {
    const ceiling = await measureCeiling(receiver, fixtureBody(), AUTOMATIONS * PER_AUTOMATION);
    console.log(`ceiling (bare undici, 256 in flight): ${ceiling.toFixed(0)} requests/s`);
    for (const engine of engines) {
      for (const scenario of scenarios) {
        const rate = await measure(engine, receiver, scenario);
        console.log(
          `${engine} ${scenario}: ${AUTOMATIONS} × ${PER_AUTOMATION} runs at ${rate.toFixed(0)} deliveries/s ` +
            `(${(rate / ceiling).toFixed(2)} × ceiling)`,
        );
      }
    }
  } finally {
    receiver.child.send({ type: 'stop' });
  }
}
