// The database may go away (SPEC §13): a terminated session, a restart or a failover never ends a
// process; requests during the outage answer 503 UNAVAILABLE with Retry-After (never 500, never a hang);
// every loop carries on by itself, and every acknowledged response's runs are delivered.
import { createServer } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import type { AppContext } from '../src/context.js';
import { openDatabase } from '../src/db/connect.js';
import { isDatabaseUnavailable } from '../src/db/unavailable.js';
import { createLogger } from '../src/logger.js';
import { buildApp } from '../src/server.js';
import { createTestApp, signUpCaller, testConfig, TEST_SECRET_KEY, type TestApp } from './helpers/app.js';
import {
  childEnvFor,
  deliveriesById,
  setUpDelivery,
  submitOverHttp,
  until,
  type Submitted,
} from './helpers/ops.js';
import { withAdminClient } from './helpers/pg.js';
import { startSvarbud, type SvarbudProcess } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Terminates every session of the given processes (by their application_name); returns how many. */
async function terminateSessions(procs: SvarbudProcess[]): Promise<number> {
  const names = procs.map((p) => `svarbud-${p.role}-${p.child.pid}`);
  return withAdminClient(async (c) => {
    const { rows } = await c.query<{ ok: boolean }>(
      `select pg_terminate_backend(pid) as ok from pg_stat_activity
       where application_name = any($1) and pid <> pg_backend_pid()`,
      [names],
    );
    return rows.filter((r) => r.ok).length;
  });
}

describe('errors that mean "the database is away"', () => {
  it('are told apart from bugs', () => {
    for (const err of [
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
      new Error('wrapped', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }),
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(true);
    }
    for (const err of [
      new Error('boom'),
      Object.assign(new Error('duplicate key'), { code: '23505' }),
      Object.assign(new Error('syntax'), { code: '42601' }),
      Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }),
      null,
      'text',
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(false);
    }
  });
});

describe('a request while PostgreSQL cannot be reached', () => {
  it('answers 503 UNAVAILABLE with Retry-After, and /readyz says why', async () => {
    const port = await closedPort();
    const handle = await openDatabase({ engine: 'postgres', url: `postgres://postgres@127.0.0.1:${port}/x` });
    const config = testConfig();
    const ctx: AppContext = {
      db: handle.db,
      engine: 'postgres',
      queue: handle.queue,
      config,
      clock: systemClock,
      log: createLogger('silent'),
      secretKey: TEST_SECRET_KEY,
    };
    const app = await buildApp(ctx);
    try {
      const signup = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'a@example.com', password: 'whatever-long' },
      });
      expect(signup.statusCode).toBe(503);
      expect(signup.headers['retry-after']).toBe('5');
      expect(signup.json().error.code).toBe('UNAVAILABLE');
      const keyed = await app.inject({
        method: 'GET',
        url: '/api/v1/surveys',
        headers: { authorization: 'Bearer svb_whatever' },
      });
      expect(keyed.statusCode).toBe(503);
      expect(keyed.headers['retry-after']).toBe('5');
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.database.ok).toBe(false);
      // The process's own metrics are still there; the database's gauges are left out, not faked.
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('svarbud_attempts_total');
      expect(metrics.body).toContain('process_cpu_user_seconds_total');
      expect(metrics.body).not.toContain('svarbud_due_runs');
    } finally {
      await app.close();
      await handle.close();
    }
  });
});

describe('a request while the SQLite file is locked by another writer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('answers 503 UNAVAILABLE with Retry-After once busy_timeout has passed', async () => {
    const owner = await signUpCaller(t.app);
    const other = new BetterSqlite3(t.database.location);
    other.exec('begin immediate');
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: owner.session,
        payload: { name: 'while locked' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error.code).toBe('UNAVAILABLE');
    } finally {
      other.exec('rollback');
      other.close();
    }
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: owner.session,
      payload: { name: 'after' },
    });
    expect(after.statusCode).toBe(201);
  }, 30_000);
});

describe('PostgreSQL sessions terminated under load (serve + worker processes)', () => {
  let t: TestApp;
  let receiver: Receiver;
  const procs: SvarbudProcess[] = [];
  beforeAll(async () => {
    t = await createTestApp('postgres');
    receiver = await startReceiver({ reply: { status: 200, body: 'ok', delayMs: 20 } });
  });
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await receiver.close();
    await t.close();
  });

  it('no process exits, 503s carry Retry-After, and every acknowledged response is delivered', async () => {
    const setup = await setUpDelivery(t, receiver);
    const serve = await startSvarbud('serve', childEnvFor(t));
    const worker = await startSvarbud('worker', childEnvFor(t));
    procs.push(serve, worker);

    const results: Submitted[] = [];
    let loading = true;
    const clients = [0, 1, 2, 3].map(async () => {
      while (loading) results.push(await submitOverHttp(serve.url!, setup));
    });
    let terminated = 0;
    let rounds = 0;
    // Terminate every session of both processes, again and again, while responses keep coming.
    while (rounds < 12) {
      await new Promise((r) => setTimeout(r, 400));
      terminated += await terminateSessions([serve, worker]);
      rounds += 1;
    }
    loading = false;
    await Promise.all(clients);

    expect(terminated).toBeGreaterThan(10);
    // Both processes lived through it.
    expect(serve.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
    expect(serve.output() + worker.output()).not.toMatch(/Unhandled|uncaught/i);

    const statuses = new Map<number, number>();
    for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const refused = results.filter((r) => r.status !== 201);
    // Anything not accepted was a 503 UNAVAILABLE with Retry-After: never a 500, never a hang or reset.
    for (const r of refused) {
      expect(r.status, JSON.stringify(Object.fromEntries(statuses))).toBe(503);
      expect(r.code).toBe('UNAVAILABLE');
      expect(r.retryAfter).toBe('5');
    }
    const acknowledged = results.flatMap((r) => r.runIds);
    expect(acknowledged.length).toBeGreaterThan(20);

    // Every run of every acknowledged response reaches the receiver.
    await until(
      async () => {
        const seen = deliveriesById(receiver);
        return acknowledged.every((id) => seen.has(id));
      },
      60_000,
      'every acknowledged run to be delivered',
    );
    // And the processes are ready again by themselves: every loop resumed.
    await until(async () => (await fetch(`${serve.url}/readyz`)).status === 200, 30_000, 'serve ready');
    const after = await submitOverHttp(serve.url!, setup);
    expect(after.status).toBe(201);
    await until(async () => deliveriesById(receiver).has(after.runIds[0]!), 20_000, 'a delivery after');
    console.log(
      `outage test: ${results.length} submissions (${[...statuses].map(([s, n]) => `${n}×${s}`).join(', ')}), ` +
        `${terminated} sessions terminated in ${rounds} rounds`,
    );
    for (const p of [serve, worker]) await p.kill('SIGTERM');
    for (const p of [serve, worker]) expect((await p.exited).code, p.output().slice(-4000)).toBe(0);
  }, 120_000);
});
