// Delivery benchmark (npm run bench -- delivery [--sqlite|--postgres]):
//   ceiling — a bare undici loop posting the same bodies to the same loopback receiver (256 in flight);
//   drain   — 50 000 due runs across 50 automations, delivered by a real worker process;
//   steady  — responses submitted through the HTTP API at 1 000/s for 30 s (after 5 s at that rate, not
//             counted), then at half the rate the API answered, and on PostgreSQL at 50/s:
//             completion→receipt latency and the serve process's CPU per response. BENCH_STEADY_RATE=n runs
//             one steady phase at n/s instead; --only=drain|steady runs one part.
// The receiver runs in its own process; the worker's peak RSS is read from /proc (VmHWM).
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createApiKey } from '../src/accounts/accounts.service.js';
import { insertOrganizationWithUser } from '../src/accounts/accounts.store.js';
import { createAutomation } from '../src/automations/automations.service.js';
import { renderMessage, sampleResponse } from '../src/automations/message.js';
import { systemClock } from '../src/clock.js';
import type { AppContext } from '../src/context.js';
import type { Engine } from '../src/db/connect.js';
import { recordedHeaders } from '../src/delivery/sent-headers.js';
import { deliveryHeaders, generateSigningSecret } from '../src/delivery/signing.js';
import { createThreadedSender } from '../src/delivery/threaded-sender.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import type { Sender } from '../src/delivery/http-sender.js';
import { newId } from '../src/ids.js';
import { USER_AGENT } from '../src/version.js';
import { createLogger } from '../src/logger.js';
import { TEST_SECRET_KEY, testConfig } from '../test/helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../test/helpers/db.js';
import { startSvarbud, type SvarbudProcess } from '../test/helpers/processes.js';
import { insertDueRuns } from '../test/helpers/runs.js';
import { createSurveyFixture, fixtureDefinition, type SurveyFixture } from '../test/helpers/surveys.js';

const DRAIN_RUNS = Number(process.env.BENCH_DRAIN_RUNS ?? 50_000);
const DRAIN_AUTOMATIONS = 50;
const STEADY_RATE = Number(process.env.BENCH_STEADY_RATE ?? 1000);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 30);
// Submitted at the same rate before the measured seconds and not counted: JIT compilation, first
// connections and first pages of the database happen there (reported with the figures).
const STEADY_WARMUP_SECONDS = Number(process.env.BENCH_STEADY_WARMUP_SECONDS ?? 5);
const CONCURRENCY = 256; // the worker's default global in-flight cap

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return NaN;
  }
}

// --- receiver process -------------------------------------------------------------------------------
export interface ReceiverProcess {
  child: ChildProcess;
  url: string;
  ask<T>(type: string, reply: string): Promise<T>;
}

export async function startReceiverProcess(): Promise<ReceiverProcess> {
  const child = fork(fileURLToPath(new URL('./receiver-process.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { type: string; port: number }) => resolve(m.port)),
  );
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    ask: <T>(type: string, reply: string) =>
      new Promise<T>((resolve) => {
        const onMessage = (m: { type: string } & Record<string, unknown>) => {
          if (m.type === reply) {
            child.off('message', onMessage);
            resolve(m as T);
          }
        };
        child.on('message', onMessage);
        child.send({ type });
      }),
  };
}

export async function receivedCount(r: ReceiverProcess): Promise<number> {
  return (await r.ask<{ count: number }>('count', 'count')).count;
}

export async function takeArrivals(r: ReceiverProcess): Promise<[string, number][]> {
  return (await r.ask<{ arrivals: [string, number][] }>('take', 'arrivals')).arrivals;
}

// --- fixtures ---------------------------------------------------------------------------------------
export interface Setup {
  database: TestDatabase;
  ctx: AppContext;
  orgId: string;
  apiKey: string;
  fx: SurveyFixture;
  automationIds: string[];
}

export async function setUp(engine: Engine, receiverUrl: string, automations: number): Promise<Setup> {
  const database = await openTestDatabase(engine);
  const config = testConfig({ SVARBUD_ALLOW_CIDRS: '127.0.0.0/8' });
  const ctx: AppContext = {
    db: database.db,
    engine,
    queue: database.queue,
    config,
    clock: systemClock,
    log: createLogger('silent'),
    secretKey: TEST_SECRET_KEY,
  };
  const t = Date.now();
  const orgId = newId('org', t);
  await insertOrganizationWithUser(
    ctx.db,
    { id: orgId, name: 'Bench', created_at: t },
    {
      id: newId('usr', t),
      org_id: orgId,
      email: `bench-${t}@example.com`,
      name: 'Bench',
      password_hash: 'x',
      created_at: t,
    },
  );
  const apiKey = (await createApiKey(ctx, orgId, null, 'bench')).key;
  const fx = await createSurveyFixture(ctx.db, orgId, { title: 'Benchmark survey' });
  const automationIds: string[] = [];
  for (let i = 0; i < automations; i++) {
    const a = await createAutomation(ctx, orgId, {
      surveyId: fx.survey.id,
      name: `Bench ${i}`,
      url: `${receiverUrl}/a${i}`,
      variables: { mode: 'all' },
      labels: 'auto',
    });
    automationIds.push(a.id);
  }
  return { database, ctx, orgId, apiKey, fx, automationIds };
}

export function sampleBody(fx: SurveyFixture): string {
  return renderMessage(
    'survey.response.completed',
    fx.survey,
    sampleResponse(fx.survey.definition, false, Date.now()),
    {
      variables: { mode: 'all' },
      labels: 'auto',
      answerFormat: 'text',
    },
  );
}

export const childEnv = (database: TestDatabase): Record<string, string> => ({
  DATABASE_URL: database.url,
  SVARBUD_ALLOW_CIDRS: '127.0.0.0/8',
  LOG_LEVEL: 'warn',
  // Any SVARBUD_* setting given to the benchmark applies to the processes it starts.
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith('SVARBUD_') && e[1] !== undefined,
    ),
  ),
});

// --- ceiling ----------------------------------------------------------------------------------------
export async function measureCeiling(
  receiver: ReceiverProcess,
  body: string,
  total: number,
): Promise<number> {
  const pool = new Pool(receiver.url, { connections: CONCURRENCY, keepAliveTimeout: 4_000 });
  let next = 0;
  const started = now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const res = await pool.request({
        method: 'POST',
        path: `/a${i % DRAIN_AUTOMATIONS}`,
        headers: { 'content-type': 'application/json', 'webhook-id': `ceiling_${i}` },
        body,
      });
      await res.body.dump();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (now() - started) / 1000;
  await pool.close();
  await takeArrivals(receiver);
  return total / seconds;
}

// --- the sending path alone -------------------------------------------------------------------------
/**
 * What a worker does for each delivery apart from the database, at the ceiling's concurrency: sign the
 * message and build its headers, hand it to the sending thread (the worker's own sender), keep the stored
 * copy of the headers. No claim, no record. It shows how much of the ceiling is left for the database on
 * this machine: the drain cannot be faster than this.
 */
export async function measureSendingPath(
  receiver: ReceiverProcess,
  body: string,
  total: number,
): Promise<number> {
  const sender = createThreadedSender({
    connectTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    allowCidrs: ['127.0.0.0/8'],
    userAgent: USER_AGENT,
  });
  const settings = { headers: {}, secrets: [generateSigningSecret()] };
  const url = (i: number) => `${receiver.url}/a${i % DRAIN_AUTOMATIONS}`;
  // The thread starts (and its first connections open) before the clock runs.
  await sender.send({ url: url(0), headers: deliveryHeaders('warm', body, settings, Date.now()), body });
  let next = 0;
  let kept = 0;
  const started = now();
  const loop = async () => {
    while (next < total) {
      const i = next++;
      const headers = deliveryHeaders(`sending_${i}`, body, settings, Date.now());
      const result = await sender.send({ url: url(i), headers, body });
      if (!result.ok) throw new Error(`sending path: ${result.error?.message ?? result.statusCode}`);
      kept += recordedHeaders(headers).length > 0 ? 1 : 0;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const seconds = (now() - started) / 1000;
  await sender.close();
  await takeArrivals(receiver);
  return kept / seconds;
}

/** Waits until `total` runs of the benchmark's database have succeeded. */
async function untilSucceeded(s: Setup, total: number): Promise<void> {
  for (;;) {
    const row = await s.ctx.db
      .selectFrom('runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'succeeded')
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= total) return;
    await sleep(50);
  }
}

// --- the database path alone ------------------------------------------------------------------------
/**
 * The other half of a delivery: the real dispatcher (claims, capacity ledger, signing, batched records,
 * streaks) draining due runs in this process with a sender that answers 200 at once — no HTTP, no
 * receiver. With the sending path above it bounds the drain: both share this machine's cores.
 */
export async function measureDatabasePath(engine: Engine): Promise<{ perSecond: number; cpuMs: number }> {
  const s = await setUp(engine, 'http://127.0.0.1:9', DRAIN_AUTOMATIONS);
  const body = sampleBody(s.fx);
  const perAutomation = Math.ceil(DRAIN_RUNS / DRAIN_AUTOMATIONS);
  await insertDueRuns(s.ctx.db, {
    orgId: s.orgId,
    automationIds: s.automationIds,
    perAutomation,
    body: () => body,
  });
  const total = perAutomation * DRAIN_AUTOMATIONS;
  const answered: Sender = {
    send: () =>
      Promise.resolve({
        ok: true,
        statusCode: 200,
        durationMs: 0,
        error: null,
        responseHeaders: null,
        responseBody: 'ok',
        retryAfterMs: null,
      }),
    close: () => Promise.resolve(),
  };
  const dispatcher = new Dispatcher(s.ctx, { sender: answered });
  const started = now();
  const cpuBefore = process.cpuUsage();
  await dispatcher.start();
  await untilSucceeded(s, total);
  const seconds = (now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await dispatcher.stop();
  await s.database.destroy();
  return { perSecond: total / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / total };
}

// --- drain ------------------------------------------------------------------------------------------
interface DrainResult {
  perSecond: number;
  recordedPerSecond: number;
  rssMb: number;
  /** CPU of the delivering processes (all workers) per delivery. */
  workerCpuMsPerDelivery: number;
  /** CPU of every PostgreSQL server process per delivery (the machine's whole server). */
  pgCpuMsPerDelivery: number;
  /** Transactions committed or rolled back in the database per delivery (claims, records, heartbeats …). */
  pgTransactionsPerDelivery: number;
  /** Statements the delivering processes ran per delivery (svarbud_db_queries_total; PostgreSQL round trips). */
  queriesPerDelivery: number;
}

/** svarbud_db_queries_total of a process, read from its /metrics (loopback needs no token). */
async function queriesOf(p: SvarbudProcess): Promise<number> {
  if (!p.url) return NaN;
  const text = await (await fetch(`${p.url}/metrics`)).text();
  return Number(/^svarbud_db_queries_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** CPU seconds (user + system) of a process so far, from /proc (NaN when it is gone). */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (CLK_TCK 100)
  } catch {
    return NaN;
  }
}

/** CPU seconds of every PostgreSQL server process on this machine (backends, WAL writer, checkpointer …). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const cpu = cpuSeconds(Number(entry));
    if (!Number.isNaN(cpu)) total += cpu;
  }
  return total;
}

async function postgresTransactions(s: Setup): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`.execute(
    s.ctx.db,
  );
  return Number(rows[0]?.n ?? 0);
}

async function measureDrain(engine: Engine, receiver: ReceiverProcess, workers = 1): Promise<DrainResult> {
  const s = await setUp(engine, receiver.url, DRAIN_AUTOMATIONS);
  const body = sampleBody(s.fx);
  await insertDueRuns(s.ctx.db, {
    orgId: s.orgId,
    automationIds: s.automationIds,
    perAutomation: Math.ceil(DRAIN_RUNS / DRAIN_AUTOMATIONS),
    body: () => body,
  });
  const total = Math.ceil(DRAIN_RUNS / DRAIN_AUTOMATIONS) * DRAIN_AUTOMATIONS;
  await takeArrivals(receiver);
  const processes = await Promise.all(
    Array.from({ length: engine === 'sqlite' ? 1 : workers }, () =>
      startSvarbud(engine === 'sqlite' ? 'serve' : 'worker', {
        ...childEnv(s.database),
        SVARBUD_WORKER_PORT: '0', // its /metrics, for the statements it runs
      }),
    ),
  );
  const worker = processes[0]!;
  const pgCpuBefore = engine === 'postgres' ? postgresCpuSeconds() : NaN;
  const pgTxBefore = engine === 'postgres' ? await postgresTransactions(s) : NaN;
  const workerCpuBefore = processes.reduce((n, p) => n + cpuSeconds(p.child.pid), 0);
  const queriesBefore = (await Promise.all(processes.map(queriesOf))).reduce((a, b) => a + b, 0);
  while ((await receivedCount(receiver)) < total) await sleep(100);
  const arrivals = await takeArrivals(receiver);
  const first = Math.min(...arrivals.map((a) => a[1]));
  const last = Math.max(...arrivals.map((a) => a[1]));
  await untilSucceeded(s, total);
  const recorded = now();
  const rssMb = peakRssMb(worker.child.pid);
  const queries = (await Promise.all(processes.map(queriesOf))).reduce((a, b) => a + b, 0) - queriesBefore;
  const workerCpu = processes.reduce((n, p) => n + cpuSeconds(p.child.pid), 0) - workerCpuBefore;
  const pgCpu = engine === 'postgres' ? postgresCpuSeconds() - pgCpuBefore : NaN;
  const pgTx = engine === 'postgres' ? (await postgresTransactions(s)) - pgTxBefore : NaN;
  await Promise.all(processes.map((p) => p.kill('SIGTERM')));
  await s.database.destroy();
  return {
    perSecond: total / ((last - first) / 1000),
    recordedPerSecond: total / ((recorded - first) / 1000),
    rssMb,
    workerCpuMsPerDelivery: (workerCpu * 1000) / total,
    pgCpuMsPerDelivery: (pgCpu * 1000) / total,
    pgTransactionsPerDelivery: pgTx / total,
    queriesPerDelivery: queries / total,
  };
}

// --- steady -----------------------------------------------------------------------------------------
interface SteadyResult {
  submitted: number;
  achievedRate: number;
  /** Responses answered per second, first submission to last answer: the API's rate when it saturates. */
  answeredRate: number;
  p50: number;
  p99: number;
  max: number;
  apiP99: number;
  lost: number;
  rssMb: number;
  /** CPU of the `serve` process over the measured phase, per response (on SQLite it also delivers). */
  apiCpuMsPerResponse: number;
}

export function listeningPort(p: SvarbudProcess): number {
  const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(p.output());
  if (!m) throw new Error(`no listening address in:\n${p.output()}`);
  return Number(m[1]);
}

async function measureSteady(
  engine: Engine,
  receiver: ReceiverProcess,
  rate = STEADY_RATE,
): Promise<SteadyResult> {
  const s = await setUp(engine, receiver.url, 1);
  // PostgreSQL: an API-only node and one worker, so the API process's CPU is the API's alone.
  const serve = await startSvarbud('serve', {
    ...childEnv(s.database),
    ...(engine === 'postgres' ? { SVARBUD_WORKER: 'off' } : {}),
  });
  const worker = engine === 'postgres' ? await startSvarbud('worker', childEnv(s.database)) : null;
  const api = new Pool(`http://127.0.0.1:${listeningPort(serve)}`, { connections: 64 });
  const payload = JSON.stringify({
    respondent: { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com' },
    answers: { [s.fx.ids.single]: 2, [s.fx.ids.text]: 'Flott!', [s.fx.ids.scale]: 4 },
  });
  await takeArrivals(receiver);
  const sentAt = new Map<string, number>();
  const apiLatency: number[] = [];
  let lastAnswerAt = 0;
  let failures = 0;
  const submit = async () => {
    const t0 = now();
    const res = await api.request({
      method: 'POST',
      path: `/api/v1/surveys/${s.fx.survey.id}/responses`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.apiKey}` },
      body: payload,
    });
    const json = (await res.body.json()) as { runs?: { id: string }[] };
    apiLatency.push(now() - t0);
    lastAnswerAt = now();
    if (res.statusCode !== 201 || !json.runs?.[0]) failures += 1;
    else sentAt.set(json.runs[0].id, t0);
  };
  const submitFor = async (seconds: number): Promise<void> => {
    const pending: Promise<void>[] = [];
    const count = Math.round(rate * seconds);
    const begin = now();
    for (let i = 0; i < count; i++) {
      const due = begin + (i * 1000) / rate;
      const wait = due - now();
      if (wait > 1) await sleep(wait);
      pending.push(submit());
    }
    await Promise.all(pending);
  };
  if (STEADY_WARMUP_SECONDS > 0) {
    await submitFor(STEADY_WARMUP_SECONDS);
    const deadline = now() + 30_000;
    while ((await receivedCount(receiver)) < sentAt.size && now() < deadline) await sleep(100);
    await takeArrivals(receiver);
    sentAt.clear();
    apiLatency.length = 0;
    failures = 0;
  }
  const total = Math.round(rate * STEADY_SECONDS);
  const apiCpuBefore = cpuSeconds(serve.child.pid);
  const start = now();
  await submitFor(STEADY_SECONDS);
  const elapsed = (now() - start) / 1000;
  const apiCpu = cpuSeconds(serve.child.pid) - apiCpuBefore;
  const deadline = now() + 30_000;
  while ((await receivedCount(receiver)) < sentAt.size && now() < deadline) await sleep(100);
  const arrivals = await takeArrivals(receiver);
  const latencies: number[] = [];
  for (const [id, at] of arrivals) {
    const t0 = sentAt.get(id);
    if (t0 !== undefined) latencies.push(at - t0);
  }
  latencies.sort((a, b) => a - b);
  apiLatency.sort((a, b) => a - b);
  const rssMb = Math.max(peakRssMb(serve.child.pid), worker ? peakRssMb(worker.child.pid) : 0);
  await api.close();
  await serve.kill('SIGTERM');
  await worker?.kill('SIGTERM');
  await s.database.destroy();
  return {
    submitted: total - failures,
    achievedRate: total / elapsed,
    answeredRate: (total - failures) / ((lastAnswerAt - start) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    apiP99: percentile(apiLatency, 99),
    lost: sentAt.size - latencies.length,
    rssMb,
    apiCpuMsPerResponse: (apiCpu * 1000) / Math.max(1, total - failures),
  };
}

const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);

function steadyLine(engine: Engine, label: string, r: SteadyResult): string {
  return (
    `${engine} steady ${label}: ${r.submitted} responses offered at ${r.achievedRate.toFixed(0)}/s, answered at ${r.answeredRate.toFixed(0)}/s; completion→receipt ` +
    `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; API p99 ${r.apiP99.toFixed(1)} ms; ` +
    `serve CPU ${r.apiCpuMsPerResponse.toFixed(2)} ms/response; not received ${r.lost}; peak RSS ${r.rssMb} MB`
  );
}

export async function main(args: string[]): Promise<void> {
  const engines: Engine[] = args.includes('--sqlite')
    ? ['sqlite']
    : args.includes('--postgres')
      ? ['postgres']
      : ['sqlite', 'postgres'];
  const receiver = await startReceiverProcess();
  try {
    const body = fixtureBody();
    const ceiling = await measureCeiling(receiver, body, DRAIN_RUNS);
    console.log(`ceiling (bare undici, ${CONCURRENCY} in flight): ${ceiling.toFixed(0)} requests/s`);
    const sending = await measureSendingPath(receiver, body, DRAIN_RUNS);
    console.log(
      `sending path without a database (signing, sending thread, headers kept): ${sending.toFixed(0)} deliveries/s ` +
        `(${(sending / ceiling).toFixed(2)} × ceiling) — the most a drain can reach on this machine`,
    );
    const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
    for (const engine of engines) {
      if (only !== 'steady') {
        const database = await measureDatabasePath(engine);
        console.log(
          `${engine} database path without HTTP (the dispatcher with a sender that answers at once, in one process): ` +
            `${database.perSecond.toFixed(0)} deliveries/s (${(database.perSecond / ceiling).toFixed(2)} × ceiling), ` +
            `CPU of this process ${database.cpuMs.toFixed(3)} ms/delivery`,
        );
      }
      for (const workers of only === 'steady' ? [] : engine === 'sqlite' ? [1] : WORKER_COUNTS) {
        const drain = await measureDrain(engine, receiver, workers);
        const who = engine === 'sqlite' ? 'serve' : `${workers} worker${workers === 1 ? '' : 's'}`;
        console.log(
          `${engine} drain (${who}): ${drain.perSecond.toFixed(0)} deliveries/s (${(drain.perSecond / ceiling).toFixed(2)} × ceiling); ` +
            `recorded in the database: ${drain.recordedPerSecond.toFixed(0)}/s (${(drain.recordedPerSecond / ceiling).toFixed(2)} × ceiling); ` +
            `worker CPU ${drain.workerCpuMsPerDelivery.toFixed(3)} ms/delivery, ${drain.queriesPerDelivery.toFixed(3)} statements/delivery` +
            (engine === 'postgres'
              ? `; PostgreSQL CPU ${drain.pgCpuMsPerDelivery.toFixed(3)} ms/delivery, ${drain.pgTransactionsPerDelivery.toFixed(3)} transactions/delivery`
              : '') +
            `; worker peak RSS ${drain.rssMb} MB`,
        );
      }
      if (only === 'drain') continue;
      if (process.env.BENCH_STEADY_RATE) {
        console.log(steadyLine(engine, `at ${STEADY_RATE}/s`, await measureSteady(engine, receiver)));
        continue;
      }
      // Saturation first (the rate the API sustains), then half of it; PostgreSQL also at 50/s.
      const saturated = await measureSteady(engine, receiver);
      console.log(steadyLine(engine, `at ${STEADY_RATE}/s offered`, saturated));
      const half = Math.max(10, Math.round(Math.min(STEADY_RATE, saturated.answeredRate) / 2));
      console.log(
        steadyLine(engine, `at ${half}/s (half of saturation)`, await measureSteady(engine, receiver, half)),
      );
      if (engine === 'postgres') {
        console.log(steadyLine(engine, 'at 50/s', await measureSteady(engine, receiver, 50)));
      }
    }
  } finally {
    receiver.child.send({ type: 'stop' });
  }
}

/** The rendered message of a response to the fixture survey (same shape and size as the deliveries). */
export function fixtureBody(): string {
  const { definition } = fixtureDefinition();
  const t = Date.now();
  const survey = { id: 'srv_bench', title: 'Benchmark survey', definition };
  return renderMessage('survey.response.completed', survey, sampleResponse(definition, false, t), {
    variables: { mode: 'all' },
    labels: 'auto',
    answerFormat: 'text',
  });
}
