// Wake-ups are never missed: a signal that arrives while a claim is under way leads to another claim,
// and on PostgreSQL a lost LISTEN connection comes back by itself and claims once on reconnecting.
// Polling is switched off (10 minutes) in these tests, so only those paths can deliver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimDueOptions, ClaimResult } from '../src/db/run-queue.js';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { withAdminClient } from './helpers/pg.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { insertDueRuns } from './helpers/runs.js';

for (const engine of ENGINES) {
  describe(`wake-ups (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    beforeAll(async () => {
      h = await createDeliveryHarness(engine, {
        env: { SVARBUD_RETRY_SCHEDULE: '0' },
        dispatcher: () => ({ pollIntervalMs: 600_000 }),
      });
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await h.close();
      await receiver.close();
    });

    it('a signal that arrives while a claim is under way leads to another claim', async () => {
      const a = await h.createAutomation({ url: receiver.urlFor('/mid-claim') });
      receiver.reply({ status: 500, body: 'down' });
      const { runs } = await h.submit();
      const runId = runs[0]!.id;
      await h.waitFor(
        () => h.run(runId),
        (r) => r.status === 'failed',
      );
      // The next claim finds nothing due, then waits — as if its commit were slow — until released.
      const queue = h.ctx.queue;
      const claimDue = queue.claimDue.bind(queue);
      let entered!: () => void;
      const inClaim = new Promise<void>((resolve) => (entered = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let claims = 0;
      queue.claimDue = async (o: ClaimDueOptions): Promise<ClaimResult> => {
        const result = await claimDue(o);
        claims += 1;
        if (claims === 1) {
          entered();
          await gate;
        }
        return result;
      };
      try {
        h.dispatcher.wake();
        await inClaim;
        // While that claim is under way, the replay makes the run due and signals it.
        receiver.reply({ status: 200, body: 'ok' });
        receiver.clear();
        const replay = await h.app.inject({
          method: 'POST',
          url: `/api/v1/automations/${a.id}/runs/replay`,
          headers: h.owner.bearer,
          payload: { runIds: [runId] },
        });
        expect(replay.statusCode, replay.body).toBe(202);
        release();
        const [request] = await receiver.waitForRequests(1, 10_000);
        expect(request!.headers['webhook-id']).toBe(runId);
        expect(claims).toBeGreaterThanOrEqual(2);
      } finally {
        queue.claimDue = claimDue;
      }
      await h.waitFor(
        () => h.run(runId),
        (r) => r.status === 'succeeded',
      );
      await h.ctx.db.deleteFrom('automations').where('id', '=', a.id).execute();
    });

    if (engine === 'postgres') {
      it('LISTEN reconnects after its connection is terminated and claims once on reconnecting', async () => {
        const a = await h.createAutomation({ url: receiver.urlFor('/after-reconnect') });
        receiver.clear();
        // Due, but never signalled (written straight into the database): only a claim finds it.
        const [runId] = await insertDueRuns(h.ctx.db, {
          orgId: h.owner.orgId,
          automationIds: [a.id],
          perAutomation: 1,
        });
        const terminated = await withAdminClient(async (c) => {
          const { rows } = await c.query<{ pid: number }>(
            `select pid from pg_stat_activity where application_name = $1 and query ilike 'LISTEN%'`,
            [h.database.location],
          );
          for (const { pid } of rows) await c.query('select pg_terminate_backend($1)', [pid]);
          return rows.length;
        });
        expect(terminated).toBe(1);
        const [request] = await receiver.waitForRequests(1, 10_000);
        expect(request!.headers['webhook-id']).toBe(runId);
        // Listening again: a new signal is heard.
        receiver.clear();
        const { runs } = await h.submit();
        const [next] = await receiver.waitForRequests(1, 10_000);
        expect(next!.headers['webhook-id']).toBe(runs[0]!.id);
      });
    }
  });
}
