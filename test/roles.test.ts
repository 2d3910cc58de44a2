// Roles: on PostgreSQL `serve` alone is a whole installation (it delivers); `serve --no-worker` (or
// SVARBUD_WORKER=off) is an API-only node and `worker` processes deliver for it. On SQLite serve is the
// only process that can deliver, so --no-worker is refused rather than silently never delivering.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from './helpers/app.js';
import { childEnvFor, deliveriesById, setUpDelivery, submitOverHttp, until } from './helpers/ops.js';
import { startSvarbud, type SvarbudProcess } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('roles on PostgreSQL', () => {
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

  it('serve alone accepts responses and delivers them', async () => {
    const setup = await setUpDelivery(t, receiver, '/alone');
    const serve = await startSvarbud('serve', childEnvFor(t));
    procs.push(serve);
    const sent = await Promise.all([0, 1, 2, 3, 4].map(() => submitOverHttp(serve.url!, setup)));
    expect(sent.map((s) => s.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = sent.flatMap((s) => s.runIds);
    await until(async () => ids.every((id) => deliveriesById(receiver).has(id)), 20_000, 'deliveries');
    const ready = await fetch(`${serve.url}/readyz`);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(ready.status).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'dispatcher', 'mailSender', 'sweeper']);
    await serve.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
  }, 60_000);

  it('serve --no-worker only accepts; a worker beside it delivers (and SVARBUD_WORKER=off is the same)', async () => {
    const setup = await setUpDelivery(t, receiver, '/split');
    const api = await startSvarbud('serve', childEnvFor(t), 20_000, ['--no-worker']);
    const api2 = await startSvarbud('serve', childEnvFor(t, { SVARBUD_WORKER: 'off' }));
    procs.push(api, api2);
    expect(api.output()).toContain('API only');
    // An API-only node reports only what it runs: the database.
    const ready = (await (await fetch(`${api2.url}/readyz`)).json()) as { checks: Record<string, unknown> };
    expect(Object.keys(ready.checks)).toEqual(['database']);

    const before = await Promise.all([submitOverHttp(api.url!, setup), submitOverHttp(api2.url!, setup)]);
    expect(before.map((s) => s.status)).toEqual([201, 201]);
    const firstIds = before.flatMap((s) => s.runIds);
    // Nothing delivers them yet: they wait, due, in the database.
    await new Promise((r) => setTimeout(r, 1500));
    expect(firstIds.filter((id) => deliveriesById(receiver).has(id))).toEqual([]);

    const worker = await startSvarbud('worker', childEnvFor(t, { SVARBUD_WORKER_PORT: '0' }));
    procs.push(worker);
    const after = await submitOverHttp(api.url!, setup);
    const ids = [...firstIds, ...after.runIds];
    await until(async () => ids.every((id) => deliveriesById(receiver).has(id)), 20_000, 'deliveries');
    // The worker's own operations port: its parts, and its counters.
    expect(worker.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const workerReady = (await (await fetch(`${worker.url}/readyz`)).json()) as {
      checks: Record<string, unknown>;
    };
    expect(Object.keys(workerReady.checks).sort()).toEqual([
      'database',
      'dispatcher',
      'mailSender',
      'sweeper',
    ]);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    const succeeded = /^svarbud_attempts_total\{outcome="succeeded"\} (\d+)/m.exec(metrics);
    expect(Number(succeeded?.[1])).toBeGreaterThanOrEqual(ids.length);
    for (const p of [api, api2, worker]) await p.kill('SIGTERM');
    for (const p of [api, api2, worker]) expect((await p.exited).code).toBe(0);
  }, 60_000);
});

describe('roles on SQLite', () => {
  it('serve --no-worker is refused with a message: nothing else could deliver', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--no-worker'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: 'sqlite::memory:',
        SVARBUD_SECRET_KEY: TEST_SECRET_KEY,
        SVARBUD_DEMO: 'off',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('--no-worker');
    expect(res.stderr).toContain('PostgreSQL');
  });
});
