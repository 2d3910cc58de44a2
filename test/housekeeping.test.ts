// The sweeper also removes expired sessions and rate-limit windows nobody needs any more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { DAY } from '../src/config.js';
import { startRetentionSweeper } from '../src/runs/retention.js';
import { ENGINES } from './helpers/db.js';
import { createTestApp, signUpCaller, type TestApp } from './helpers/app.js';

for (const engine of ENGINES) {
  describe(`housekeeping (${engine})`, () => {
    const clock = new ManualClock(Date.now());
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
    });
    afterAll(async () => t.close());

    it('deletes expired sessions and stale rate-limit windows, keeps live ones', async () => {
      const caller = await signUpCaller(t.app);
      const now = clock.now();
      await t.ctx.db
        .insertInto('sessions')
        .values({
          id: 'expired-session',
          user_id: caller.userId,
          org_id: caller.orgId,
          csrf_token: 'x',
          created_at: now - 40 * DAY,
          expires_at: now - DAY,
        })
        .execute();
      await t.ctx.db
        .insertInto('rate_limits')
        .values([
          { key: 'old-window', window_start: now - 3 * DAY, count: 5 },
          { key: 'live-window', window_start: now, count: 1 },
        ])
        .execute();
      const stop = startRetentionSweeper(t.ctx, t.database);
      await stop();
      const sessions = await t.ctx.db.selectFrom('sessions').select('id').execute();
      expect(sessions.map((s) => s.id)).not.toContain('expired-session');
      expect(sessions.length).toBeGreaterThan(0); // the caller's live session stays
      const windows = await t.ctx.db.selectFrom('rate_limits').select('key').execute();
      // (the sign-up above counted in a live window of its own, which stays too)
      expect(windows.map((w) => w.key)).toContain('live-window');
      expect(windows.map((w) => w.key)).not.toContain('old-window');
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: caller.cookie } });
      expect(me.statusCode).toBe(200);
    });
  });
}
