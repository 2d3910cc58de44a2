// Structured logs never contain passwords, API keys, session cookies, CSRF tokens, signing secrets or
// custom header values — checked on everything the server logs at debug level during a working session.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createTestApp, sessionCookieOf, type TestApp } from './helpers/app.js';
import { createSurveyFixture } from './helpers/surveys.js';

describe('logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    t = await createTestApp('sqlite', { log: createLogger('trace', sink) });
  });
  afterAll(async () => t.close());

  it('never contain secrets', async () => {
    const password = 'Very-Secret-Password-42';
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'logs@example.com', password, name: 'Log', organizationName: 'Logs' },
    });
    expect(signup.statusCode).toBe(201);
    const cookie = sessionCookieOf(signup);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    const csrf = me.json().csrfToken as string;
    const key = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { name: 'k' },
      })
    ).json().key as string;
    // A failed login with the password, and a bad bearer key.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'logs@example.com', password },
    });
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}x` } });
    const fx = await createSurveyFixture(t.ctx.db, signup.json().organization.id);
    const automation = await t.app.inject({
      method: 'POST',
      url: '/api/v1/automations',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        type: 'outgoing_webhook',
        surveyId: fx.survey.id,
        name: 'A',
        url: 'https://hooks.example.com/x',
        variables: { mode: 'all' },
        labels: 'auto',
        headers: { Authorization: 'Bearer receiver-token-xyz' },
      },
    });
    const secret = automation.json().secret as string;
    await t.app.inject({
      method: 'GET',
      url: `/api/v1/automations/${automation.json().id}`,
      headers: { cookie },
    });

    const log = lines.join('');
    expect(log.length).toBeGreaterThan(1000); // the requests were logged
    const token = cookie.split('=')[1]!;
    for (const value of [password, key, token, csrf, secret, secret.slice(6), 'receiver-token-xyz']) {
      expect(log, `log contains ${value.slice(0, 8)}…`).not.toContain(value);
    }
  });
});
