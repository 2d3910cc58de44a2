// Runs per day for the automation page's chart, on both engines: local days of the caller's time zone
// (a DST change included), counts per status, today last, the newest run's time, and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { DAY, HOUR } from '../src/config.js';
import { startOfLocalDay } from '../src/runs/runs-daily.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { insertLogRuns } from './helpers/runs.js';
import { createSurveyFixture } from './helpers/surveys.js';

type Day = { date: string; scheduled: number; running: number; succeeded: number; failed: number };
type Answer = { timeZone: string; days: Day[]; lastRunAt: string | null };

const OSLO = 'Europe/Oslo';
// Noon in Oslo on 2026-04-02; Oslo moved to summer time on 2026-03-29 (inside the 14-day window).
const NOW = Date.parse('2026-04-02T10:00:00Z');

describe('startOfLocalDay', () => {
  it('finds local midnight on both sides of a DST change', () => {
    expect(new Date(startOfLocalDay('2026-03-28', OSLO)).toISOString()).toBe('2026-03-27T23:00:00.000Z');
    expect(new Date(startOfLocalDay('2026-03-30', OSLO)).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(startOfLocalDay('2026-03-30', 'UTC')).toISOString()).toBe('2026-03-30T00:00:00.000Z');
  });
});

for (const engine of ENGINES) {
  describe(`runs per day (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let automationId: string;
    let emptyId: string;
    const clock = new ManualClock(NOW);

    async function daily(query: string, id = automationId, caller = owner) {
      return t.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${id}/runs/daily${query}`,
        headers: caller.bearer,
      });
    }

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      owner = await signUpCaller(t.app);
      const fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      const create = async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/automations',
          headers: owner.bearer,
          payload: {
            type: 'outgoing_webhook',
            surveyId: fx.survey.id,
            name: 'Chart',
            url: 'https://hooks.example.com/in',
            variables: { mode: 'all' },
            labels: 'auto',
          },
        });
        expect(res.statusCode).toBe(201);
        return res.json().id as string;
      };
      automationId = await create();
      emptyId = await create();
      const r = { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com' };
      const at = (iso: string) => Date.parse(iso);
      await insertLogRuns(t.ctx.db, {
        orgId: owner.orgId,
        automationId,
        runs: [
          // Today in Oslo (from 2026-04-01T22:00Z).
          { respondent: r, createdAt: at('2026-04-01T22:00:00Z'), status: 'succeeded' },
          { respondent: r, createdAt: at('2026-04-02T09:00:00Z'), status: 'failed' },
          { respondent: r, createdAt: at('2026-04-02T09:30:00Z'), status: 'scheduled' },
          // 23:59:59 on 1 April in Oslo: yesterday there, and also 1 April in UTC.
          { respondent: null, createdAt: at('2026-04-01T21:59:59Z'), status: 'failed' },
          // Before and after the DST change.
          { respondent: r, createdAt: at('2026-03-28T23:30:00Z'), status: 'succeeded' },
          { respondent: r, createdAt: at('2026-03-29T22:30:00Z'), status: 'running' },
          // Older than the window (the first day is 2026-03-20 in Oslo).
          { respondent: r, createdAt: at('2026-03-19T22:59:59Z'), status: 'failed' },
          { respondent: r, createdAt: at('2026-03-19T23:00:00Z'), status: 'succeeded' },
        ],
      });
    });
    afterAll(async () => t.close());

    it('counts runs per local day and status, oldest day first, today last', async () => {
      const res = await daily(`?timeZone=${encodeURIComponent(OSLO)}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as Answer;
      expect(body.timeZone).toBe(OSLO);
      expect(body.days).toHaveLength(14);
      expect(body.days[0]!.date).toBe('2026-03-20');
      expect(body.days[13]).toEqual({
        date: '2026-04-02',
        scheduled: 1,
        running: 0,
        succeeded: 1,
        failed: 1,
      });
      const byDate = Object.fromEntries(body.days.map((d) => [d.date, d]));
      expect(byDate['2026-04-01']).toMatchObject({ failed: 1, succeeded: 0 });
      expect(byDate['2026-03-29']).toMatchObject({ succeeded: 1 });
      expect(byDate['2026-03-30']).toMatchObject({ running: 1 });
      expect(byDate['2026-03-20']).toMatchObject({ succeeded: 1, failed: 0 });
      const total = body.days.reduce((n, d) => n + d.scheduled + d.running + d.succeeded + d.failed, 0);
      expect(total).toBe(7);
      expect(body.lastRunAt).toBe('2026-04-02T09:30:00.000Z');
    });

    it('uses UTC days by default and takes a shorter window', async () => {
      const res = await daily('?days=2');
      expect(res.statusCode).toBe(200);
      const body = res.json() as Answer;
      expect(body.timeZone).toBe('UTC');
      expect(body.days.map((d) => d.date)).toEqual(['2026-04-01', '2026-04-02']);
      // In UTC the 21:59:59 and 22:00 runs are on 1 April.
      expect(body.days[0]).toMatchObject({ succeeded: 1, failed: 1 });
      expect(body.days[1]).toMatchObject({ succeeded: 0, failed: 1, scheduled: 1 });
    });

    it('answers zeros and no last run for an automation without runs', async () => {
      const body = (await daily('', emptyId)).json() as Answer;
      expect(body.lastRunAt).toBeNull();
      expect(body.days.every((d) => d.scheduled + d.running + d.succeeded + d.failed === 0)).toBe(true);
      clock.advance(DAY + HOUR);
      const tomorrow = await daily('?days=1', emptyId);
      expect(tomorrow.json(), tomorrow.body).toMatchObject({ days: [{ date: '2026-04-03' }] });
      clock.set(NOW);
    });

    it('refuses an unknown time zone and a bad day count with 400, another organization with 404', async () => {
      const zone = await daily('?timeZone=Mars%2FOlympus');
      expect(zone.statusCode).toBe(400);
      expect(zone.json().error.details[0].field).toBe('timeZone');
      expect((await daily('?days=0')).statusCode).toBe(400);
      expect((await daily('?days=91')).statusCode).toBe(400);
      const stranger = await signUpCaller(t.app);
      expect((await daily('', automationId, stranger)).statusCode).toBe(404);
    });
  });
}
