// Liveness benchmark (npm run bench -- liveness): a dead worker must not stall its automations.
// PostgreSQL, one automation whose receiver hangs (answers after 60 s; request timeout 60 s, so only
// liveness — not a timeout, not the 75 s lease — can free its slots). Worker A takes all 10 slots;
// worker B starts and finds the automation at its cap; A is killed with SIGKILL. Measured: the time from
// the kill to the next request of that automation (sent by B), over several rounds; and the runs sent
// twice (they can only be the ones A had in flight).
import type { ChildProcess } from 'node:child_process';
import { startSvarbud } from '../test/helpers/processes.js';
import { insertDueRuns } from '../test/helpers/runs.js';
import {
  childEnv,
  sampleBody,
  setUp,
  startReceiverProcess,
  takeArrivals,
  type ReceiverProcess,
} from './delivery.js';

const ROUNDS = Number(process.env.BENCH_LIVENESS_ROUNDS ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hold(receiver: ReceiverProcess, prefix: string | null, ms = 60_000): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== 'held') return;
      receiver.child.off('message', onMessage);
      resolve();
    };
    receiver.child.on('message', onMessage);
    (receiver.child as ChildProcess).send({ type: 'hold', prefix, ms });
  });
}

async function round(
  receiver: ReceiverProcess,
): Promise<{ stallMs: number; duplicates: number; inFlight: number }> {
  const s = await setUp('postgres', receiver.url, 1);
  const env = {
    ...childEnv(s.database),
    SVARBUD_REQUEST_TIMEOUT_MS: '60000',
    SVARBUD_CONNECT_TIMEOUT_MS: '1000',
  };
  const a = await startSvarbud('worker', env);
  const b = { current: null as Awaited<ReturnType<typeof startSvarbud>> | null };
  try {
    await takeArrivals(receiver);
    await hold(receiver, '/a0');
    const body = sampleBody(s.fx);
    await insertDueRuns(s.ctx.db, {
      orgId: s.orgId,
      automationIds: s.automationIds,
      perAutomation: 100,
      body: () => body,
    });
    const seen = new Map<string, number>();
    const collect = async () => {
      for (const [id] of await takeArrivals(receiver)) seen.set(id, (seen.get(id) ?? 0) + 1);
    };
    while (seen.size < 10) {
      await collect();
      await sleep(20);
    }
    b.current = await startSvarbud('worker', env);
    await sleep(1500); // B is up and has looked: the automation is at its cap (A holds all 10)
    await collect();
    const inFlight = (
      await s.ctx.db.selectFrom('runs').select('id').where('status', '=', 'running').execute()
    ).map((r) => r.id);
    const killedAt = performance.timeOrigin + performance.now();
    await a.kill('SIGKILL');
    let firstNew: number | null = null;
    while (firstNew === null) {
      for (const [id, at] of await takeArrivals(receiver)) {
        if (!seen.has(id) || inFlight.includes(id)) firstNew ??= at;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      if (performance.timeOrigin + performance.now() - killedAt > 70_000)
        throw new Error('no delivery within 70 s');
      await sleep(10);
    }
    await sleep(500);
    await collect();
    const duplicates = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    if (duplicates.some((id) => !inFlight.includes(id)))
      throw new Error('a run not in flight at the kill was sent twice');
    return { stallMs: firstNew - killedAt, duplicates: duplicates.length, inFlight: inFlight.length };
  } finally {
    await hold(receiver, null);
    await a.kill('SIGKILL');
    await b.current?.kill('SIGKILL');
    await s.database.destroy();
  }
}

export async function main(): Promise<void> {
  const receiver = await startReceiverProcess();
  try {
    const stalls: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await round(receiver);
      stalls.push(r.stallMs);
      console.log(
        `postgres dead worker, round ${i + 1}: SIGKILL → next delivery of its automation ${(r.stallMs / 1000).toFixed(2)} s; ` +
          `${r.inFlight} runs were in flight at the kill, ${r.duplicates} of them sent twice so far (same webhook-id)`,
      );
    }
    stalls.sort((x, y) => x - y);
    console.log(
      `postgres dead worker: median ${(stalls[Math.floor(stalls.length / 2)]! / 1000).toFixed(2)} s over ${ROUNDS} rounds (target ≤ 5 s)`,
    );
  } finally {
    receiver.child.send({ type: 'stop' });
  }
}
