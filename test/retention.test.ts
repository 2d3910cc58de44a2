// The retention sweeper on both engines with a controllable clock: runs older than the retention
// period go with their attempts, messages and search entries; younger stay.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { DAY, HOUR, MINUTE } from '../src/config.js';
import { sweepExpiredRuns, startRetentionSweeper } from '../src/runs/retention.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { openDatabase } from '../src/db/connect.js';
import { ENGINES } from './helpers/db.js';
import { TEST_PG_URL, withAdminClient } from './helpers/pg.js';
import { insertLogRuns, type LogRunSpec } from './helpers/runs.js';
import { createSurveyFixture } from './helpers/surveys.js';

for (const engine of ENGINES) {
  describe(`retention (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let automationId: string;
    const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    const now = clock.now();

    beforeAll(async () => {
      t = await createTestApp(engine, { clock, env: { SVARBUD_RUN_RETENTION_DAYS: '3' } });
      owner = await signUpCaller(t.app);
      const fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: 'Kept for 3 days',
          url: 'https://hooks.example.com/in',
          variables: { mode: 'all' },
          labels: 'auto',
        },
      });
      automationId = res.json().id;
    });
    afterAll(async () => {
      await t.close();
    });

    async function seed(ages: number[]): Promise<string[]> {
      const specs: LogRunSpec[] = ages.map((age, i) => ({
        respondent:
          i % 4 === 3
            ? null
            : { firstName: 'Kari', lastName: `Nordmann ${i}`, email: `kari${i}@example.com` },
        status: 'failed',
        attempts: 2,
        createdAt: now - age,
      }));
      const ids = await insertLogRuns(t.ctx.db, { orgId: owner.orgId, automationId, runs: specs });
      await t.ctx.db
        .insertInto('run_attempts')
        .values(
          ids.flatMap((id, i) =>
            [1, 2].map((number) => ({
              id: `att_${id}_${number}`,
              run_id: id,
              number,
              trigger: 'auto',
              url: 'https://hooks.example.com/in',
              started_at: now - ages[i]! + number,
              duration_ms: 10,
              status_code: 500,
              error_code: 'HTTP_STATUS',
              error_message: 'Server error.',
              error_hint: 'Check the receiver.',
              response_body: 'down',
            })),
          ),
        )
        .execute();
      return ids;
    }

    async function remaining() {
      const count = async (table: 'runs' | 'run_messages' | 'run_attempts') =>
        Number(
          (
            await t.ctx.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const ids = (await t.ctx.db.selectFrom('runs').select('id').execute()).map((r) => r.id).sort();
      return {
        ids,
        runs: await count('runs'),
        messages: await count('run_messages'),
        attempts: await count('run_attempts'),
      };
    }

    async function searchIndexSize(): Promise<number> {
      const table = engine === 'sqlite' ? 'run_search' : 'run_search_terms';
      const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.ctx.db);
      return Number(r.rows[0]!.n);
    }

    it('deletes runs past the period with their attempts and messages, in batches; younger runs stay', async () => {
      // 23 expired runs (3 days + 1 minute … 10 days old) and 5 younger ones.
      const expiredAges = Array.from({ length: 23 }, (_, i) => 3 * DAY + MINUTE + i * 7 * HOUR);
      const youngAges = [0, HOUR, 2 * DAY, 3 * DAY - MINUTE, 3 * DAY - 1];
      const expired = await seed(expiredAges);
      const young = await seed(youngAges);
      expect((await remaining()).runs).toBe(28);
      const indexed = await searchIndexSize();

      const deleted = await sweepExpiredRuns(t.ctx, clock.now(), { batchSize: 5, pauseMs: 0 });
      expect(deleted).toBe(23);
      const left = await remaining();
      expect(left.ids).toEqual([...young].sort());
      expect(left).toMatchObject({ runs: 5, messages: 5, attempts: 10 });
      for (const id of expired) {
        expect(
          await t.ctx.db.selectFrom('run_attempts').select('id').where('run_id', '=', id).execute(),
        ).toEqual([]);
      }
      // The search entries of deleted runs go too (anonymous runs never had one).
      const expiredWithIdentity = expiredAges.filter((_, i) => i % 4 !== 3).length;
      expect(await searchIndexSize()).toBe(indexed - expiredWithIdentity);
      // Nothing more to do now; a day later the two youngest-but-old ones are due.
      expect(await sweepExpiredRuns(t.ctx, clock.now(), { pauseMs: 0 })).toBe(0);
      clock.advance(DAY);
      expect(await sweepExpiredRuns(t.ctx, clock.now(), { pauseMs: 0 })).toBe(2);
      // The log still finds the kept runs by name, and none of the deleted ones.
      const page = await t.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${automationId}/runs?search=kari`,
        headers: owner.bearer,
      });
      expect(
        page
          .json()
          .items.map((r: { id: string }) => r.id)
          .sort(),
      ).toEqual(
        young.slice(0, 3).sort(), // 0 h, 1 h and 2 days old then (now 1, 1 and 3 days): kept, named
      );
      await t.ctx.db.deleteFrom('runs').execute();
      clock.set(now);
    });

    it('runs once at start and every minute until stopped', async () => {
      await seed([4 * DAY, 5 * DAY, HOUR]);
      const stop = startRetentionSweeper(t.ctx, t.database);
      const deadline = Date.now() + 5000;
      while ((await remaining()).runs > 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await stop();
      expect((await remaining()).runs).toBe(1);
      await t.ctx.db.deleteFrom('runs').execute();
    });

    if (engine === 'postgres') {
      it('lets one process sweep at a time; the others skip that round', async () => {
        await seed(Array.from({ length: 40 }, (_, i) => 4 * DAY + i * MINUTE));
        // Another process (its own connection) holds the sweeper lock: this round does nothing.
        const other = await openDatabase(
          { engine: 'postgres', url: TEST_PG_URL },
          { schema: t.database.location, poolSize: 2 },
        );
        try {
          await withAdminClient(async (c) => {
            await c.query('select pg_advisory_lock($1, $2)', [0x5b0e, 1]);
            try {
              expect(await sweepExpiredRuns(t.ctx, clock.now(), { pauseMs: 0 })).toBe(0);
            } finally {
              await c.query('select pg_advisory_unlock($1, $2)', [0x5b0e, 1]);
            }
          });
          // Two sweepers at once: together they delete each run exactly once.
          const [a, b] = await Promise.all([
            sweepExpiredRuns(t.ctx, clock.now(), { batchSize: 7, pauseMs: 5 }),
            sweepExpiredRuns({ ...t.ctx, db: other.db }, clock.now(), { batchSize: 7, pauseMs: 5 }),
          ]);
          expect(a + b).toBe(40);
          expect((await remaining()).runs).toBe(0);
        } finally {
          await other.close();
        }
      });
    }
  });
}
