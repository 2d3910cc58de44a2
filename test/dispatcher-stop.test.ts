// Stopping a dispatcher (serve/worker shutting down) finishes the sends in flight and hands every run it
// claimed but did not send back to the queue at once — nothing is left "running" until a lease expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

for (const engine of ENGINES) {
  describe(`stopping the dispatcher (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    beforeAll(async () => {
      h = await createDeliveryHarness(engine);
      receiver = await startReceiver({ reply: { status: 200, body: 'ok', delayMs: 300 } });
    });
    afterAll(async () => {
      await h.close();
      await receiver.close();
    });

    it('finishes in-flight sends and leaves no run running', async () => {
      await h.createAutomation({ url: receiver.urlFor('/slow') });
      for (let i = 0; i < 30; i++) await h.submit();
      await receiver.waitForRequests(10, 10_000);
      await h.dispatcher.stop();
      const rows = await h.ctx.db
        .selectFrom('runs')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      expect(counts.running ?? 0).toBe(0);
      expect(counts.succeeded).toBe(receiver.requests.length);
      expect((counts.succeeded ?? 0) + (counts.scheduled ?? 0)).toBe(30);
      const leased = await h.ctx.db
        .selectFrom('runs')
        .select('id')
        .where('lease_token', 'is not', null)
        .execute();
      expect(leased).toHaveLength(0);
    });
  });
}
