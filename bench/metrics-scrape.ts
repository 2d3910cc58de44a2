// Metrics scrape cost (npm run bench -- metrics-scrape [--sqlite|--postgres] [--runs=N]): a database
// holding N runs (default 100 000: 10 automations, mixed statuses, a tenth of them due), then
// - the database read behind the gauges (four statements), uncached, p50/p95;
// - GET /metrics through the app with the read cached (what most scrapes cost) and with the cache
//   expired before every scrape (what a scrape every 5 s costs at most), wall time and this process's
//   CPU per scrape;
// - from those, the share of one core a scrape every 5 s takes.
import { sql } from 'kysely';
import { ManualClock } from '../src/clock.js';
import type { Engine } from '../src/db/connect.js';
import { readQueueStats } from '../src/metrics/queue-stats.js';
import { createTestApp, signUpCaller } from '../test/helpers/app.js';
import { insertLogRuns, type LogRunSpec } from '../test/helpers/runs.js';
import { createSurveyFixture } from '../test/helpers/surveys.js';

const AUTOMATIONS = 10;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function timed(
  n: number,
  fn: () => Promise<unknown>,
): Promise<{ p50: number; p95: number; cpuMs: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const walls: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    walls.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  walls.sort((a, b) => a - b);
  return { p50: pct(walls, 50), p95: pct(walls, 95), cpuMs: (cpu.user + cpu.system) / 1000 / n };
}

async function benchEngine(engine: Engine, total: number): Promise<void> {
  const clock = new ManualClock(Date.now());
  const t = await createTestApp(engine, { clock });
  try {
    const owner = await signUpCaller(t.app);
    const fx = await createSurveyFixture(t.ctx.db, owner.orgId);
    const now = clock.now();
    const started = Date.now();
    for (let a = 0; a < AUTOMATIONS; a++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: `A${a}`,
          url: `https://hooks.example.com/${a}`,
          variables: { mode: 'all' },
          labels: 'auto',
        },
      });
      const automationId = res.json().id as string;
      const runs: LogRunSpec[] = [];
      for (let i = 0; i < total / AUTOMATIONS; i++) {
        const k = i % 20;
        const status = k < 2 ? 'scheduled' : k === 2 ? 'failed' : k === 3 ? 'running' : 'succeeded';
        runs.push({
          respondent: { firstName: 'Kari', lastName: 'Nordmann', email: `k${i}@example.com` },
          createdAt: now - (total - i) * 1000,
          status,
          ...(status === 'scheduled' ? { nextAttemptAt: now - i } : {}),
        });
      }
      await insertLogRuns(t.ctx.db, { orgId: owner.orgId, automationId, runs });
    }
    console.log(`${engine}: ${total} runs inserted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Statistics as the sweeper keeps them (SQLite: pragma optimize / analyze; PostgreSQL: autovacuum).
    await sql`analyze`.execute(t.ctx.db);
    if (engine === 'postgres') {
      // Freshly written rows: index-only scans still visit the heap until a vacuum marks the pages.
      const fresh = await timed(30, () => readQueueStats(t.ctx.db, clock.now()));
      console.log(
        `  gauges' database read, before the first vacuum: p50 ${fresh.p50.toFixed(1)} ms, p95 ${fresh.p95.toFixed(1)} ms`,
      );
      await sql`vacuum analyze runs`.execute(t.ctx.db);
    }

    const read = await timed(30, () => readQueueStats(t.ctx.db, clock.now()));
    const scrape = () => t.app.inject({ method: 'GET', url: '/metrics' });
    const cached = await timed(200, scrape);
    const uncached = await timed(30, async () => {
      clock.advance(6000);
      await scrape();
    });
    const stats = await readQueueStats(t.ctx.db, clock.now());
    console.log(
      `  gauges' database read (uncached): p50 ${read.p50.toFixed(1)} ms, p95 ${read.p95.toFixed(1)} ms` +
        ` (runs ${JSON.stringify(stats.runs)}, due ${stats.dueRuns})`,
    );
    console.log(
      `  GET /metrics, read cached:  p50 ${cached.p50.toFixed(2)} ms, p95 ${cached.p95.toFixed(2)} ms, CPU ${cached.cpuMs.toFixed(2)} ms/scrape`,
    );
    console.log(
      `  GET /metrics, cache expired: p50 ${uncached.p50.toFixed(1)} ms, p95 ${uncached.p95.toFixed(1)} ms, CPU ${uncached.cpuMs.toFixed(2)} ms/scrape`,
    );
    console.log(
      `  one scrape every 5 s (each one reading the database): ${((uncached.cpuMs / 5000) * 100).toFixed(2)} % of a core in this process` +
        (engine === 'postgres'
          ? `, ${((uncached.p50 / 5000) * 100).toFixed(2)} % of the time with a query running on the server`
          : ''),
    );
  } finally {
    await t.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const runsArg = args.find((a) => a.startsWith('--runs='));
  const total = runsArg ? Number(runsArg.slice('--runs='.length)) : 100_000;
  const engines: Engine[] = args.includes('--sqlite')
    ? ['sqlite']
    : args.includes('--postgres')
      ? ['postgres']
      : ['sqlite', 'postgres'];
  for (const engine of engines) await benchEngine(engine, total);
}
