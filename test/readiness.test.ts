// /readyz tells the truth: each part the process runs (database, dispatcher, mail sender, sweeper)
// with its state; 503 when one is down (its last turn failed, or it stopped) or stuck.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundWork, type BackgroundWork } from '../src/background.js';
import { ManualClock, systemClock } from '../src/clock.js';
import { Health, STUCK_AFTER_MS } from '../src/health.js';
import { buildApp } from '../src/server.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { until } from './helpers/ops.js';

describe('Health', () => {
  it('is ok after good turns, down after a failed one or a stop, stuck when a turn is overdue', () => {
    const clock = new ManualClock();
    const health = new Health(clock);
    const d = health.register('dispatcher');
    const m = health.register('mailSender');
    expect(health.partChecks().dispatcher).toEqual({ ok: true, detail: 'starting' });
    d.turn();
    m.turn(null);
    expect(health.partChecks().dispatcher?.ok).toBe(true);
    d.turn(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    expect(health.partChecks().dispatcher).toMatchObject({ ok: false });
    expect(health.partChecks().dispatcher?.detail).toContain('ECONNREFUSED');
    d.turn();
    expect(health.partChecks().dispatcher?.ok).toBe(true);
    clock.advance(STUCK_AFTER_MS.dispatcher + 1);
    expect(health.partChecks().dispatcher?.ok).toBe(false);
    expect(health.partChecks().dispatcher?.detail).toMatch(/^stuck/);
    // The mail sender's turns may legitimately take much longer.
    expect(health.partChecks().mailSender?.ok).toBe(true);
    m.stopped();
    expect(health.partChecks().mailSender).toEqual({ ok: false, detail: 'stopped' });
    // Parts not registered are absent.
    expect(health.partChecks().sweeper).toBeUndefined();
  });
});

for (const engine of ENGINES) {
  describe(`GET /readyz (${engine})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let background: BackgroundWork;
    beforeAll(async () => {
      t = await createTestApp(engine);
      // The dispatcher counts as stuck after 1.5 s without a turn here (it turns every second).
      const health = new Health(systemClock, { ...STUCK_AFTER_MS, dispatcher: 1500 });
      app = await buildApp(t.ctx, { health });
      background = await startBackgroundWork(t.ctx, t.database, { health });
    });
    afterAll(async () => {
      await background.stop();
      await app.close();
      await t.close();
    });

    it('an API-only process reports the database alone', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'ready',
        checks: { database: { ok: true, detail: 'reachable' } },
      });
    });

    it('reports every part, and 503 once a loop stops turning, then once they are stopped', async () => {
      await until(
        async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200,
        10_000,
        'ready',
      );
      const ready = (await app.inject({ method: 'GET', url: '/readyz' })).json();
      expect(ready.status).toBe('ready');
      expect(Object.keys(ready.checks).sort()).toEqual(['database', 'dispatcher', 'mailSender', 'sweeper']);
      for (const check of Object.values(ready.checks) as { ok: boolean }[]) expect(check.ok).toBe(true);

      // Stop the dispatcher's loop behind the health's back: its turns stop, and it is stuck.
      await background.dispatcher.stop();
      await until(
        async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 503,
        10_000,
        '503',
      );
      const stuck = (await app.inject({ method: 'GET', url: '/readyz' })).json();
      expect(stuck.status).toBe('unavailable');
      expect(stuck.checks.dispatcher.ok).toBe(false);
      expect(stuck.checks.dispatcher.detail).toMatch(/^stuck/);
      expect(stuck.checks.database.ok).toBe(true);
      expect(stuck.checks.mailSender.ok).toBe(true);

      await background.stop();
      const stopped = await app.inject({ method: 'GET', url: '/readyz' });
      expect(stopped.statusCode).toBe(503);
      expect(stopped.json().checks.mailSender).toEqual({ ok: false, detail: 'stopped' });
      expect(stopped.json().checks.sweeper).toEqual({ ok: false, detail: 'stopped' });
    });
  });
}
