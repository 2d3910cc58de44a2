// Teams end to end on both engines, with sign-up closed: members, invitations by mail through the outbox to
// a real SMTP server (English and Norwegian), accepting one (the only way in), single use, 7 days, withdrawing,
// replacing, removing members (never the last; a removed member's cookie stops working), rate limits.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/passwords.js';
import { insertOrganizationWithUser } from '../src/accounts/accounts.store.js';
import { deleteOldInvitations } from '../src/accounts/teams.store.js';
import { sha256Hex } from '../src/accounts/tokens.js';
import { ManualClock } from '../src/clock.js';
import { DAY } from '../src/config.js';
import { newId } from '../src/ids.js';
import { sendDueMail } from '../src/notifications/mail-sender.js';
import { createMailTransport, type MailTransport } from '../src/notifications/mail-transport.js';
import { createTestApp, sessionCookieOf, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { startSmtpServer, type ReceivedMail, type SmtpServer } from './helpers/smtp.js';

const PUBLIC_URL = 'https://svarbud.example.com';
const PASSWORD = 'correct horse battery';

interface Member {
  orgId: string;
  userId: string;
  cookie: string;
  session: Record<string, string>;
}

for (const engine of ENGINES) {
  describe(`teams (${engine})`, () => {
    let t: TestApp;
    let smtp: SmtpServer;
    let transport: MailTransport;
    let owner: Member & { email: string };
    const clock = new ManualClock(Date.now());
    let counter = 0;

    const api = (
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      payload?: Record<string, unknown>,
    ) => t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

    const signIn = async (res: LightMyRequestResponse): Promise<Member> => {
      const cookie = sessionCookieOf(res);
      const me = (await api('GET', '/me', { cookie })).json();
      return {
        orgId: me.organization.id,
        userId: me.user.id,
        cookie,
        session: { cookie, 'x-csrf-token': me.csrfToken },
      };
    };

    /** An organization with one member, made in the store (sign-up is closed), signed in over the API. */
    const founder = async (name: string): Promise<Member & { email: string }> => {
      counter += 1;
      const now = clock.now();
      const email = `founder${counter}-${engine}@example.com`;
      const org = { id: newId('org', now), name: `${name} AS`, created_at: now };
      const user = {
        id: newId('usr', now),
        org_id: org.id,
        email,
        name,
        password_hash: await hashPassword(PASSWORD, 10),
        created_at: now,
      };
      await insertOrganizationWithUser(t.ctx.db, org, user);
      const login = await api('POST', '/auth/login', {}, { email, password: PASSWORD });
      expect(login.statusCode).toBe(200);
      return { ...(await signIn(login)), email };
    };

    const send = async (): Promise<ReceivedMail[]> => {
      const before = smtp.messages.length;
      const { sent } = await sendDueMail(t.ctx, transport, clock.now());
      return smtp.waitForMessages(before + sent).then((all) => all.slice(before));
    };
    const tokenOf = (mail: ReceivedMail) => /\/invite\/([\w-]+)/.exec(mail.parsed.text ?? '')![1]!;
    const accept = (token: string, name = 'Nina Ny') =>
      api('POST', '/auth/accept-invitation', {}, { token, name, password: PASSWORD });

    beforeAll(async () => {
      smtp = await startSmtpServer();
      t = await createTestApp(engine, {
        clock,
        env: {
          SVARBUD_SIGNUP: 'closed',
          SVARBUD_SMTP_URL: smtp.url,
          SVARBUD_PUBLIC_URL: PUBLIC_URL,
          SVARBUD_INVITATIONS_PER_HOUR: '12',
        },
      });
      transport = createMailTransport(t.ctx);
      owner = await founder('Kari Nordmann');
    });
    afterAll(async () => {
      transport.close();
      await t.close();
      await smtp.close();
    });

    it('with sign-up closed, an invitation is the only way in: the link by mail, accepted once, joins the organization', async () => {
      const signup = await api(
        'POST',
        '/auth/signup',
        {},
        { email: 'nina@example.com', password: PASSWORD, name: 'Nina', organizationName: 'Own' },
      );
      expect(signup.statusCode).toBe(403);
      expect(signup.json().error.code).toBe('SIGNUP_CLOSED');

      // From a Norwegian browser: the mail is in Norwegian.
      const invited = await api(
        'POST',
        '/invitations',
        { ...owner.session, 'accept-language': 'nb-NO,nb;q=0.9' },
        { email: ' Nina@Example.com ' },
      );
      expect(invited.statusCode).toBe(201);
      const invitation = invited.json();
      expect(invitation).toMatchObject({
        email: 'nina@example.com',
        language: 'nb',
        invitedBy: { id: owner.userId, name: 'Kari Nordmann' },
      });
      expect(Date.parse(invitation.expiresAt) - clock.now()).toBe(7 * DAY);
      expect((await api('GET', '/invitations', owner.session)).json().items).toEqual([invitation]);

      const [mail] = await send();
      expect(mail!.to).toEqual(['nina@example.com']);
      expect(mail!.parsed.subject).toBe('Kari Nordmann har invitert deg til Kari Nordmann AS i Svarbud');
      const text = mail!.parsed.text ?? '';
      expect(text).toContain('Godta invitasjonen og velg navn og passord: ' + PUBLIC_URL + '/invite/');
      expect(text).toContain('Lenken virker én gang og utløper');
      const token = tokenOf(mail!);
      expect(token.length).toBeGreaterThanOrEqual(43); // 256 bits
      expect(String(mail!.parsed.html)).toContain(
        `<a href="${PUBLIC_URL}/invite/${token}">Godta invitasjonen</a>`,
      );
      // Only the token's hash is kept; the sent mail keeps no body.
      const row = await t.ctx.db.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(sha256Hex(token));
      const outbox = await t.ctx.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('kind', '=', 'invitation')
        .execute();
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ status: 'sent', text_body: '', html_body: '' });
      expect(JSON.stringify(await t.ctx.db.selectFrom('invitations').selectAll().execute())).not.toContain(
        token,
      );

      const accepted = await accept(token);
      expect(accepted.statusCode).toBe(201);
      expect(accepted.json()).toMatchObject({
        user: { email: 'nina@example.com', name: 'Nina Ny' },
        organization: { id: owner.orgId, name: 'Kari Nordmann AS' },
      });
      expect(String(accepted.headers['set-cookie'])).toMatch(/HttpOnly/);
      const nina = await signIn(accepted);
      expect(nina.orgId).toBe(owner.orgId);
      // The new member works in the organization and can sign in again with the chosen password.
      expect(
        (await api('GET', '/members', nina.session)).json().items.map((m: { email: string }) => m.email),
      ).toEqual([owner.email, 'nina@example.com']);
      const login = await api('POST', '/auth/login', {}, { email: 'nina@example.com', password: PASSWORD });
      expect(login.statusCode).toBe(200);
      // Single use; no longer pending.
      const again = await accept(token, 'Someone else');
      expect(again.statusCode).toBe(404);
      expect(again.json().error.code).toBe('NOT_FOUND');
      expect((await api('GET', '/invitations', owner.session)).json().items).toEqual([]);
    });

    it('writes in the language sent (over Accept-Language); an API key invites on behalf of the organization', async () => {
      const key = await api('POST', '/api-keys', owner.session, { name: 'hr system' });
      const bearer = { authorization: `Bearer ${key.json().key}`, 'accept-language': 'nb-NO' };
      const invited = await api('POST', '/invitations', bearer, { email: 'ola@example.com', language: 'en' });
      expect(invited.statusCode).toBe(201);
      expect(invited.json()).toMatchObject({ language: 'en', invitedBy: null });
      const [mail] = await send();
      expect(mail!.parsed.subject).toBe('You are invited to Kari Nordmann AS on Svarbud');
      expect(mail!.parsed.text).toContain(
        `Accept the invitation and choose your name and password: ${PUBLIC_URL}/invite/${tokenOf(mail!)}\n`,
      );
      expect(mail!.parsed.text).toContain('If you did not expect this invitation, ignore this e-mail');
      // The key was used, and its use is recorded (at most once a minute).
      const keys = async () =>
        (await api('GET', '/api-keys', owner.session))
          .json()
          .items.find((k: { id: string }) => k.id === key.json().id);
      const firstUse = (await keys()).lastUsedAt;
      expect(firstUse).toBe(new Date(clock.now()).toISOString());
      clock.advance(61_000);
      await api('GET', '/invitations', bearer);
      expect(Date.parse((await keys()).lastUsedAt)).toBe(clock.now());
      expect(await accept(tokenOf(mail!))).toMatchObject({ statusCode: 201 });
    });

    it('a link is refused once it is expired, withdrawn or replaced by a newer one; unknown tokens too', async () => {
      await api('POST', '/invitations', owner.session, { email: 'late@example.com' });
      await api('POST', '/invitations', owner.session, { email: 'withdrawn@example.com' });
      const first = await api('POST', '/invitations', owner.session, { email: 'twice@example.com' });
      const mails = await send();
      const tokenFor = (to: string) => tokenOf(mails.find((m) => m.to[0] === to)!);
      // A second invitation of the same address replaces the first: the old link stops working.
      const second = await api('POST', '/invitations', owner.session, { email: 'twice@example.com' });
      expect(second.json().id).not.toBe(first.json().id);
      const [renewed] = await send();
      expect((await accept(tokenFor('twice@example.com'))).statusCode).toBe(404);
      const withdrawn = (await api('GET', '/invitations', owner.session))
        .json()
        .items.find((i: { email: string }) => i.email === 'withdrawn@example.com');
      expect((await api('DELETE', `/invitations/${withdrawn.id}`, owner.session)).statusCode).toBe(204);
      expect((await api('DELETE', `/invitations/${withdrawn.id}`, owner.session)).statusCode).toBe(404);
      expect((await accept(tokenFor('withdrawn@example.com'))).statusCode).toBe(404);
      expect((await accept('z'.repeat(43))).statusCode).toBe(404);
      // Seven days on, the links have expired and are no longer pending.
      clock.advance(7 * DAY);
      expect((await api('GET', '/invitations', owner.session)).json().items).toEqual([]);
      const late = await accept(tokenFor('late@example.com'));
      expect(late.statusCode).toBe(404);
      expect(late.json().error.message).toMatch(/used, withdrawn or has expired/);
      expect((await accept(tokenOf(renewed!))).statusCode).toBe(404);
      const members = (await api('GET', '/members', owner.session))
        .json()
        .items.map((m: { email: string }) => m.email);
      expect(members).not.toEqual(expect.arrayContaining(['late@example.com']));
      // The retention sweeper forgets them a month after they expired.
      const count = async () => (await t.ctx.db.selectFrom('invitations').select('id').execute()).length;
      const before = await count();
      expect(await deleteOldInvitations(t.ctx.db, clock.now() - 30 * DAY)).toBe(0);
      expect(await deleteOldInvitations(t.ctx.db, clock.now() + 1)).toBe(before);
    });

    it('refuses an address that already has an account with a clear 409, at invitation and at acceptance', async () => {
      const own = await api('POST', '/invitations', owner.session, { email: owner.email.toUpperCase() });
      expect(own.statusCode).toBe(409);
      expect(own.json().error).toMatchObject({ code: 'ALREADY_MEMBER', details: [{ field: 'email' }] });
      const other = await founder('Per Hansen');
      const elsewhere = await api('POST', '/invitations', owner.session, { email: other.email });
      expect(elsewhere.statusCode).toBe(409);
      expect(elsewhere.json().error.code).toBe('EMAIL_TAKEN');
      // Invited, then the address joins another organization before the link is used.
      await api('POST', '/invitations', owner.session, { email: 'both@example.com' });
      await api('POST', '/invitations', other.session, { email: 'both@example.com' });
      const mails = await send();
      expect(mails).toHaveLength(2);
      expect((await accept(tokenOf(mails[1]!))).statusCode).toBe(201);
      const late = await accept(tokenOf(mails[0]!));
      expect(late.statusCode).toBe(409);
      expect(late.json().error.code).toBe('EMAIL_TAKEN');
      expect(late.json().error.message).toMatch(/sign in with it instead/);
    });

    it('removes a member (its cookie stops working at once), but never the last one', async () => {
      const solo = await founder('Solo');
      await api('POST', '/invitations', solo.session, { email: 'helper@example.com' });
      const [mail] = await send();
      const helper = await signIn(await accept(tokenOf(mail!)));
      expect((await api('GET', '/me', { cookie: helper.cookie })).statusCode).toBe(200);
      // The helper removes the founder; then the helper is the last and cannot be removed, not even by itself.
      expect((await api('DELETE', `/members/${solo.userId}`, helper.session)).statusCode).toBe(204);
      const gone = await api('GET', '/me', { cookie: solo.cookie });
      expect(gone.statusCode).toBe(401);
      const relogin = await api('POST', '/auth/login', {}, { email: solo.email, password: PASSWORD });
      expect(relogin.statusCode).toBe(401);
      const last = await api('DELETE', `/members/${helper.userId}`, helper.session);
      expect(last.statusCode).toBe(409);
      expect(last.json().error.code).toBe('LAST_MEMBER');
      expect((await api('GET', '/members', helper.session)).json().items).toEqual([
        expect.objectContaining({ id: helper.userId, email: 'helper@example.com' }),
      ]);
      // Another organization's member: 404, and nothing is removed.
      const foreign = await api('DELETE', `/members/${owner.userId}`, helper.session);
      expect(foreign.statusCode).toBe(404);
      expect((await api('GET', '/me', { cookie: owner.cookie })).statusCode).toBe(200);
    });

    it('limits invitations per organization with 429 and Retry-After, and checks the address', async () => {
      const busy = await founder('Busy');
      const codes: number[] = [];
      for (let i = 0; i < 13; i++)
        codes.push(
          (await api('POST', '/invitations', busy.session, { email: `n${i}@example.com` })).statusCode,
        );
      expect(codes).toEqual([...Array<number>(12).fill(201), 429]);
      const limited = await api('POST', '/invitations', busy.session, { email: 'n99@example.com' });
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another organization has its own allowance.
      expect(
        (await api('POST', '/invitations', owner.session, { email: 'fresh@example.com' })).statusCode,
      ).toBe(201);
      const bad = await api('POST', '/invitations', owner.session, { email: 'not an address' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('email');
      const short = await api(
        'POST',
        '/auth/accept-invitation',
        {},
        { token: 'x', name: 'A', password: 'short' },
      );
      expect(short.statusCode).toBe(400);
      expect(short.json().error.details[0].field).toBe('password');
    });
  });
}
