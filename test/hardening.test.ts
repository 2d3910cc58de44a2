// Hardening (SPEC §13): sign-up is rate limited per client address; tokens in URLs never reach the
// logs; the data folder is 0700 and the database, WAL, SHM and key files 0600; logs are readable by a
// person on a terminal and JSON otherwise.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { clientKey } from '../src/http/rate-limit.js';
import { createLogger, redactUrlTokens, resolveLogFormat } from '../src/logger.js';
import { resolveSecretKey } from '../src/secret-key.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createSurveyFixture } from './helpers/surveys.js';
import { signUpCaller } from './helpers/app.js';

const mode = (path: string) => statSync(path).mode & 0o777;

function sink(): { stream: Writable; text: () => string } {
  const lines: string[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
    text: () => lines.join(''),
  };
}

for (const engine of ENGINES) {
  describe(`sign-up rate limit (${engine})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine, { env: { SVARBUD_SIGNUPS_PER_HOUR: '3' } });
    });
    afterAll(async () => t.close());

    const signUp = (n: number, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress,
        payload: {
          email: `rl${n}-${engine}@example.com`,
          password: 'correct horse battery',
          name: 'R',
          organizationName: `R${n}`,
        },
      });

    it('answers 429 with Retry-After past the allowance, per client address (IPv6: per /64)', async () => {
      for (let i = 0; i < 3; i++) expect((await signUp(i, '198.51.100.7')).statusCode).toBe(201);
      const limited = await signUp(3, '198.51.100.7');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // The same address written as IPv4-mapped IPv6 is the same client.
      expect((await signUp(4, '::ffff:198.51.100.7')).statusCode).toBe(429);
      // Another address is not affected.
      expect((await signUp(5, '198.51.100.8')).statusCode).toBe(201);
      // One IPv6 /64 is one client.
      for (let i = 0; i < 3; i++)
        expect((await signUp(10 + i, `2001:db8:1:2::${i + 1}`)).statusCode).toBe(201);
      expect((await signUp(13, '2001:db8:1:2:ffff::9')).statusCode).toBe(429);
      expect((await signUp(14, '2001:db8:1:3::1')).statusCode).toBe(201);
    });
  });

  describe(`tokens in URLs are not logged (${engine})`, () => {
    let t: TestApp;
    const log = sink();
    beforeAll(async () => {
      t = await createTestApp(engine, { log: createLogger('trace', log.stream) });
    });
    afterAll(async () => t.close());

    it('respondent page, public survey API and inbox tokens are [redacted] in request logs', async () => {
      const owner = await signUpCaller(t.app);
      const fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      const token = fx.survey.publicToken;
      const inbox = await t.app.inject({
        method: 'POST',
        url: '/api/v1/inboxes',
        headers: owner.bearer,
        payload: { name: 'Logged' },
      });
      expect(inbox.statusCode).toBe(201);
      const inboxToken = String(inbox.json().url).split('/').pop()!;
      expect(inboxToken.length).toBeGreaterThan(20);
      await t.app.inject({ method: 'GET', url: `/r/${token}` });
      await t.app.inject({ method: 'GET', url: `/api/v1/public/surveys/${token}` });
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/public/surveys/${token}/responses?x=1`,
        payload: { answers: {} },
      });
      await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${inboxToken}`, payload: { a: 1 } });
      await t.app.inject({ method: 'POST', url: '/api/v1/inbox/some-unknown-token-value', payload: {} });
      await t.app.inject({ method: 'GET', url: '/invite/an-invitation-token-value' });
      const text = log.text();
      expect(text).toContain('/invite/[redacted]');
      expect(text).toContain('/api/v1/public/surveys/[redacted]/responses?x=1');
      expect(text).toContain('/r/[redacted]');
      expect(text).toContain('/api/v1/inbox/[redacted]');
      for (const secret of [token, inboxToken, 'some-unknown-token-value', 'an-invitation-token-value'])
        expect(text).not.toContain(secret);
    });
  });
}

describe('redactUrlTokens', () => {
  it('keeps everything but the token', () => {
    expect(redactUrlTokens('/r/abc123?lang=nb')).toBe('/r/[redacted]?lang=nb');
    expect(redactUrlTokens('/api/v1/public/surveys/tok/responses')).toBe(
      '/api/v1/public/surveys/[redacted]/responses',
    );
    expect(redactUrlTokens('/api/v1/inbox/tok')).toBe('/api/v1/inbox/[redacted]');
    expect(redactUrlTokens('/api/v1/inbox')).toBe('/api/v1/inbox');
    expect(redactUrlTokens('/invite/tok?x=1')).toBe('/invite/[redacted]?x=1');
    expect(redactUrlTokens('/api/v1/surveys/svy_1')).toBe('/api/v1/surveys/svy_1');
  });
});

describe('clientKey', () => {
  it('is the IPv4 address, or the IPv6 /64', () => {
    expect(clientKey('203.0.113.4')).toBe('203.0.113.4');
    expect(clientKey('::ffff:203.0.113.4')).toBe('203.0.113.4');
    expect(clientKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('file permissions (SQLite)', () => {
  const root = mkdtempSync(join(tmpdir(), 'svarbud-perm-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data folder 0700 and the database, WAL, SHM and key files 0600', async () => {
    const path = join(root, 'data', 'svarbud.db');
    const handle = await openDatabase({ engine: 'sqlite', path });
    await migrateToLatest(handle.db, handle.engine);
    const config = loadConfig({ DATABASE_URL: `sqlite:${path}` });
    resolveSecretKey(config);
    expect(mode(join(root, 'data'))).toBe(0o700);
    for (const file of ['svarbud.db', 'svarbud.db-wal', 'svarbud.db-shm', 'secret.key']) {
      expect(mode(join(root, 'data', file)), file).toBe(0o600);
    }
    await handle.close();
  });

  it('makes files from before private again', async () => {
    const dir = join(root, 'old');
    const path = join(dir, 'svarbud.db');
    const first = await openDatabase({ engine: 'sqlite', path });
    await first.close();
    chmodSync(path, 0o644);
    writeFileSync(join(dir, 'secret.key'), 'k'.repeat(43) + '\n', { mode: 0o644 });
    chmodSync(join(dir, 'secret.key'), 0o644);
    const again = await openDatabase({ engine: 'sqlite', path });
    resolveSecretKey(loadConfig({ DATABASE_URL: `sqlite:${path}` }));
    expect(mode(path)).toBe(0o600);
    expect(mode(join(dir, 'secret.key'))).toBe(0o600);
    await again.close();
  });
});

describe('log format', () => {
  it('auto is pretty on a terminal and JSON otherwise; LOG_FORMAT chooses', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('pretty lines are for people, JSON lines for machines, and both are redacted', () => {
    const pretty = sink();
    createLogger('info', pretty.stream, 'pretty').info({ password: 'hunter2-secret' }, 'svarbud is serving');
    expect(pretty.text()).toMatch(/INFO.*svarbud is serving/);
    expect(() => JSON.parse(pretty.text()) as unknown).toThrow();
    expect(pretty.text()).not.toContain('hunter2-secret');
    const json = sink();
    createLogger('info', json.stream, 'json').info({ password: 'hunter2-secret' }, 'svarbud is serving');
    const line = JSON.parse(json.text()) as { msg: string; password: string };
    expect(line.msg).toBe('svarbud is serving');
    expect(line.password).toBe('[redacted]');
  });
});
