// Runs-query benchmark (npm run bench -- runs-query [--sqlite|--postgres] [--runs=N]):
// 1 000 000 runs of one automation written straight into the database (multi-row inserts, 14 days of
// creation times, mixed statuses, Norwegian and English names and e-mails), then the first page of the
// runs log for each filter, timed as the API computes it (page + counts) and as its two queries alone.
// Prints p50/p95 over repeated runs of each query and the query plans (indexes used, no full scans).
import { CompiledQuery } from 'kysely';
import { insertOrganizationWithUser } from '../src/accounts/accounts.store.js';
import { createAutomation } from '../src/automations/automations.service.js';
import type { Clock } from '../src/clock.js';
import { DAY } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import type { Engine } from '../src/db/connect.js';
import { newId } from '../src/ids.js';
import { createLogger } from '../src/logger.js';
import { respondentName } from '../src/runs/create-runs.js';
import * as store from '../src/runs/runs.store.js';
import { listRuns, toRunFilter, withSearchPlan, type ListInput } from '../src/runs/runs.service.js';
import { searchTextOf } from '../src/runs/search-text.js';
import { TEST_SECRET_KEY, testConfig } from '../test/helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../test/helpers/db.js';
import { createSurveyFixture } from '../test/helpers/surveys.js';

const ITERATIONS = 40;
const WARMUP = 3;
const INSERT_CHUNK = 1000;

const FIRST = [
  'Kari',
  'Ola',
  'Ingrid',
  'Per',
  'Anne',
  'Lars',
  'Marit',
  'Jon',
  'Silje',
  'Øystein',
  'Åse',
  'Bjørn',
  'Hanne',
  'Knut',
  'Solveig',
  'Espen',
  'Ragnhild',
  'Tor',
  'Sigrid',
  'Håkon',
  'Nora',
  'Emil',
  'Ida',
  'Magnus',
  'Thea',
  'Jakob',
  'Emma',
  'Sander',
  'Ingeborg',
  'Aksel',
  'Live',
  'Mathias',
  'Astrid',
  'Henrik',
  'Frida',
  'Even',
  'Tuva',
  'Sindre',
  'John',
  'Mary',
  'James',
  'Sarah',
  'David',
  'Emily',
  'Michael',
  'Olivia',
  'William',
  'Sophie',
  'Thomas',
  'Grace',
  'Anne-Lise',
  'Jens Petter',
];
const LAST = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Johnsen',
  'Pettersen',
  'Eriksen',
  'Berg',
  'Haugen',
  'Hagen',
  'Johannessen',
  'Andreassen',
  'Jacobsen',
  'Dahl',
  'Jørgensen',
  'Halvorsen',
  'Henriksen',
  'Lund',
  'Sørensen',
  'Jakobsen',
  'Moen',
  'Gundersen',
  'Iversen',
  'Strand',
  'Solberg',
  'Svendsen',
  'Eide',
  'Knutsen',
  'Martinsen',
  'Paulsen',
  'Bakken',
  'Kristoffersen',
  'Mathisen',
  'Lie',
  'Nordmann',
  'Grønli',
  'Aasen',
  'Østby',
  'Smith',
  'Jones',
  'Williams',
  'Brown',
  'Taylor',
  'Wilson',
  'Evans',
  'Thomas',
  'Roberts',
  'Walker',
];
const DOMAINS = [
  'gmail.com',
  'online.no',
  'hotmail.com',
  'outlook.com',
  'firma.no',
  'kommune.no',
  'uio.no',
  'example.com',
  'yahoo.co.uk',
  'icloud.com',
  'telenor.no',
  'equinor.com',
];

/** A deterministic pseudo-random stream, so both engines get the same data. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (s: string) =>
  s
    .toLowerCase()
    .replaceAll('æ', 'ae')
    .replaceAll('ø', 'o')
    .replaceAll('å', 'a')
    .replace(/[^a-z]/g, '');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

export async function generate(
  ctx: AppContext,
  orgId: string,
  automationId: string,
  total: number,
  now: number,
) {
  const random = mulberry32(20260115);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const span = 14 * DAY - 60_000;
  const started = performance.now();
  for (let k = 0; k < total; k += INSERT_CHUNK) {
    const rows = [];
    for (let i = k; i < Math.min(total, k + INSERT_CHUNK); i++) {
      const createdAt = Math.floor(now - span + (i / total) * span);
      const r = random();
      const status =
        r < 0.9 ? 'succeeded' : r < 0.95 ? 'failed' : r < 0.99998 ? 'scheduled' : ('running' as const);
      const first = pick(FIRST);
      const last = pick(LAST);
      const kind = random();
      const email = `${ascii(first)}.${ascii(last)}${Math.floor(random() * 100)}@${pick(DOMAINS)}`;
      // 85 % name and e-mail, 10 % e-mail only, 5 % name only.
      const respondent =
        kind < 0.85
          ? { firstName: first, lastName: last, email }
          : kind < 0.95
            ? { firstName: null, lastName: null, email }
            : { firstName: first, lastName: last, email: null };
      const attempts = status === 'succeeded' ? 1 : status === 'failed' ? 7 : status === 'running' ? 0 : 1;
      rows.push({
        id: newId('run', createdAt),
        org_id: orgId,
        automation_id: automationId,
        response_id: newId('rsp', createdAt),
        status,
        status_changed_at: createdAt + 1000,
        created_at: createdAt,
        next_attempt_at: status === 'scheduled' || status === 'running' ? createdAt + 60_000 : null,
        next_trigger: 'auto',
        schedule_start: 0,
        attempts,
        lease_token: status === 'running' ? 'bench' : null,
        lease_expires_at: status === 'running' ? now + DAY : null,
        push_url: 'https://hooks.example.com/svarbud',
        name: respondentName(false, respondent),
        email: respondent.email,
        first_name: respondent.firstName,
        last_name: respondent.lastName,
        search_text: searchTextOf(false, respondent),
      });
    }
    await ctx.db.insertInto('runs').values(rows).execute();
    if ((k / INSERT_CHUNK) % 100 === 0 && k > 0) {
      process.stdout.write(
        `  ${k.toLocaleString('en')} runs (${((performance.now() - started) / 1000).toFixed(0)} s)\r`,
      );
    }
  }
  return (performance.now() - started) / 1000;
}

async function analyze(ctx: AppContext): Promise<void> {
  // What autovacuum does to a table soon after a bulk load (statistics and the visibility map).
  if (ctx.engine === 'postgres') {
    await ctx.db.executeQuery(CompiledQuery.raw('vacuum analyze runs, run_search_terms'));
  } else await ctx.db.executeQuery(CompiledQuery.raw('analyze'));
}

async function plan(ctx: AppContext, filter: store.RunFilter, counts: boolean): Promise<string> {
  const base = ctx.db.selectFrom('runs').where(store.filterCondition(ctx.engine, filter));
  const q = counts
    ? store.countsQuery(ctx.db, ctx.engine, filter).compile()
    : base
        .select(['runs.id', 'runs.name'])
        .orderBy('runs.created_at', 'desc')
        .orderBy('runs.id', 'desc')
        .limit(51)
        .compile();
  const prefix = ctx.engine === 'postgres' ? 'explain ' : 'explain query plan ';
  const result = await ctx.db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(prefix + q.sql, [...q.parameters]),
  );
  return result.rows
    .map((r) => String(r['QUERY PLAN'] ?? r.detail))
    .map((line) => `      ${line}`)
    .join('\n');
}

async function benchEngine(engine: Engine, total: number, showPlans: boolean): Promise<void> {
  const database: TestDatabase = await openTestDatabase(engine);
  const now = Date.now();
  const clock: Clock = { now: () => now };
  const config = testConfig();
  const ctx: AppContext = {
    db: database.db,
    engine,
    queue: database.queue,
    config,
    clock,
    log: createLogger('silent'),
    secretKey: TEST_SECRET_KEY,
  };
  try {
    const org = { id: newId('org', now), name: 'Bench', created_at: now };
    await insertOrganizationWithUser(ctx.db, org, {
      id: newId('usr', now),
      org_id: org.id,
      email: `bench-${now}@example.com`,
      name: 'Bench',
      password_hash: 'x',
      created_at: now,
    });
    const fx = await createSurveyFixture(ctx.db, org.id);
    const automation = await createAutomation(ctx, org.id, {
      surveyId: fx.survey.id,
      name: 'Bench',
      url: 'https://hooks.example.com/svarbud',
      variables: { mode: 'all' },
      labels: 'auto',
    });
    console.log(`\n[${engine}] generating ${total.toLocaleString('en')} runs …`);
    const seconds = await generate(ctx, org.id, automation.id, total, now);
    await analyze(ctx);
    console.log(`[${engine}] generated in ${seconds.toFixed(0)} s`);
    const day = (n: number) => new Date(now - n * DAY).toISOString();
    const cases: [string, Omit<ListInput, 'limit'>][] = [
      ['no filter', {}],
      ['status=failed', { status: ['failed'] }],
      ['search name "berg"', { search: 'berg' }],
      ['search name "kari nordm"', { search: 'kari nordm' }],
      ['search e-mail "ingrid.haugen"', { search: 'ingrid.haugen' }],
      ['search e-mail "@uio.no"', { search: '@uio.no' }],
      ['search 2 chars "øs" (fallback)', { search: 'øs' }],
      ['one-day period', { from: day(7), to: day(6) }],
      ['all combined', { search: 'berg', status: ['failed', 'scheduled'], from: day(7), to: day(6) }],
    ];
    console.log(
      `[${engine}] first page (limit 50) of ${total.toLocaleString('en')} runs, ${ITERATIONS} runs each; ms p50 / p95`,
    );
    console.log(
      '  case                              API (page+counts)   page only        counts only     matches   counts',
    );
    for (const [label, input] of cases) {
      // As the API does it: the search plan chosen per request (its cost is in the API column).
      const filter = await withSearchPlan(ctx, toRunFilter(ctx, automation.id, input));
      const { statuses: _s, ...withoutStatus } = filter;
      const api = await time(() => listRuns(ctx, org.id, automation.id, { ...input, limit: 50 }));
      const page = await time(() => store.listRuns(ctx.db, ctx.engine, filter, null, 51));
      const counts = await time(() => store.countRuns(ctx.db, ctx.engine, withoutStatus));
      const shown = await store.countRuns(ctx.db, ctx.engine, withoutStatus);
      const c = await store.countRunsExact(ctx.db, ctx.engine, filter);
      const matches = c.scheduled + c.running + c.succeeded + c.failed;
      const capped = store.RUN_STATUSES.filter((s) => shown.capped[s]).length;
      const f = (t: { p50: number; p95: number }) =>
        `${t.p50.toFixed(1).padStart(6)} / ${t.p95.toFixed(1).padStart(6)}`.padEnd(17);
      const how = filter.searchPlan === 'scan' ? ' (search: scan)' : '';
      console.log(
        `  ${label.padEnd(32)}  ${f(api)}   ${f(page)}${f(counts)}${matches.toLocaleString('en').padStart(9)}` +
          `   ${capped} capped${how}`,
      );
      if (showPlans) {
        console.log(`    page plan:\n${await plan(ctx, filter, false)}`);
        console.log(`    counts plan:\n${await plan(ctx, withoutStatus, true)}`);
      }
    }
  } finally {
    await database.destroy();
  }
}

export async function main(args: string[]): Promise<void> {
  const engines: Engine[] = args.includes('--sqlite')
    ? ['sqlite']
    : args.includes('--postgres')
      ? ['postgres']
      : ['sqlite', 'postgres'];
  const runsArg = args.find((a) => a.startsWith('--runs='));
  const total = runsArg ? Number(runsArg.slice('--runs='.length)) : 1_000_000;
  const showPlans = args.includes('--plans');
  for (const engine of engines) await benchEngine(engine, total, showPlans);
}
