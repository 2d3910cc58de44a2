// Graceful shutdown (SPEC §13): SIGTERM under load stops accepting and claiming, lets the requests in
// flight finish and be recorded, closes the database and exits 0 — no run is left `running`, and after
// a restart nothing is sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import {
  childEnvFor,
  deliveriesById,
  runStatusCounts,
  setUpDelivery,
  submitOverHttp,
  until,
  type Submitted,
} from './helpers/ops.js';
import { startSvarbud, type SvarbudProcess } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

for (const engine of ENGINES) {
  describe(`SIGTERM under load (${engine})`, () => {
    let t: TestApp;
    let receiver: Receiver;
    const procs: SvarbudProcess[] = [];
    let inFlight = 0;
    let peakAtSignal = 0;
    beforeAll(async () => {
      t = await createTestApp(engine);
      receiver = await startReceiver();
      receiver.reply(async ({ res }) => {
        inFlight += 1;
        await new Promise((r) => setTimeout(r, 150));
        inFlight -= 1;
        res.end('ok');
      });
    });
    afterAll(async () => {
      for (const p of procs) await p.kill('SIGKILL');
      await receiver.close();
      await t.close();
    });

    it('exits 0 with nothing left running, and nothing is sent twice after the restart', async () => {
      const setup = await setUpDelivery(t, receiver);
      const serve = await startSvarbud('serve', childEnvFor(t));
      procs.push(serve);
      const results: Submitted[] = [];
      let loading = true;
      const clients = [0, 1, 2, 3].map(async () => {
        while (loading) {
          const r = await submitOverHttp(serve.url!, setup);
          results.push(r);
          if (r.status === 0) break; // the server has closed its port
        }
      });
      await until(async () => inFlight > 0 && results.length > 40, 20_000, 'deliveries under way');
      peakAtSignal = inFlight;
      serve.child.kill('SIGTERM');
      const exit = await serve.exited;
      loading = false;
      await Promise.all(clients);
      expect(exit.code, serve.output()).toBe(0);
      expect(peakAtSignal).toBeGreaterThan(0);

      // Everything in flight was finished and recorded: no run is left running (or leased).
      const counts = await runStatusCounts(t);
      expect(counts.running ?? 0).toBe(0);
      const acknowledged = results.flatMap((r) => r.runIds);
      expect(acknowledged.length).toBeGreaterThan(40);
      // Requests that came during the shutdown were refused cleanly (503) or not connected at all.
      for (const r of results) expect([0, 201, 503]).toContain(r.status);

      // A new process sends the rest; each run reaches the receiver exactly once.
      const again = await startSvarbud('serve', childEnvFor(t));
      procs.push(again);
      await until(
        async () => acknowledged.every((id) => deliveriesById(receiver).has(id)),
        60_000,
        'every acknowledged run delivered',
      );
      await until(async () => (await runStatusCounts(t)).scheduled === undefined, 30_000, 'queue empty');
      await again.kill('SIGTERM');
      expect((await again.exited).code).toBe(0);
      const twice = [...deliveriesById(receiver)].filter(([, n]) => n > 1);
      expect(twice).toEqual([]);
      // Every run there is has succeeded: none was lost, none is stuck.
      const final = await runStatusCounts(t);
      expect(Object.keys(final)).toEqual(['succeeded']);
      expect(final.succeeded).toBeGreaterThanOrEqual(acknowledged.length);
    }, 120_000);
  });
}
