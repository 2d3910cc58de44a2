// The mail outbox: retries through an SMTP outage (refused, 4xx, 5xx) with every mail arriving once,
// stable Message-IDs, leases, giving up, the dev mailbox, and several senders on one PostgreSQL schema.
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import type { AppContext } from '../src/context.js';
import { openDatabase, type Engine } from '../src/db/connect.js';
import { createLogger } from '../src/logger.js';
import { queueDisabledMail } from '../src/notifications/notification-events.js';
import { sendDueMail, startMailSender } from '../src/notifications/mail-sender.js';
import { createMailTransport, type MailTransport } from '../src/notifications/mail-transport.js';
import { claimDueMail, queueMail } from '../src/notifications/notifications.store.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { TEST_PG_URL } from './helpers/pg.js';
import { startSmtpServer, type SmtpServer } from './helpers/smtp.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function content(n: number) {
  return { subject: `Test mail ${n}`, text: `Body ${n}`, html: `<p>Body ${n}</p>` };
}

async function queue(t: TestApp, orgId: string, n: number, recipients: string[], now: number) {
  return queueMail(t.ctx.db, {
    orgId,
    automationId: null,
    kind: 'failure_digest',
    recipients,
    content: content(n),
    now,
  });
}

async function outbox(t: TestApp) {
  return t.ctx.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
}

function capturedLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger(level, stream), lines };
}

for (const engine of ENGINES) {
  describe(`mail outbox over SMTP (${engine})`, () => {
    let smtp: SmtpServer;
    let t: TestApp;
    let owner: Caller;
    let transport: MailTransport;
    const clock = new ManualClock(Date.now());
    const logged = capturedLogger();

    beforeAll(async () => {
      smtp = await startSmtpServer({ down: true }); // no auth: the other suite covers it
      t = await createTestApp(engine, {
        clock,
        env: { SVARBUD_SMTP_URL: smtp.url, SVARBUD_MAIL_FROM: 'Svarbud <no-reply@mail.example.net>' },
      });
      owner = await signUpCaller(t.app);
      transport = createMailTransport(t.ctx);
    });
    afterAll(async () => {
      transport.close();
      await t.close();
      await smtp.close();
    });

    const send = () => sendDueMail({ ...t.ctx, log: logged.log }, transport, clock.now());

    it('tells the UI that mail goes out over SMTP, not to the dev mailbox', async () => {
      const me = await t.app.inject({ url: '/api/v1/me', headers: owner.bearer });
      expect(me.json().devMailbox).toBe(false);
    });

    it('survives refused connections, 4xx and 5xx answers: every mail arrives once, same Message-ID', async () => {
      const start = clock.now();
      const ids = await queue(t, owner.orgId, 1, ['a@example.com', 'b@example.com', 'c@example.com'], start);

      // 1. Nothing listens: connection refused. Retried in a minute.
      expect(await send()).toMatchObject({ sent: 0, failed: 3 });
      let rows = await outbox(t);
      for (const r of rows) {
        expect(r).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: start + MINUTE });
        expect(r.last_error).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
        expect(r.lease_token).toBeNull();
      }
      // 2. Up, but "try again later" (451). Not due before the minute has passed.
      await smtp.up();
      smtp.reject(451);
      clock.advance(MINUTE - 1);
      expect(await send()).toMatchObject({ sent: 0, failed: 0 });
      clock.advance(1);
      expect(await send()).toMatchObject({ sent: 0, failed: 3 });
      rows = await outbox(t);
      for (const r of rows) {
        expect(r).toMatchObject({
          status: 'pending',
          attempts: 2,
          next_attempt_at: clock.now() + 5 * MINUTE,
        });
        expect(r.last_error).toContain('451');
      }
      // 3. Refused outright (550): still retried — a misconfigured relay is fixed, not mail dropped.
      smtp.reject(550);
      clock.advance(5 * MINUTE);
      expect(await send()).toMatchObject({ sent: 0, failed: 3 });
      rows = await outbox(t);
      for (const r of rows) {
        expect(r).toMatchObject({
          status: 'pending',
          attempts: 3,
          next_attempt_at: clock.now() + 30 * MINUTE,
        });
        expect(r.last_error).toContain('550');
      }
      // 4. Working again.
      smtp.accept();
      clock.advance(30 * MINUTE);
      expect(await send()).toMatchObject({ sent: 3, failed: 0 });
      const mails = await smtp.waitForMessages(3);
      expect(mails.map((m) => m.to[0]).sort()).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
      expect(mails.map((m) => m.parsed.messageId).sort()).toEqual(
        [...ids].sort().map((id) => `<${id}@mail.example.net>`),
      );
      for (const m of mails) {
        expect(m.parsed.subject).toBe('Test mail 1');
        expect(m.parsed.text?.trim()).toBe('Body 1');
        expect(String(m.parsed.html)).toContain('<p>Body 1</p>');
        expect(m.parsed.headers.get('auto-submitted')).toBe('auto-generated');
      }
      rows = await outbox(t);
      for (const r of rows)
        expect(r).toMatchObject({ status: 'sent', attempts: 4, sent_at: clock.now(), last_error: null });

      // Nothing is sent twice, however often the sender runs later.
      clock.advance(3 * HOUR);
      expect(await send()).toMatchObject({ sent: 0, failed: 0 });
      await new Promise((r) => setTimeout(r, 100));
      expect(smtp.messages).toHaveLength(3);
      const warnings = logged.lines.filter((l) => l.msg === 'mail not sent; will retry');
      expect(warnings).toHaveLength(9);
      smtp.clear();
    });

    it('leaves a mail leased by a sender that died alone until the lease runs out, then sends it once', async () => {
      const [id] = await queue(t, owner.orgId, 2, ['lease@example.com'], clock.now());
      const claimed = await claimDueMail(t.ctx.db, t.ctx.engine, {
        now: clock.now(),
        leaseToken: 'dead-sender',
        leaseExpiresAt: clock.now() + 10 * MINUTE,
        limit: 10,
      });
      expect(claimed.map((r) => r.id)).toEqual([id]);
      expect(await send()).toMatchObject({ sent: 0 });
      clock.advance(10 * MINUTE + 1);
      expect(await send()).toMatchObject({ sent: 1 });
      const [mail] = await smtp.waitForMessages(1);
      expect(mail!.parsed.messageId).toBe(`<${id}@mail.example.net>`);
      expect(await send()).toMatchObject({ sent: 0 });
      smtp.clear();
    });

    it('gives up on a mail the server has refused for three days, and says so in the log', async () => {
      smtp.reject(550);
      const [id] = await queue(t, owner.orgId, 3, ['nobody@example.com'], clock.now());
      let attempts = 0;
      for (let i = 0; i < 60; i++) {
        const r = await send();
        attempts += r.failed;
        const row = (await outbox(t)).find((x) => x.id === id)!;
        if (row.status === 'failed') break;
        clock.set(row.next_attempt_at);
      }
      const row = (await outbox(t)).find((x) => x.id === id)!;
      expect(row.status).toBe('failed');
      expect(row.last_error).toContain('550');
      // 1 min, 5 min, 30 min, then every 2 h for the rest of the three days.
      expect(attempts).toBeGreaterThan(30);
      expect(attempts).toBeLessThan(45);
      expect(logged.lines.some((l) => l.msg === 'mail could not be sent; given up' && l.mailId === id)).toBe(
        true,
      );
      smtp.accept();
      clock.advance(10 * HOUR);
      expect(await send()).toMatchObject({ sent: 0, failed: 0 });
    });

    it('tries an unreachable server once per round, not once per mail, and loses nothing', async () => {
      // A server that accepts TCP connections and hangs up without a greeting: no SMTP reply at all.
      let connections = 0;
      const mute = createTcpServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
      const { port } = mute.address() as AddressInfo;
      const dead = createMailTransport({
        ...t.ctx,
        config: { ...t.ctx.config, smtpUrl: `smtp://127.0.0.1:${port}` },
      });
      try {
        const recipients = Array.from({ length: 25 }, (_, i) => `many${i}@example.com`);
        const ids = await queue(t, owner.orgId, 6, recipients, clock.now());
        // One connection attempt per round; the batch it was for (10 mails) waits a minute, the rest
        // stays due for the next round.
        const pending = async () =>
          (await outbox(t))
            .filter((r) => ids.includes(r.id))
            .map((r) => [r.attempts, r.next_attempt_at - clock.now()]);
        expect(await sendDueMail(t.ctx, dead, clock.now())).toMatchObject({ sent: 0, failed: 10 });
        expect(connections).toBe(1);
        expect((await pending()).filter(([a]) => a === 1)).toHaveLength(10);
        expect((await pending()).filter(([a, d]) => a === 0 && d === 0)).toHaveLength(15);
        expect(await sendDueMail(t.ctx, dead, clock.now())).toMatchObject({ failed: 10 });
        expect(await sendDueMail(t.ctx, dead, clock.now())).toMatchObject({ failed: 5 });
        expect(await sendDueMail(t.ctx, dead, clock.now())).toMatchObject({ failed: 0 });
        expect(connections).toBe(3);
        expect(await pending()).toEqual(recipients.map(() => [1, MINUTE]));
        const rows = (await outbox(t)).filter((r) => ids.includes(r.id));
        for (const r of rows) expect(r).toMatchObject({ status: 'pending', lease_token: null });
        clock.advance(MINUTE);
        expect(await sendDueMail(t.ctx, transport, clock.now())).toMatchObject({ sent: 25, failed: 0 });
        const mails = await smtp.waitForMessages(25);
        expect(new Set(mails.map((m) => m.to[0]))).toEqual(new Set(recipients));
        smtp.clear();
      } finally {
        dead.close();
        await new Promise((resolve) => mute.close(resolve));
      }
    });

    it('retries a wrong SMTP password without writing it anywhere', async () => {
      const secured = await startSmtpServer({ auth: { user: 'mailer', pass: 'right-pass' } });
      const wrong = secured.url.replace('right-pass', 'Wr0ng-Pa55word');
      const app = await createTestApp(engine, { clock, env: { SVARBUD_SMTP_URL: wrong } });
      const caller = await signUpCaller(app.app);
      const { log, lines } = capturedLogger();
      const bad = createMailTransport(app.ctx);
      try {
        await queue(app, caller.orgId, 4, ['x@example.com'], clock.now());
        expect(await sendDueMail({ ...app.ctx, log }, bad, clock.now())).toMatchObject({ failed: 1 });
        const [row] = await outbox(app);
        expect(row!.status).toBe('pending');
        expect(row!.last_error).toMatch(/EAUTH|535/);
        expect(row!.last_error).not.toContain('Wr0ng-Pa55word');
        expect(JSON.stringify(lines)).not.toContain('Wr0ng-Pa55word');
        expect(secured.messages).toHaveLength(0);
        // Fixed credentials (a restart with the right URL): the same row goes out once.
        const good = createMailTransport({ ...app.ctx, config: { ...app.ctx.config, smtpUrl: secured.url } });
        clock.advance(MINUTE);
        expect(await sendDueMail(app.ctx, good, clock.now())).toMatchObject({ sent: 1 });
        const [mail] = await secured.waitForMessages(1);
        expect(mail!.user).toBe('mailer');
        good.close();
      } finally {
        bad.close();
        await app.close();
        await secured.close();
      }
    });
  });

  describe(`dev mailbox (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let other: Caller;
    const clock = new ManualClock(Date.now());

    beforeAll(async () => {
      t = await createTestApp(engine, { clock, env: { SVARBUD_PUBLIC_URL: 'http://localhost:8080' } });
      owner = await signUpCaller(t.app);
      other = await signUpCaller(t.app, 'Other');
    });
    afterAll(async () => t.close());

    it('holds the mail when no SMTP server is configured, newest first, per organization, and logs it', async () => {
      const { log, lines } = capturedLogger();
      const transport = createMailTransport({ ...t.ctx, log });
      expect(transport.kind).toBe('dev-mailbox');
      await queue(t, owner.orgId, 1, ['first@example.com'], clock.now());
      clock.advance(1000);
      await queue(t, owner.orgId, 2, ['second@example.com', 'third@example.com'], clock.now());
      await queue(t, other.orgId, 3, ['theirs@example.com'], clock.now());
      expect(await sendDueMail({ ...t.ctx, log }, transport, clock.now())).toMatchObject({ sent: 4 });

      const res = await t.app.inject({ method: 'GET', url: '/api/v1/dev/mailbox', headers: owner.bearer });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.nextCursor).toBeNull();
      expect(body.items.map((m: { to: string }) => m.to)).toEqual([
        'third@example.com',
        'second@example.com',
        'first@example.com',
      ]);
      expect(body.items[2]).toEqual({
        id: expect.stringMatching(/^mail_/),
        to: 'first@example.com',
        subject: 'Test mail 1',
        text: 'Body 1',
        html: '<p>Body 1</p>',
        createdAt: new Date(clock.now()).toISOString(),
      });
      const page = await t.app.inject({
        method: 'GET',
        url: '/api/v1/dev/mailbox?limit=2',
        headers: { cookie: owner.cookie },
      });
      expect(page.json().items).toHaveLength(2);
      const rest = await t.app.inject({
        method: 'GET',
        url: `/api/v1/dev/mailbox?limit=2&cursor=${page.json().nextCursor}`,
        headers: owner.bearer,
      });
      expect(rest.json()).toMatchObject({ items: [{ to: 'first@example.com' }], nextCursor: null });
      const theirs = await t.app.inject({ method: 'GET', url: '/api/v1/dev/mailbox', headers: other.bearer });
      expect(theirs.json().items.map((m: { to: string }) => m.to)).toEqual(['theirs@example.com']);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/dev/mailbox' })).statusCode).toBe(401);

      const stored = lines.filter((l) => l.msg === 'mail stored in the dev mailbox (no SMTP configured)');
      expect(stored).toHaveLength(4);
      expect(stored[0]).toMatchObject({ level: 30, to: 'first@example.com', subject: 'Test mail 1' });
      expect(stored[0]).not.toHaveProperty('text');
      // Sent is sent: a second pass adds nothing.
      expect(await sendDueMail(t.ctx, transport, clock.now() + HOUR)).toMatchObject({ sent: 0 });
    });

    it('shows the text body in the log at debug level (development)', async () => {
      const { log, lines } = capturedLogger('debug');
      const transport = createMailTransport({ ...t.ctx, log });
      await queue(t, owner.orgId, 5, ['dbg@example.com'], clock.now());
      await sendDueMail({ ...t.ctx, log }, transport, clock.now());
      expect(lines.find((l) => l.msg === 'dev mailbox mail text')).toMatchObject({ text: 'Body 5' });
    });

    it('receives a real disable mail with links built from SVARBUD_PUBLIC_URL', async () => {
      const survey = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: owner.bearer,
        payload: { title: 'Onboarding' },
      });
      const a = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: owner.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId: survey.json().id,
          name: 'HR system',
          url: 'https://hr.example.com/hook?token=abc123',
          variables: { mode: 'all' },
          labels: 'auto',
        },
      });
      const id = a.json().id as string;
      await t.app.inject({
        method: 'PUT',
        url: `/api/v1/automations/${id}/notifications`,
        headers: owner.bearer,
        payload: { enabled: true, recipients: ['hr-ops@example.com'] },
      });
      await t.ctx.db.transaction().execute((trx) =>
        queueDisabledMail(trx, t.ctx.config, {
          automationId: id,
          reason: 'gone',
          at: clock.now(),
          lastError: {
            code: 'HTTP_STATUS',
            message: 'The receiver answered 410 Gone.',
            hint: null,
            statusCode: 410,
          },
        }),
      );
      const transport = createMailTransport(t.ctx);
      await sendDueMail(t.ctx, transport, clock.now());
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/dev/mailbox?limit=1',
        headers: owner.bearer,
      });
      const [mail] = res.json().items;
      expect(mail.subject).toBe('Automation "HR system" was disabled: the receiver answered 410 Gone');
      expect(mail.text).toContain(`http://localhost:8080/automations/${id}\n`);
      expect(mail.text).toContain(`http://localhost:8080/automations/${id}/runs?status=failed`);
      // A hint from the catalogue when the attempt carried none.
      expect(mail.text).toContain('What to do: Any 2xx status counts as success');
      expect(mail.text + mail.html).not.toContain('abc123');
      expect(mail.text + mail.html).not.toContain(a.json().secret);
    });
  });
}

describe('SMTP over TLS', () => {
  // smtp-server's built-in certificate is self-signed, so these URLs accept it explicitly.
  for (const [mode, query] of [
    ['starttls', '?requireTLS=true&tls.rejectUnauthorized=false'],
    ['implicit', '?tls.rejectUnauthorized=false'],
  ] as const) {
    it(`sends with ${mode === 'starttls' ? 'STARTTLS (smtp://…?requireTLS=true)' : 'implicit TLS (smtps://)'}, authenticated`, async () => {
      const smtp = await startSmtpServer({ tls: mode, auth: { user: 'mailer', pass: 'tls-pass' } });
      const t = await createTestApp('sqlite', { env: { SVARBUD_SMTP_URL: `${smtp.url}${query}` } });
      const transport = createMailTransport(t.ctx);
      try {
        const caller = await signUpCaller(t.app);
        await queue(t, caller.orgId, 1, ['tls@example.com'], Date.now());
        expect(await sendDueMail(t.ctx, transport, Date.now())).toMatchObject({ sent: 1 });
        const [mail] = await smtp.waitForMessages(1);
        expect(mail).toMatchObject({ secure: true, user: 'mailer', to: ['tls@example.com'] });
      } finally {
        transport.close();
        await t.close();
        await smtp.close();
      }
    });
  }

  it('refuses a self-signed certificate unless the URL says otherwise, and keeps the mail', async () => {
    const smtp = await startSmtpServer({ tls: 'implicit' });
    const t = await createTestApp('sqlite', { env: { SVARBUD_SMTP_URL: smtp.url } });
    const transport = createMailTransport(t.ctx);
    try {
      const caller = await signUpCaller(t.app);
      await queue(t, caller.orgId, 1, ['tls@example.com'], Date.now());
      expect(await sendDueMail(t.ctx, transport, Date.now())).toMatchObject({ sent: 0, failed: 1 });
      expect((await outbox(t))[0]).toMatchObject({ status: 'pending', attempts: 1 });
      expect(smtp.messages).toHaveLength(0);
    } finally {
      transport.close();
      await t.close();
      await smtp.close();
    }
  });
});

describe('two mail senders on one PostgreSQL schema', () => {
  let smtp: SmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp('postgres', { env: { SVARBUD_SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('send each mail exactly once', async () => {
    const owner = await signUpCaller(t.app);
    const second = await openDatabase(
      { engine: 'postgres', url: TEST_PG_URL },
      { schema: t.database.location },
    );
    const ctx2: AppContext = { ...t.ctx, db: second.db };
    const total = 40;
    for (let i = 0; i < total / 4; i++) {
      await queue(
        t,
        owner.orgId,
        i,
        [`a${i}@example.com`, `b${i}@example.com`, `c${i}@example.com`, `d${i}@example.com`],
        Date.now(),
      );
    }
    const stops = [
      startMailSender(t.ctx, t.database, { pollIntervalMs: 5 }),
      startMailSender(ctx2, second, { pollIntervalMs: 5 }),
      startMailSender(ctx2, second, { pollIntervalMs: 5 }),
    ];
    try {
      await smtp.waitForMessages(total, 20_000);
      await new Promise((r) => setTimeout(r, 500)); // time for a duplicate to show up
    } finally {
      await Promise.all(stops.map((stop) => stop()));
      await second.close();
    }
    expect(smtp.messages).toHaveLength(total);
    expect(new Set(smtp.messages.map((m) => m.parsed.messageId)).size).toBe(total);
    expect(new Set(smtp.messages.map((m) => m.to[0])).size).toBe(total);
    const rows = await outbox(t);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });
});

export type { Engine };
