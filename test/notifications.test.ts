// Failure notifications end to end: settings over the API, real failures through the dispatcher and
// real receivers, mail through the outbox to a real SMTP server (with auth), parsed with mailparser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import type { Engine } from '../src/db/connect.js';
import { sendDueMail, startMailSender } from '../src/notifications/mail-sender.js';
import { createMailTransport, type MailTransport } from '../src/notifications/mail-transport.js';
import { notificationEvents } from '../src/notifications/notification-events.js';
import { signUpCaller, testConfig } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startSmtpServer, type ReceivedMail, type SmtpServer } from './helpers/smtp.js';
import { createSurveyFixture } from './helpers/surveys.js';

const PUBLIC_URL = 'https://svarbud.example.com';
const MINUTE = 60_000;

interface Setup {
  h: DeliveryHarness;
  smtp: SmtpServer;
  receiver: Receiver;
  clock: ManualClock;
  transport: MailTransport;
  /** Every automation secret seen, to prove none reaches a mail. */
  secrets: string[];
  send(): Promise<{ digests: number; sent: number; failed: number }>;
  close(): Promise<void>;
}

async function setup(engine: Engine, env: Record<string, string>): Promise<Setup> {
  const smtp = await startSmtpServer({ auth: { user: 'mailer', pass: 'smtp-pass-Xy7' } });
  const clock = new ManualClock(Date.now());
  const fullEnv = {
    SVARBUD_RETRY_SCHEDULE: '0',
    SVARBUD_SMTP_URL: smtp.url,
    SVARBUD_MAIL_FROM: 'Svarbud <alerts@svarbud.example.com>',
    SVARBUD_PUBLIC_URL: PUBLIC_URL,
    ...env,
  };
  const h = await createDeliveryHarness(engine, {
    clock,
    env: fullEnv,
    events: notificationEvents({ config: testConfig(fullEnv) }),
  });
  const receiver = await startReceiver();
  const transport = createMailTransport(h.ctx);
  return {
    h,
    smtp,
    receiver,
    clock,
    transport,
    secrets: [],
    send: () => sendDueMail(h.ctx, transport, clock.now()),
    async close() {
      transport.close();
      await h.close();
      await receiver.close();
      await smtp.close();
    },
  };
}

async function putNotifications(s: Setup, automationId: string, body: unknown, headers = s.h.owner.bearer) {
  return s.h.app.inject({
    method: 'PUT',
    url: `/api/v1/automations/${automationId}/notifications`,
    headers,
    payload: body as Record<string, unknown>,
  });
}

async function automationState(s: Setup, id: string) {
  const res = await s.h.app.inject({
    method: 'GET',
    url: `/api/v1/automations/${id}`,
    headers: s.h.owner.bearer,
  });
  return res.json() as { enabled: boolean; disabledReason: string | null };
}

async function failedCount(s: Setup, automationId: string): Promise<number> {
  const rows = await s.h.ctx.db
    .selectFrom('runs')
    .select('id')
    .where('automation_id', '=', automationId)
    .where('status', '=', 'failed')
    .execute();
  return rows.length;
}

function byRecipient(mails: ReceivedMail[]): string[] {
  return mails.map((m) => m.to.join(',')).sort();
}

function expectNoSecrets(s: Setup, mails: ReceivedMail[]): void {
  const forbidden = [...s.secrets, s.h.owner.apiKey, 'smtp-pass-Xy7', s.h.ctx.secretKey];
  for (const mail of mails) {
    for (const secret of forbidden) expect(mail.raw).not.toContain(secret);
    // Bodies may be quoted-printable or base64 in the raw form: look at the decoded parts too.
    for (const secret of forbidden) {
      expect(mail.parsed.text ?? '').not.toContain(secret);
      expect(String(mail.parsed.html)).not.toContain(secret);
    }
  }
}

for (const engine of ENGINES) {
  describe(`notification settings (${engine})`, () => {
    let s: Setup;
    let automationId: string;

    beforeAll(async () => {
      s = await setup(engine, {});
      automationId = (await s.h.createAutomation({ url: s.receiver.urlFor('/hook') })).id;
    });
    afterAll(async () => s.close());

    it('are off with no recipients until saved', async () => {
      const res = await s.h.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${automationId}/notifications`,
        headers: s.h.owner.bearer,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ enabled: false, recipients: [], language: 'en' });
    });

    it('saves at once: trimmed, lower-cased, de-duplicated, in the order given', async () => {
      const res = await putNotifications(s, automationId, {
        enabled: true,
        recipients: ['  Ops@Example.COM ', 'ops@example.com', 'kari.nordmann+alerts@sub.example.no'],
      });
      expect(res.statusCode).toBe(200);
      const expected = {
        enabled: true,
        recipients: ['ops@example.com', 'kari.nordmann+alerts@sub.example.no'],
        language: 'en',
      };
      expect(res.json()).toEqual(expected);
      // With the session cookie (and its CSRF token), as the web UI saves it.
      const viaSession = await s.h.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${automationId}/notifications`,
        headers: { cookie: s.h.owner.cookie },
      });
      expect(viaSession.json()).toEqual(expected);
      const off = await putNotifications(
        s,
        automationId,
        { enabled: false, recipients: ['ops@example.com'] },
        s.h.owner.session,
      );
      expect(off.json()).toEqual({ enabled: false, recipients: ['ops@example.com'], language: 'en' });
      const row = await s.h.ctx.db
        .selectFrom('notification_settings')
        .selectAll()
        .where('automation_id', '=', automationId)
        .executeTakeFirstOrThrow();
      expect(row.enabled).toBe(0);
    });

    it('rejects an invalid address with a 400 naming it, and saves nothing', async () => {
      await putNotifications(s, automationId, { enabled: true, recipients: ['a@example.com'] });
      for (const bad of [
        'not-an-address',
        'two@@example.com',
        'x@localhost',
        'a b@example.com',
        '',
        'x@example.com>',
      ]) {
        const res = await putNotifications(s, automationId, {
          enabled: true,
          recipients: ['ok@example.com', bad],
        });
        expect(res.statusCode, bad).toBe(400);
        const error = res.json().error;
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details[0].field).toBe('recipients.1');
        expect(error.message).toContain('recipients.1');
      }
      const now = await s.h.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${automationId}/notifications`,
        headers: s.h.owner.bearer,
      });
      expect(now.json()).toEqual({ enabled: true, recipients: ['a@example.com'], language: 'en' });
    });

    it('takes at most 20 distinct recipients', async () => {
      const twenty = Array.from({ length: 20 }, (_, i) => `r${i}@example.com`);
      const ok = await putNotifications(s, automationId, {
        enabled: true,
        recipients: [...twenty, 'R0@example.com'],
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().recipients).toHaveLength(20);
      const tooMany = await putNotifications(s, automationId, {
        enabled: true,
        recipients: [...twenty, 'r20@example.com'],
      });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().error.details[0].field).toBe('recipients');
      expect(tooMany.json().error.message).toMatch(/at most 20/);
    });

    it('keep the language the UI sends, else the one Accept-Language asks for, else English', async () => {
      const put = (body: Record<string, unknown>, acceptLanguage?: string) =>
        putNotifications(s, automationId, body, {
          ...s.h.owner.bearer,
          ...(acceptLanguage ? { 'accept-language': acceptLanguage } : {}),
        });
      const base = { enabled: true, recipients: ['ops@example.com'] };
      expect((await put({ ...base, language: 'nb' })).json().language).toBe('nb');
      expect((await put(base, 'nb-NO,nb;q=0.9,en;q=0.5')).json().language).toBe('nb');
      expect((await put(base, 'no')).json().language).toBe('nb');
      expect((await put({ ...base, language: 'en' }, 'nb-NO')).json().language).toBe('en');
      expect((await put(base, 'de-DE,fr;q=0.8')).json().language).toBe('en');
      expect((await put(base)).json().language).toBe('en');
      const bad = await put({ ...base, language: 'sv' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('language');
    });

    it('rejects a body of the wrong shape with a 400', async () => {
      for (const body of [
        { enabled: true },
        { enabled: 'yes', recipients: [] },
        { enabled: true, recipients: 'a@example.com' },
      ]) {
        const res = await putNotifications(s, automationId, body);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
    });

    it('are documented in the OpenAPI document, with the dev mailbox', async () => {
      const res = await s.h.app.inject({ method: 'GET', url: '/api/openapi.json' });
      const paths = res.json().paths as Record<string, Record<string, unknown>>;
      expect(Object.keys(paths['/api/v1/automations/{id}/notifications'] ?? {}).sort()).toEqual([
        'get',
        'put',
      ]);
      expect(Object.keys(paths['/api/v1/dev/mailbox'] ?? {})).toEqual(['get']);
    });

    it("answers 404 for another organization's automation and for unknown ids", async () => {
      const other = await signUpCaller(s.h.app, 'Other');
      const get = await s.h.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${automationId}/notifications`,
        headers: other.bearer,
      });
      expect(get.statusCode).toBe(404);
      const put = await putNotifications(
        s,
        automationId,
        { enabled: true, recipients: ['spy@example.com'] },
        other.bearer,
      );
      expect(put.statusCode).toBe(404);
      const unknown = await putNotifications(s, 'aut_nope', { enabled: true, recipients: [] });
      expect(unknown.statusCode).toBe(404);
      const unauthenticated = await s.h.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${automationId}/notifications`,
      });
      expect(unauthenticated.statusCode).toBe(401);
    });
  });

  describe(`disable mail (${engine})`, () => {
    let s: Setup;

    beforeAll(async () => {
      // One run in flight per automation, so the runs behind the third failure are still held.
      s = await setup(engine, {
        SVARBUD_DISABLE_AFTER_FAILURES: '3',
        SVARBUD_MAX_IN_FLIGHT_PER_AUTOMATION: '1',
        SVARBUD_WARN_AFTER_FAILURES: '0', // the "at risk" mail has its own suite below
      });
    });
    afterAll(async () => s.close());

    it('goes to every recipient at once when failures disable the automation, then the digest follows', async () => {
      s.receiver.reply({ status: 500, body: 'kaboom' });
      const a = await s.h.createAutomation({ url: s.receiver.urlFor('/fails'), name: 'CRM sync' });
      s.secrets.push(a.secret);
      await putNotifications(s, a.id, { enabled: true, recipients: ['Ops@Example.com', 'lead@example.org'] });
      // Three runs are due now and two later, so the two are still waiting when the third failure disables.
      await s.h.dispatcher.stop();
      const start = s.clock.now();
      for (let i = 0; i < 3; i++) await s.h.submit();
      s.clock.set(start + 60 * MINUTE);
      for (let i = 0; i < 2; i++) await s.h.submit();
      s.clock.set(start);
      await s.h.dispatcher.start();
      await s.h.waitFor(
        () => automationState(s, a.id),
        (x) => x.disabledReason === 'failures',
      );
      expect(await failedCount(s, a.id)).toBe(3);

      const result = await s.send();
      expect(result).toMatchObject({ sent: 2, failed: 0 });
      const mails = await s.smtp.waitForMessages(2);
      expect(byRecipient(mails)).toEqual(['lead@example.org', 'ops@example.com']);
      for (const mail of mails) {
        const p = mail.parsed;
        expect(mail.user).toBe('mailer');
        expect(p.from?.value[0]?.address).toBe('alerts@svarbud.example.com');
        expect(p.subject).toBe('Automation "CRM sync" was disabled after 3 failed runs in a row');
        expect(p.messageId).toMatch(/^<mail_[0-9a-z]+@svarbud\.example\.com>$/);
        const text = p.text ?? '';
        expect(text).toContain('The automation "CRM sync" of the survey "Pulse" was disabled');
        expect(text).toContain('3 runs in a row failed');
        expect(text).toContain('Last error: The receiver answered 500 Internal Server Error.');
        expect(text).toContain('What to do: The receiver had an internal error');
        expect(text).toContain('2 runs are held');
        expect(text).toContain(`${PUBLIC_URL}/automations/${a.id}\n`);
        expect(text).toContain(`${PUBLIC_URL}/automations/${a.id}/runs?status=failed`);
        const html = String(p.html);
        expect(html).toContain(`<a href="${PUBLIC_URL}/automations/${a.id}">Enable the automation again</a>`);
        expect(html).toContain(
          `<a href="${PUBLIC_URL}/automations/${a.id}/runs?status=failed">See the failed runs</a>`,
        );
        expect(html).toContain('2 runs are held');
        // The receiver's URL may carry a token: it is never part of a mail.
        expect(mail.raw).not.toContain(s.receiver.url);
      }
      expect(mails[0]!.parsed.messageId).not.toBe(mails[1]!.parsed.messageId);
      s.smtp.clear();

      // The failures that led there come as a digest a minute later (not before).
      expect(await s.send()).toMatchObject({ digests: 0, sent: 0 });
      s.clock.advance(MINUTE);
      expect(await s.send()).toMatchObject({ digests: 1, sent: 2 });
      const digests = await s.smtp.waitForMessages(2);
      for (const mail of digests) {
        expect(mail.parsed.subject).toBe('3 runs of automation "CRM sync" failed');
        const text = mail.parsed.text ?? '';
        expect(text).toMatch(
          /- Kari Nordmann, \d{4}-\d\d-\d\d \d\d:\d\d UTC: The receiver answered 500 Internal Server Error\./,
        );
        expect(text.match(/- Kari Nordmann/g)).toHaveLength(3);
        expect(text).toContain(`${PUBLIC_URL}/automations/${a.id}/runs?status=failed`);
        expect(String(mail.parsed.html)).toContain('<li><strong>Kari Nordmann</strong>');
      }
      expectNoSecrets(s, [...mails, ...digests]);
      s.smtp.clear();
      // Nothing more to say: no mail until something else fails.
      s.clock.advance(2 * 60 * MINUTE);
      expect(await s.send()).toMatchObject({ digests: 0, sent: 0 });
      expect(s.smtp.messages).toHaveLength(0);
    });

    it('says 410 Gone, escapes HTML in user-controlled names, and is not sent when notifications are off', async () => {
      s.receiver.reply({ status: 410, body: 'gone' });
      const fx = await createSurveyFixture(s.h.ctx.db, s.h.owner.orgId, { title: 'Staff <survey> & "more"' });
      const name = '<img src=x onerror=alert(1)> Ops & "Co"';
      const a = await s.h.createAutomation({ url: s.receiver.urlFor('/gone'), name, surveyId: fx.survey.id });
      const quiet = await s.h.createAutomation({
        url: s.receiver.urlFor('/gone-quietly'),
        surveyId: fx.survey.id,
      });
      s.secrets.push(a.secret, quiet.secret);
      await putNotifications(s, a.id, { enabled: true, recipients: ['ops@example.com'] });
      await putNotifications(s, quiet.id, { enabled: false, recipients: ['ops@example.com'] });
      const res = await s.h.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${fx.survey.id}/responses`,
        headers: s.h.owner.bearer,
        payload: { respondent: { firstName: 'Ola', lastName: '<b>Normann</b>' }, answers: {} },
      });
      expect(res.statusCode).toBe(201);
      for (const id of [a.id, quiet.id]) {
        await s.h.waitFor(
          () => automationState(s, id),
          (x) => x.disabledReason === 'gone',
        );
      }
      expect(await s.send()).toMatchObject({ sent: 1 });
      const [mail] = await s.smtp.waitForMessages(1);
      expect(mail!.parsed.subject).toBe(
        'Automation "<img src=x onerror=alert(1)> Ops & "Co"" was disabled: the receiver answered 410 Gone',
      );
      const text = mail!.parsed.text ?? '';
      expect(text).toContain(`The automation "${name}" of the survey "Staff <survey> & "more""`);
      expect(text).toContain('The receiver answered 410 Gone');
      expect(text).toContain('The receiver said this endpoint is gone for good');
      expect(text).toContain('No runs are waiting');
      const html = String(mail!.parsed.html);
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<survey>');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; Ops &amp; &quot;Co&quot;');
      expect(html).toContain('Staff &lt;survey&gt; &amp; &quot;more&quot;');

      s.smtp.clear();
      s.clock.advance(MINUTE);
      expect(await s.send()).toMatchObject({ digests: 1, sent: 1 });
      const [digest] = await s.smtp.waitForMessages(1);
      expect(digest!.parsed.subject).toBe(
        '1 run of automation "<img src=x onerror=alert(1)> Ops & "Co"" failed',
      );
      expect(String(digest!.parsed.html)).toContain('Ola &lt;b&gt;Normann&lt;/b&gt;');
      expect(String(digest!.parsed.html)).not.toContain('<b>Normann');
      expectNoSecrets(s, [mail!, digest!]);
      // The quiet automation sent nothing and keeps no pending digest.
      const outbox = await s.h.ctx.db.selectFrom('mail_outbox').select('automation_id').execute();
      expect(outbox.map((r) => r.automation_id)).not.toContain(quiet.id);
    });

    it('names no one on an anonymous survey', async () => {
      s.smtp.clear();
      s.receiver.reply({ status: 410 });
      const fx = await createSurveyFixture(s.h.ctx.db, s.h.owner.orgId, { anonymous: true });
      const a = await s.h.createAutomation({
        url: s.receiver.urlFor('/anon'),
        surveyId: fx.survey.id,
        name: 'Anon hook',
      });
      s.secrets.push(a.secret);
      await putNotifications(s, a.id, { enabled: true, recipients: ['ops@example.com'] });
      const res = await s.h.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${fx.survey.id}/responses`,
        headers: s.h.owner.bearer,
        payload: {
          background: { [fx.ids.department]: 'Finance' },
          answers: { [fx.ids.text]: 'Kari Nordmann here' },
        },
      });
      expect(res.statusCode).toBe(201);
      await s.h.waitFor(
        () => automationState(s, a.id),
        (x) => x.disabledReason === 'gone',
      );
      s.clock.advance(MINUTE);
      await s.send();
      const mails = await s.smtp.waitForMessages(2);
      const digest = mails.find((m) => m.parsed.subject?.startsWith('1 run of'))!;
      expect(digest.parsed.text).toContain('- Anonymous, ');
      for (const mail of mails) {
        expect(mail.raw).not.toMatch(/Kari|Nordmann|kari@example\.com|Finance/);
      }
      expectNoSecrets(s, mails);
    });
  });

  describe(`at-risk mail, the warning before disabling (${engine})`, () => {
    let s: Setup;

    beforeAll(async () => {
      s = await setup(engine, { SVARBUD_DISABLE_AFTER_FAILURES: '5' }); // warns at 3 (5 − 2)
    });
    afterAll(async () => s.close());

    const failAndWait = async (automationId: string, failed: number) => {
      await s.h.submit();
      await s.h.waitFor(
        () => failedCount(s, automationId),
        (n) => n === failed,
      );
    };
    const streakOf = async (id: string) =>
      (
        await s.h.app.inject({ method: 'GET', url: `/api/v1/automations/${id}`, headers: s.h.owner.bearer })
      ).json().failureStreak as {
        count: number;
        warnAt: number | null;
        disableAt: number;
        warnedAt: string | null;
      };

    it('goes out once per failure streak, in the language of the member who saved the settings; a success resets it', async () => {
      s.receiver.reply({ status: 500, body: 'kaboom' });
      const a = await s.h.createAutomation({ url: s.receiver.urlFor('/flaky'), name: 'CRM sync' });
      s.secrets.push(a.secret);
      // Saved from a Norwegian browser (the UI sends no language here): the mail is in Norwegian.
      const saved = await putNotifications(
        s,
        a.id,
        { enabled: true, recipients: ['ops@example.com', 'lead@example.org'] },
        { ...s.h.owner.session, 'accept-language': 'nb-NO,nb;q=0.9,en;q=0.5' },
      );
      expect(saved.json().language).toBe('nb');
      expect(await streakOf(a.id)).toEqual({ count: 0, warnAt: 3, disableAt: 5, warnedAt: null });

      await failAndWait(a.id, 1);
      await failAndWait(a.id, 2);
      expect(await s.send()).toMatchObject({ sent: 0 });
      await failAndWait(a.id, 3);
      await s.h.waitFor(
        () => streakOf(a.id),
        (x) => x.warnedAt !== null,
      );
      expect(await streakOf(a.id)).toMatchObject({ count: 3, warnAt: 3, disableAt: 5 });
      expect(await s.send()).toMatchObject({ sent: 2 });
      const mails = await s.smtp.waitForMessages(2);
      expect(byRecipient(mails)).toEqual(['lead@example.org', 'ops@example.com']);
      for (const mail of mails) {
        expect(mail.parsed.subject).toBe(
          'Automatiseringen «CRM sync» står i fare: 3 av 5 mislykkede kjøringer før den deaktiveres',
        );
        const text = mail.parsed.text ?? '';
        expect(text).toContain(
          'De siste 3 kjøringene av automatiseringen «CRM sync» for undersøkelsen «Pulse»',
        );
        expect(text).toContain('Siste feil: Mottakeren svarte 500 Internal Server Error.');
        expect(text).toContain('Hva du kan gjøre: Mottakeren fikk en intern feil');
        expect(text).toContain('2 mislykkede kjøringer til');
        expect(text).toContain(`${PUBLIC_URL}/automations/${a.id}\n`);
        expect(text).toContain(`${PUBLIC_URL}/automations/${a.id}/runs?status=failed`);
        expect(String(mail.parsed.html)).toContain(
          `<a href="${PUBLIC_URL}/automations/${a.id}">Åpne automatiseringen</a>`,
        );
        expect(mail.raw).not.toContain(s.receiver.url);
      }
      expectNoSecrets(s, mails);
      s.smtp.clear();

      // The fourth failure of the same streak: no second warning.
      await failAndWait(a.id, 4);
      expect((await streakOf(a.id)).count).toBe(4);
      expect(await s.send()).toMatchObject({ sent: 0 });

      // A success ends the streak; the next streak warns again — now in English, as saved last.
      s.receiver.reply({ status: 200 });
      await s.h.submit();
      await s.h.waitFor(
        () => streakOf(a.id),
        (x) => x.count === 0,
      );
      expect((await streakOf(a.id)).warnedAt).toBeNull();
      await putNotifications(s, a.id, { enabled: true, recipients: ['ops@example.com'], language: 'en' });
      s.receiver.reply({ status: 503 });
      for (const n of [5, 6, 7]) await failAndWait(a.id, n);
      await s.h.waitFor(
        () => streakOf(a.id),
        (x) => x.warnedAt !== null,
      );
      expect(await s.send()).toMatchObject({ sent: 1 });
      const [again] = await s.smtp.waitForMessages(1);
      expect(again!.parsed.subject).toBe(
        'Automation "CRM sync" is at risk: 3 of 5 failed runs before it is disabled',
      );
      expect(again!.parsed.text).toContain('Last error: The receiver answered 503 Service Unavailable.');
      expect(again!.parsed.text).toContain('2 more failed runs and Svarbud stops sending to the receiver');
      // Mail kinds in the outbox: two warnings, nothing else yet (the digests gather for a minute).
      const kinds = await s.h.ctx.db
        .selectFrom('mail_outbox')
        .select('kind')
        .where('automation_id', '=', a.id)
        .execute();
      expect(kinds.map((k) => k.kind)).toEqual([
        'automation_at_risk',
        'automation_at_risk',
        'automation_at_risk',
      ]); // Its runs would go on failing in the next test (every response reaches every automation of the survey).
      await s.h.app.inject({
        method: 'DELETE',
        url: `/api/v1/automations/${a.id}`,
        headers: s.h.owner.bearer,
      });
    });

    it('is not sent while notifications are off, and never beside the disable mail', async () => {
      s.smtp.clear();
      s.receiver.reply({ status: 500 });
      const quiet = await s.h.createAutomation({ url: s.receiver.urlFor('/quiet'), name: 'Quiet' });
      for (const n of [1, 2, 3]) await failAndWait(quiet.id, n);
      await s.h.waitFor(
        () => streakOf(quiet.id),
        (x) => x.warnedAt !== null,
      );
      expect(await s.send()).toMatchObject({ sent: 0 });
      // Enabling it again starts a new streak.
      await s.h.app.inject({
        method: 'PATCH',
        url: `/api/v1/automations/${quiet.id}`,
        headers: s.h.owner.bearer,
        payload: { enabled: true },
      });
      expect(await streakOf(quiet.id)).toMatchObject({ count: 0, warnedAt: null });
      // A 410 disables at once: the disable mail says it all.
      s.receiver.reply({ status: 410 });
      const gone = await s.h.createAutomation({ url: s.receiver.urlFor('/gone'), name: 'Gone' });
      await putNotifications(s, gone.id, { enabled: true, recipients: ['ops@example.com'], language: 'nb' });
      await failAndWait(gone.id, 1);
      await s.h.waitFor(
        () => automationState(s, gone.id),
        (x) => x.disabledReason === 'gone',
      );
      expect(await s.send()).toMatchObject({ sent: 1 });
      // In Norwegian, as saved: the disable mail now, the digest of the failed run a minute later.
      const [disabled] = await s.smtp.waitForMessages(1);
      expect(disabled!.parsed.subject).toBe(
        'Automatiseringen «Gone» ble deaktivert: mottakeren svarte 410 Gone',
      );
      expect(disabled!.parsed.text).toContain('Hvorfor: Mottakeren svarte 410 Gone');
      expect(disabled!.parsed.text).toContain('Siste feil: Mottakeren svarte 410 Gone.');
      expect(disabled!.parsed.text).toContain('Ingen kjøringer venter.');
      s.clock.advance(MINUTE);
      expect(await s.send()).toMatchObject({ digests: 1, sent: 1 });
      const [, digest] = await s.smtp.waitForMessages(2);
      expect(digest!.parsed.subject).toBe('1 kjøring av automatiseringen «Gone» mislyktes');
      expect(digest!.parsed.text).toMatch(/- Kari Nordmann, .* UTC: Mottakeren svarte 410 Gone\./);
      expect(digest!.parsed.text).toContain('Se de mislykkede kjøringene og spill dem på nytt: ');
      const kinds = await s.h.ctx.db
        .selectFrom('mail_outbox')
        .select('kind')
        .where('automation_id', 'in', [quiet.id, gone.id])
        .orderBy('id')
        .execute();
      expect(kinds.map((k) => k.kind)).toEqual(['automation_disabled', 'failure_digest']);
    });
  });

  describe(`failure digest (${engine})`, () => {
    let s: Setup;

    beforeAll(async () => {
      s = await setup(engine, { SVARBUD_DISABLE_AFTER_FAILURES: '1000' });
    });
    afterAll(async () => s.close());

    it('sends at most one digest per automation per hour, counting every failure since the last', async () => {
      s.receiver.reply({ status: 503 });
      const a = await s.h.createAutomation({ url: s.receiver.urlFor('/down'), name: 'Warehouse' });
      s.secrets.push(a.secret);
      await putNotifications(s, a.id, { enabled: true, recipients: ['ops@example.com'] });
      for (let i = 0; i < 12; i++) await s.h.submit();
      await s.h.waitFor(
        () => failedCount(s, a.id),
        (n) => n === 12,
      );
      expect(await s.send()).toMatchObject({ digests: 0, sent: 0 }); // gathering the burst
      s.clock.advance(MINUTE);
      expect(await s.send()).toMatchObject({ digests: 1, sent: 1 });
      const [first] = await s.smtp.waitForMessages(1);
      expect(first!.parsed.subject).toBe('12 runs of automation "Warehouse" failed');
      const text = first!.parsed.text ?? '';
      expect(text).toContain('12 runs of the automation "Warehouse" (survey "Pulse") failed since ');
      expect(
        text.match(/^- Kari Nordmann, .*: The receiver answered 503 Service Unavailable\.$/gm),
      ).toHaveLength(10);
      expect(text).toContain('…and 2 more runs.');
      expect(text).toContain(
        `See the failed runs and send them again: ${PUBLIC_URL}/automations/${a.id}/runs?status=failed`,
      );
      expect(String(first!.parsed.html).match(/<li>/g)).toHaveLength(10);

      // More failures within the hour wait for the hour to pass.
      for (let i = 0; i < 3; i++) await s.h.submit();
      await s.h.waitFor(
        () => failedCount(s, a.id),
        (n) => n === 15,
      );
      s.clock.advance(30 * MINUTE);
      expect(await s.send()).toMatchObject({ digests: 0, sent: 0 });
      for (let i = 0; i < 2; i++) await s.h.submit();
      await s.h.waitFor(
        () => failedCount(s, a.id),
        (n) => n === 17,
      );
      s.clock.advance(29 * MINUTE);
      expect(await s.send()).toMatchObject({ digests: 0, sent: 0 });
      s.clock.advance(MINUTE); // an hour after the first digest
      expect(await s.send()).toMatchObject({ digests: 1, sent: 1 });
      const [, second] = await s.smtp.waitForMessages(2);
      expect(second!.parsed.subject).toBe('5 runs of automation "Warehouse" failed');
      expect(second!.parsed.text).not.toContain('more run');
      expect(second!.parsed.text?.match(/^- Kari Nordmann/gm)).toHaveLength(5);

      s.clock.advance(3 * 60 * MINUTE);
      expect(await s.send()).toMatchObject({ digests: 0, sent: 0 });
      expect(s.smtp.messages).toHaveLength(2);
      expectNoSecrets(s, s.smtp.messages);
    });

    it('sends nothing for failures while notifications are off, even after they are turned on', async () => {
      s.smtp.clear();
      const a = await s.h.createAutomation({ url: s.receiver.urlFor('/off'), name: 'Quiet' });
      for (let i = 0; i < 2; i++) await s.h.submit();
      await s.h.waitFor(
        () => failedCount(s, a.id),
        (n) => n === 2,
      );
      await putNotifications(s, a.id, { enabled: true, recipients: ['ops@example.com'] });
      s.clock.advance(2 * 60 * MINUTE);
      await s.send();
      expect(s.smtp.messages.filter((m) => m.parsed.subject?.includes('"Quiet"'))).toHaveLength(0);
    });
  });

  describe(`the mail sender loop (${engine})`, () => {
    let s: Setup;

    beforeAll(async () => {
      s = await setup(engine, {});
    });
    afterAll(async () => s.close());

    it('delivers the disable mail on its own within seconds, as serve and worker run it', async () => {
      const stop = startMailSender(s.h.ctx, s.h.database, { pollIntervalMs: 50 });
      try {
        s.receiver.reply({ status: 410 });
        const a = await s.h.createAutomation({ url: s.receiver.urlFor('/gone'), name: 'Loop' });
        await putNotifications(s, a.id, { enabled: true, recipients: ['loop@example.com'] });
        await s.h.submit();
        const [mail] = await s.smtp.waitForMessages(1, 10_000);
        expect(mail!.parsed.subject).toBe('Automation "Loop" was disabled: the receiver answered 410 Gone');
        expect(mail!.to).toEqual(['loop@example.com']);
      } finally {
        await stop();
      }
      const rows = await s.h.ctx.db.selectFrom('mail_outbox').selectAll().execute();
      expect(rows.map((r) => r.status)).toEqual(['sent']);
    });
  });
}
