// Errors raised by the router itself (before any route runs) use the error catalogue too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';

describe('router errors', () => {
  let t: TestApp;
  let caller: Caller;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    caller = await signUpCaller(t.app);
  });
  afterAll(async () => t.close());

  it('an over-long id is 404 NOT_FOUND, also on a write with a body', async () => {
    const id = 'x'.repeat(300);
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await t.app.inject({
        method,
        url: `/api/v1/automations/${id}`,
        headers: caller.bearer,
        payload: method === 'PATCH' ? { name: 'n' } : undefined,
      });
      expect(res.statusCode, method).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('every answer carries the security headers, errors too', async () => {
    for (const url of ['/healthz', '/api/v1/me', '/api/v1/automations/nope']) {
      const res = await t.app.inject({ method: 'GET', url, headers: caller.bearer });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      // Not over plain http: only an https SVARBUD_PUBLIC_URL turns on HSTS.
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('a malformed URL is 400 VALIDATION_FAILED', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/surveys/%E0%A4%A',
      headers: caller.bearer,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('a body that is not JSON is 415 UNSUPPORTED_MEDIA_TYPE, also on routes that take no body', async () => {
    for (const url of ['/api/v1/surveys', '/api/v1/api-keys']) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { ...caller.bearer, 'content-type': 'text/plain' },
        payload: 'title=x',
      });
      expect(res.statusCode, url).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });
});
