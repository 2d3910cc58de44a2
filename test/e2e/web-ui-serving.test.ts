// How `serve` delivers the built UI: content types, caching, the client-side route fallback, the
// API's own 404s, the CSP, and a plain page (not a crash) when the UI was never built.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebUi } from '../../src/http/web-ui.js';
import { createTestApp, signUpCaller, type TestApp } from '../helpers/app.js';
import { launchBrowser } from './browser.js';

describe('serving the web UI', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Same preconditions as the browser tests: fail loudly when the build or Chromium is missing.
    await (await launchBrowser()).close();
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves index.html for client-side routes, without caching, under the CSP', async () => {
    for (const url of [
      '/',
      '/surveys',
      '/surveys/srv_1/settings/data-labels',
      '/r/some-token?x=1',
      '/invite/Ab-3_x9Kq0', // the invitation link of the mails
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root"></div>');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      // No inline script or style in the shell: everything comes from hashed files.
      expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.body).not.toMatch(/<style|style=/);
    }
  });

  it('serves hashed assets with their content type, cached forever', async () => {
    const index = await t.app.inject({ method: 'GET', url: '/' });
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)![1]!;
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(index.body)![1]!;
    const script = await t.app.inject({ method: 'GET', url: js });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const style = await t.app.inject({ method: 'GET', url: css });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    const missing = await t.app.inject({ method: 'GET', url: '/assets/index-gone.js' });
    expect(missing.statusCode).toBe(404);
  });

  it('sends files with an ETag, 304 when the client has them, compressed once as the client accepts', async () => {
    const index = await t.app.inject({ method: 'GET', url: '/' });
    const etag = String(index.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(index.headers.vary).toBe('accept-encoding');
    const again = await t.app.inject({ method: 'GET', url: '/surveys', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)![1]!;
    const plain = await t.app.inject({ method: 'GET', url: js });
    const tag = String(plain.headers.etag);
    expect(tag).not.toBe(etag);
    expect(
      (await t.app.inject({ method: 'GET', url: js, headers: { 'if-none-match': `W/${tag}` } })).statusCode,
    ).toBe(304);
    const br = await t.app.inject({
      method: 'GET',
      url: js,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    const gzip = await t.app.inject({
      method: 'GET',
      url: js,
      headers: { 'accept-encoding': 'gzip, br;q=0' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).equals(plain.rawPayload)).toBe(true);
    // The bundle: about a third of its size with gzip, less with brotli.
    expect(br.rawPayload.length).toBeLessThan(gzip.rawPayload.length);
    expect(gzip.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
  });

  it('keeps the API and health checks out of the fallback', async () => {
    const owner = await signUpCaller(t.app);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: owner.bearer });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    const apiRoot = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(apiRoot.json().error.code).toBe('NOT_FOUND');
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json().status).toBe('ok');
    const traversal = await t.app.inject({ method: 'GET', url: '/assets/../../package.json' });
    expect(traversal.body).not.toContain('"devDependencies"');
    const post = await t.app.inject({ method: 'POST', url: '/surveys', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('answers with a short plain-text page when the UI was never built', async () => {
    const app = Fastify();
    await registerWebUi(app, t.ctx, '/nonexistent/web/dist');
    const res = await app.inject({ method: 'GET', url: '/surveys' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toContain('npm run build');
    await app.close();
  });
});
