import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/db.js';
import { createTestApp, sessionCookieOf, signUpCaller, type TestApp } from './helpers/app.js';

for (const engine of ENGINES) {
  describe(`accounts (${engine})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine, { env: { SVARBUD_LOGIN_ATTEMPTS: '3' } });
    });
    afterAll(async () => t.close());

    it('signs up, sets an HttpOnly SameSite cookie, and answers /me with a CSRF token', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: {
          email: 'Ada@Example.com ',
          password: 'long enough pw',
          name: 'Ada',
          organizationName: 'Analytics',
        },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        user: { email: 'ada@example.com', name: 'Ada' },
        organization: { name: 'Analytics' },
      });
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      expect(setCookie).not.toMatch(/Secure/);
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: sessionCookieOf(res) },
      });
      expect(me.statusCode).toBe(200);
      expect(me.json().user.email).toBe('ada@example.com');
      expect(me.json().csrfToken).toMatch(/^[\w-]{20,}$/);
      // Default retention (SVARBUD_RUN_RETENTION_DAYS): the UI's earliest period start.
      expect(me.json().runRetentionDays).toBe(14);
      // No SVARBUD_SMTP_URL: mail is kept in the dev mailbox, and the UI offers its screen.
      expect(me.json().devMailbox).toBe(true);
    });

    it('refuses a taken e-mail with 409 and bad input with 400 naming the field', async () => {
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email: 'ada@example.com', password: 'long enough pw', name: 'A', organizationName: 'B' },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('EMAIL_TAKEN');
      const short = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email: 'not-an-email', password: 'short', name: '', organizationName: 'B' },
      });
      expect(short.statusCode).toBe(400);
      expect(short.json().error.code).toBe('VALIDATION_FAILED');
      const fields = short.json().error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'name']));
    });

    it('logs in and out; a wrong password is 401; the session ends at logout', async () => {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'ada@example.com', password: 'wrong password' },
      });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error.code).toBe('INVALID_CREDENTIALS');
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'ADA@example.com', password: 'long enough pw' },
      });
      expect(ok.statusCode).toBe(200);
      const cookie = sessionCookieOf(ok);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(
        200,
      );
      const csrfToken = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json()
        .csrfToken as string;
      // Logout changes state: without the session's CSRF token another site could sign the user out.
      const forged = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
      expect(forged.statusCode).toBe(403);
      expect(forged.json().error.code).toBe('CSRF_TOKEN_INVALID');
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(
        200,
      );
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/logout',
            headers: { cookie, 'x-csrf-token': csrfToken },
          })
        ).statusCode,
      ).toBe(204);
      // Without a session there is nothing to forge: clearing a stale cookie needs no token.
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
      const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('UNAUTHENTICATED');
    });

    it('rate-limits logins per e-mail with 429 and Retry-After', async () => {
      const attempt = () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'victim@example.com', password: 'guess guess' },
        });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await attempt()).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      const limited = await attempt();
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('requires the CSRF token for cookie writes but not for API keys', async () => {
      const caller = await signUpCaller(t.app);
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { cookie: caller.cookie },
        payload: { name: 'x' },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { cookie: caller.cookie, 'x-csrf-token': 'nope' },
        payload: { name: 'x' },
      });
      expect(wrong.statusCode).toBe(403);
      const viaKey = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: caller.bearer,
        payload: { name: 'x' },
      });
      expect(viaKey.statusCode).toBe(201);
    });

    it('API keys: shown once, ≥128 bits, listed without the key, lastUsedAt set on use, deletable', async () => {
      const caller = await signUpCaller(t.app);
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: caller.session,
        payload: { name: 'CRM' },
      });
      expect(created.statusCode).toBe(201);
      const { id, key } = created.json();
      expect(key).toMatch(/^svb_[A-Za-z0-9_-]{43}$/);
      const list1 = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: caller.session });
      const item = list1.json().items.find((k: { id: string }) => k.id === id);
      expect(item).toMatchObject({ name: 'CRM', lastUsedAt: null });
      expect(JSON.stringify(list1.json())).not.toContain(key);
      await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } });
      const list2 = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: caller.session });
      expect(list2.json().items.find((k: { id: string }) => k.id === id).lastUsedAt).not.toBeNull();
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: caller.session }))
          .statusCode,
      ).toBe(204);
      const gone = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(gone.statusCode).toBe(401);
    });

    it('an unknown or malformed API key is 401', async () => {
      for (const header of ['Bearer svb_nope', 'Bearer', 'Basic abc']) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: header },
        });
        expect(res.statusCode).toBe(401);
      }
    });

    it('another organization cannot delete my API key (404)', async () => {
      const a = await signUpCaller(t.app);
      const b = await signUpCaller(t.app);
      const keys = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: a.bearer });
      const id = keys.json().items[0].id;
      const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: b.bearer });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    });
  });
}
