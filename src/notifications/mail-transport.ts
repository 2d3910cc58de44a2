// Where mail goes: an SMTP server (SVARBUD_SMTP_URL, through nodemailer), or — without one — the
// dev mailbox in the database (GET /api/v1/dev/mailbox) plus a log line.
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { AppContext } from '../context.js';
import { SECOND } from '../config.js';
import * as store from './notifications.store.js';

/** One outbox row, ready to go. */
export interface OutgoingMail {
  id: string;
  orgId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The same on every attempt of the row, so a receiving system can drop a duplicate. */
  messageId: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'dev-mailbox';
  /** Resolves once the server (or the dev mailbox) has taken the mail; rejects otherwise. */
  send(mail: OutgoingMail, now: number): Promise<void>;
  close(): void;
}

const BOOLEAN_PARAMS = ['requireTLS', 'ignoreTLS', 'opportunisticTLS'] as const;

/**
 * Nodemailer options from an `smtp://` or `smtps://` URL: user and password (percent-decoded),
 * implicit TLS for smtps (default port 465), otherwise STARTTLS whenever the server offers it
 * (`?requireTLS=true` insists on it). `?tls.rejectUnauthorized=false` accepts a self-signed
 * certificate and `?tls.servername=` names the expected one. Timeouts keep one attempt short.
 */
export function smtpOptionsFromUrl(raw: string): SMTPTransport.Options {
  const url = new URL(raw);
  const secure = url.protocol === 'smtps:';
  const options: SMTPTransport.Options = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    connectionTimeout: 10 * SECOND,
    greetingTimeout: 10 * SECOND,
    socketTimeout: 30 * SECOND,
    dnsTimeout: 10 * SECOND,
  };
  if (url.username || url.password) {
    options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  }
  for (const name of BOOLEAN_PARAMS) {
    const value = url.searchParams.get(name);
    if (value !== null) options[name] = value === 'true';
  }
  const rejectUnauthorized = url.searchParams.get('tls.rejectUnauthorized');
  const servername = url.searchParams.get('tls.servername');
  if (rejectUnauthorized !== null || servername !== null) {
    options.tls = {
      ...(rejectUnauthorized !== null ? { rejectUnauthorized: rejectUnauthorized !== 'false' } : {}),
      ...(servername !== null ? { servername } : {}),
    };
  }
  return options;
}

/** The domain of the sender address, for Message-IDs (`<outbox id@domain>`). */
export function messageIdFor(outboxId: string, mailFrom: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom;
  const domain = address.includes('@') ? address.slice(address.lastIndexOf('@') + 1).trim() : '';
  return `<${outboxId}@${/^[a-z0-9.-]+$/i.test(domain) ? domain : 'svarbud.invalid'}>`;
}

/** A short description of a failed send for the outbox row and the log (never credentials). */
export function describeSendError(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string } | null;
  const parts = [e?.code, e?.responseCode].filter((x) => x !== undefined && x !== null).join(' ');
  const text = `${parts ? `${parts}: ` : ''}${e?.message ?? String(err)}`;
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

function smtpTransport(ctx: Pick<AppContext, 'config'>, smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpOptionsFromUrl(smtpUrl));
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail({
        from: ctx.config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transporter.close(),
  };
}

function devMailboxTransport(ctx: Pick<AppContext, 'db' | 'log'>): MailTransport {
  return {
    kind: 'dev-mailbox',
    async send(mail, now) {
      await store.insertDevMail(ctx.db, {
        id: mail.id,
        org_id: mail.orgId,
        recipient: mail.to,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        created_at: now,
      });
      ctx.log.info(
        { to: mail.to, subject: mail.subject },
        'mail stored in the dev mailbox (no SMTP configured)',
      );
      ctx.log.debug({ to: mail.to, subject: mail.subject, text: mail.text }, 'dev mailbox mail text');
    },
    close: () => {},
  };
}

/** SMTP when SVARBUD_SMTP_URL is set, else the dev mailbox. */
export function createMailTransport(ctx: Pick<AppContext, 'config' | 'db' | 'log'>): MailTransport {
  return ctx.config.smtpUrl ? smtpTransport(ctx, ctx.config.smtpUrl) : devMailboxTransport(ctx);
}
