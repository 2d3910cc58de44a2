// Backfill benchmark (npm run bench -- backfill [--postgres] [--responses=N]): "send existing responses"
// of a survey with 100 000 responses (SQLite unless told otherwise) through the HTTP API of an in-process
// app listening on 127.0.0.1, while 4 clients keep sending light requests (GET /surveys/:id) to it.
//   ceiling — in the same run, the same runs and messages built (rendered) and inserted in transactions of
//             the same size, back to back, with no reads and no yielding: what the database takes at most;
//   backfill — POST /automations/:id/backfill until its 202 (every run committed): runs created per second;
//   API latency — p50/p99 of the light requests while the backfill runs, and without it (idle) before.
// Targets: ≥ 5 000 runs/s, p99 ≤ 100 ms during the backfill.
import { Pool } from 'undici';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { createAutomation } from '../src/automations/automations.service.js';
import type { AppContext } from '../src/context.js';
import type { Engine } from '../src/db/connect.js';
import { insertRows } from '../src/db/raw-insert.js';
import { newId } from '../src/ids.js';
import { newRun } from '../src/runs/create-runs.js';
import { BACKFILL_BATCH } from '../src/runs/send-existing.js';
import { createTestApp, signUpCaller } from '../test/helpers/app.js';
import { createSurveyFixture } from '../test/helpers/surveys.js';

const CLIENTS = 4;
const INSERT_CHUNK = 1000;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Light requests from CLIENTS loops until `stop()`; returns their latencies (ms), sorted. */
function lightLoad(api: Pool, path: string, headers: Record<string, string>) {
  let running = true;
  const samples: number[] = [];
  const loops = Array.from({ length: CLIENTS }, async () => {
    while (running) {
      const t0 = performance.now();
      const res = await api.request({ method: 'GET', path, headers });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`light request answered ${res.statusCode}`);
      samples.push(performance.now() - t0);
    }
  });
  return async () => {
    running = false;
    await Promise.all(loops);
    return samples.sort((a, b) => a - b);
  };
}

async function benchEngine(engine: Engine, total: number): Promise<void> {
  const t = await createTestApp(engine);
  const app: FastifyInstance = t.app;
  const ctx: AppContext = t.ctx;
  try {
    const owner = await signUpCaller(app);
    const fx = await createSurveyFixture(ctx.db, owner.orgId);
    const ids = fx.ids;
    const now = Date.now();
    process.stdout.write(`  inserting ${total.toLocaleString('en')} responses…\r`);
    for (let k = 0; k < total; k += INSERT_CHUNK) {
      const rows = [];
      for (let i = k; i < Math.min(total, k + INSERT_CHUNK); i++) {
        const completedAt = now - 86_400_000 + i;
        rows.push({
          id: newId('rsp', completedAt),
          org_id: owner.orgId,
          survey_id: fx.survey.id,
          completed_at: completedAt,
          created_at: completedAt,
          first_name: `First${i}`,
          last_name: 'Nordmann',
          email: `person${i}@example.com`,
          answers: JSON.stringify({
            [ids.department]: 'Sales',
            [ids.single]: (i % 3) + 1,
            [ids.multiple]: [1, 3],
            [ids.text]: 'More feedback from my manager, please.',
            [ids.number]: i % 40,
            [ids.scale]: (i % 5) + 1,
            [ids.date]: '2026-01-15',
            [ids.matrixRows[0]]: 2,
            [ids.matrixRows[1]]: 3,
          }),
        });
      }
      await insertRows(ctx.db, 'responses', rows);
    }
    const automation = await createAutomation(ctx, owner.orgId, {
      surveyId: fx.survey.id,
      name: 'Bench',
      url: 'https://hooks.example.com/svarbud',
      variables: { mode: 'all' },
      labels: 'data',
    });
    const row = await ctx.db
      .selectFrom('automations')
      .selectAll()
      .where('id', '=', automation.id)
      .executeTakeFirstOrThrow();

    // Ceiling: the same work without reads, counting or yielding.
    const responses = await ctx.db
      .selectFrom('responses')
      .selectAll()
      .where('survey_id', '=', fx.survey.id)
      .orderBy('id')
      .execute();
    const c0 = performance.now();
    for (let k = 0; k < responses.length; k += BACKFILL_BATCH) {
      const built = responses.slice(k, k + BACKFILL_BATCH).map((r) =>
        newRun(
          row,
          fx.survey,
          {
            id: r.id,
            orgId: r.org_id,
            surveyId: r.survey_id,
            completedAt: Number(r.completed_at),
            firstName: r.first_name,
            lastName: r.last_name,
            email: r.email,
            answers: JSON.parse(r.answers) as Record<string, unknown>,
          },
          Date.now(),
          'backfill',
        ),
      );
      await ctx.db.transaction().execute(async (trx) => {
        await insertRows(
          trx,
          'runs',
          built.map((b) => b.run),
        );
        await insertRows(
          trx,
          'run_messages',
          built.map((b) => b.message),
        );
      });
    }
    const ceiling = responses.length / ((performance.now() - c0) / 1000);
    await ctx.db.deleteFrom('runs').where('automation_id', '=', automation.id).execute();

    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const api = new Pool(`http://127.0.0.1:${port}`, { connections: CLIENTS + 2 });
    const light = `/api/v1/surveys/${fx.survey.id}`;

    const stopIdle = lightLoad(api, light, owner.bearer);
    await new Promise((r) => setTimeout(r, 3000));
    const idle = await stopIdle();

    const stopBusy = lightLoad(api, light, owner.bearer);
    const b0 = performance.now();
    const res = await api.request({
      method: 'POST',
      path: `/api/v1/automations/${automation.id}/backfill`,
      headers: { ...owner.bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ onlyMissing: true }),
    });
    const answer = (await res.body.json()) as { created: number };
    const seconds = (performance.now() - b0) / 1000;
    const busy = await stopBusy();
    await api.close();
    if (res.statusCode !== 202)
      throw new Error(`backfill answered ${res.statusCode}: ${JSON.stringify(answer)}`);
    const rate = answer.created / seconds;

    console.log(`${engine}: ${total.toLocaleString('en')} responses, batches of ${BACKFILL_BATCH}`);
    console.log(`  ceiling (build + insert, no reads, no yielding): ${ceiling.toFixed(0)} runs/s`);
    console.log(
      `  backfill through the API: ${answer.created.toLocaleString('en')} runs in ${seconds.toFixed(2)} s = ` +
        `${rate.toFixed(0)} runs/s (${(rate / ceiling).toFixed(2)} × ceiling; target ≥ 5 000/s)`,
    );
    console.log(
      `  light requests (${CLIENTS} clients, GET /surveys/:id): idle p50 ${percentile(idle, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(idle, 99).toFixed(1)} ms (${idle.length}); during the backfill p50 ` +
        `${percentile(busy, 50).toFixed(1)} ms, p99 ${percentile(busy, 99).toFixed(1)} ms, max ` +
        `${busy.at(-1)?.toFixed(1)} ms (${busy.length}; target p99 ≤ 100 ms)`,
    );
  } finally {
    await t.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const total = Number(args.find((a) => a.startsWith('--responses='))?.split('=')[1] ?? 100_000);
  await benchEngine(args.includes('--postgres') ? 'postgres' : 'sqlite', total);
}
