// A test app with a running dispatcher delivering to real receivers on 127.0.0.1.
import type { Clock } from '../../src/clock.js';
import type { Engine } from '../../src/db/connect.js';
import type { Logger } from 'pino';
import { Dispatcher, type DispatcherOptions } from '../../src/delivery/dispatcher.js';
import type { TestDatabase } from './db.js';
import { USER_AGENT } from '../../src/version.js';
import type { DeliveryEvents } from '../../src/delivery/delivery-events.js';
import { createSender } from '../../src/delivery/http-sender.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './app.js';
import { createSurveyFixture, type SurveyFixture } from './surveys.js';

export interface DeliveryHarness extends TestApp {
  dispatcher: Dispatcher;
  owner: Caller;
  fx: SurveyFixture;
  /** Creates an automation on the fixture survey through the API; returns its JSON. */
  createAutomation(
    body: Record<string, unknown>,
  ): Promise<{ id: string; secret: string } & Record<string, unknown>>;
  /** Submits a response to the fixture survey through the API; returns its JSON. */
  submit(
    body?: Record<string, unknown>,
  ): Promise<{ id: string; runs: { id: string; automationId: string }[] }>;
  run(id: string): Promise<Record<string, unknown>>;
  /** Waits until `predicate` holds, polling the database. */
  waitFor<T>(probe: () => Promise<T>, predicate: (value: T) => boolean, timeoutMs?: number): Promise<T>;
}

export async function createDeliveryHarness(
  engine: Engine,
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    log?: Logger;
    events?: DeliveryEvents;
    start?: boolean;
    /** Overrides of the dispatcher's options, given the test database. */
    dispatcher?: (database: TestDatabase) => Partial<DispatcherOptions>;
  } = {},
): Promise<DeliveryHarness> {
  const t = await createTestApp(engine, {
    env: { SVARBUD_ALLOW_CIDRS: '127.0.0.0/8', ...options.env },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const sender = createSender({
    connectTimeoutMs: t.ctx.config.connectTimeoutMs,
    requestTimeoutMs: t.ctx.config.requestTimeoutMs,
    allowCidrs: t.ctx.config.allowCidrs,
    userAgent: USER_AGENT,
  });
  const dispatcher = new Dispatcher(t.ctx, {
    sender,
    pollIntervalMs: 100,
    ...(options.events ? { events: options.events } : {}),
    ...options.dispatcher?.(t.database),
  });
  if (options.start !== false) await dispatcher.start();
  const owner = await signUpCaller(t.app);
  const fx = await createSurveyFixture(t.ctx.db, owner.orgId);

  const harness: DeliveryHarness = {
    ...t,
    dispatcher,
    owner,
    fx,
    async createAutomation(body) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name: 'Receiver',
          variables: { mode: 'all' },
          labels: 'auto',
          ...body,
        },
      });
      if (res.statusCode !== 201) throw new Error(`create automation: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async submit(body = {}) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${fx.survey.id}/responses`,
        headers: owner.bearer,
        payload: {
          respondent: { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com' },
          answers: {},
          ...body,
        },
      });
      if (res.statusCode !== 201) throw new Error(`submit: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async run(id) {
      return (await t.ctx.db
        .selectFrom('runs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()) as unknown as Record<string, unknown>;
    },
    async waitFor(probe, predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (predicate(value)) return value;
        if (Date.now() > deadline)
          throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await dispatcher.stop();
      await sender.close();
      await t.close();
    },
  };
  return harness;
}
