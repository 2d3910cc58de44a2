// A real app over a real database, driven with fastify.inject (same code path as HTTP).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import type { Engine } from '../../src/db/connect.js';
import { createLogger } from '../../src/logger.js';
import { buildApp } from '../../src/server.js';
import { openTestDatabase, type TestDatabase } from './db.js';

export const TEST_SECRET_KEY = 'test-master-key-0123456789abcdef-0123456789';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    SVARBUD_PASSWORD_HASH_COST: '10', // fast hashing in tests; production default is 15
    SVARBUD_LOGIN_ATTEMPTS: '1000',
    SVARBUD_SIGNUPS_PER_HOUR: '10000',
    SVARBUD_DEMO: 'off',
    ...env,
  });
}

export async function createTestApp(
  engine: Engine,
  options: { env?: Record<string, string>; clock?: Clock; log?: Logger } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(engine);
  const config = testConfig(options.env);
  const ctx: AppContext = {
    db: database.db,
    engine,
    queue: database.queue,
    config,
    clock: options.clock ?? systemClock,
    log: options.log ?? createLogger(config.logLevel),
    secretKey: TEST_SECRET_KEY,
  };
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    database,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}

/** Credentials of one signed-up organization: a session (cookie + CSRF) and an API key. */
export interface Caller {
  orgId: string;
  userId: string;
  email: string;
  cookie: string;
  csrfToken: string;
  apiKey: string;
  /** Headers for API-key requests. */
  bearer: Record<string, string>;
  /** Headers for cookie requests (with CSRF). */
  session: Record<string, string>;
}

let counter = 0;

export async function signUpCaller(app: FastifyInstance, name = 'Owner'): Promise<Caller> {
  counter += 1;
  const email = `owner${counter}-${Date.now()}@example.com`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email, password: 'correct horse battery', name, organizationName: `${name} Org ${counter}` },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieOf(res);
  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  const csrfToken = me.json().csrfToken as string;
  const key = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: { cookie, 'x-csrf-token': csrfToken },
    payload: { name: 'tests' },
  });
  const apiKey = key.json().key as string;
  const body = res.json();
  return {
    orgId: body.organization.id,
    userId: body.user.id,
    email,
    cookie,
    csrfToken,
    apiKey,
    bearer: { authorization: `Bearer ${apiKey}` },
    session: { cookie, 'x-csrf-token': csrfToken },
  };
}

export function sessionCookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'svarbud_session');
  if (!c) throw new Error('no session cookie');
  return `svarbud_session=${c.value}`;
}
