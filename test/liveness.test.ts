// Liveness and fencing. An attempt whose run stopped being this dispatcher's while it was sending (another
// one reclaimed it, or it was deleted) is not recorded, and the dispatcher says so. On PostgreSQL, where
// many dispatchers share the queue, heartbeats use the database's clock: a process whose own clock is off is
// neither taken for dead nor kept alive by it (the only SQLite dispatcher never gives up its own claims).
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger('info', stream), lines };
}

for (const engine of ENGINES) {
  describe(`fencing (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    const logged = capturedLogger();
    beforeAll(async () => {
      h = await createDeliveryHarness(engine, { log: logged.log });
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await h.close();
      await receiver.close();
    });

    it('does not record an attempt whose run was taken over while it was being sent, and logs it', async () => {
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      let arrived!: () => void;
      const inFlight = new Promise<void>((resolve) => (arrived = resolve));
      receiver.reply(async ({ res }) => {
        arrived();
        await answered;
        res.writeHead(200).end('ok');
      });
      const a = await h.createAutomation({ url: receiver.urlFor('/fenced') });
      const { runs } = await h.submit();
      const runId = (runs as { id: string; automationId: string }[]).find((r) => r.automationId === a.id)!.id;
      await inFlight;
      // Another (live) dispatcher takes the run over, as after a reclaim, while the request is still open.
      await h.ctx.queue.beat('dsp_other', Date.now());
      await h.ctx.db
        .updateTable('runs')
        .set({ lease_token: 'someone-else', lease_owner: 'dsp_other' })
        .where('id', '=', runId)
        .execute();
      answer();
      const line = await h.waitFor(
        async () =>
          logged.lines.find(
            (l) => l.msg === 'attempts not recorded: their runs were reclaimed or deleted meanwhile',
          ),
        (l) => l !== undefined,
      );
      expect(line).toMatchObject({ level: 40, attempts: 1, runIds: [runId] });
      expect(await h.run(runId)).toMatchObject({
        status: 'running',
        lease_token: 'someone-else',
        attempts: 0,
      });
      const log = await h.ctx.db
        .selectFrom('run_attempts')
        .select('run_id')
        .where('run_id', '=', runId)
        .execute();
      expect(log).toEqual([]);
    });
  });
}

describe('liveness across clocks (postgres)', () => {
  let h: DeliveryHarness;
  beforeAll(async () => {
    h = await createDeliveryHarness('postgres', { start: false });
  });
  afterAll(async () => h.close());

  async function runningRunOf(owner: string): Promise<string> {
    // No dispatcher runs here: the response's run stays scheduled until this test claims it by hand.
    const a = await h.createAutomation({ url: 'https://receiver.example/hook' });
    const { runs } = await h.submit();
    const id = (runs as { id: string; automationId: string }[]).find((r) => r.automationId === a.id)!.id;
    await h.ctx.db
      .updateTable('runs')
      .set({
        status: 'running',
        lease_owner: owner,
        lease_token: 'token-1',
        lease_expires_at: Date.now() + 60_000,
      })
      .where('id', '=', id)
      .execute();
    return id;
  }

  it("does not take a live dispatcher's run when the reclaiming process's clock runs ahead", async () => {
    const runId = await runningRunOf('dsp_live');
    await h.ctx.queue.beat('dsp_live', Date.now());
    // The reclaimer's clock is 20 s ahead: by it, the heartbeat just written would be long dead.
    expect(await h.ctx.queue.reclaim(Date.now() + 20_000, 'dsp_other')).toBe(0);
    expect(await h.run(runId)).toMatchObject({ status: 'running', lease_owner: 'dsp_live' });
  });

  it('frees the runs of a dispatcher whose last beat is 3 s old by the database clock', async () => {
    const runId = await runningRunOf('dsp_dead');
    await h.ctx.queue.beat('dsp_dead', Date.now());
    await sql`update dispatchers set heartbeat_at = heartbeat_at - 4000 where id = 'dsp_dead'`.execute(
      h.ctx.db,
    );
    // Even a reclaimer whose own clock is far behind sees it.
    expect(await h.ctx.queue.reclaim(Date.now() - 600_000, 'dsp_other')).toBeGreaterThanOrEqual(1);
    expect(await h.run(runId)).toMatchObject({ status: 'scheduled', lease_owner: null });
    const left = await h.ctx.db.selectFrom('dispatchers').select('id').where('id', '=', 'dsp_dead').execute();
    expect(left).toEqual([]);
  });
});
