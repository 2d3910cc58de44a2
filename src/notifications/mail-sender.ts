// The mail sender loop: turns due digests into mail, then sends the durable outbox over SMTP (or into
// the dev mailbox), with retries. Every row is leased before it is sent, so several workers on
// PostgreSQL send each mail once; an SMTP outage delays mail, it never loses it.
import type { AppContext } from '../context.js';
import { DAY, MINUTE, SECOND } from '../config.js';
import type { DbHandle } from '../db/connect.js';
import { randomToken } from '../ids.js';
import { queueDueDigests } from './digests.js';
import { nextMailAttemptAt } from './mail-policy.js';
import {
  createMailTransport,
  describeSendError,
  messageIdFor,
  type MailTransport,
} from './mail-transport.js';
import * as store from './notifications.store.js';

/** Longer than the slowest possible batch (10 mails × nodemailer's timeouts), so a lease never runs out mid-send. */
const LEASE_MS = 10 * MINUTE;
const BATCH_SIZE = 10;
const POLL_INTERVAL_MS = 5 * SECOND;
const CLEANUP_INTERVAL_MS = DAY;
/** Sent mail (and dev mailbox mail) is kept this long. */
const KEEP_SENT_MS = 30 * DAY;

export interface SendResult {
  digests: number;
  sent: number;
  failed: number;
}

type SenderContext = Pick<AppContext, 'db' | 'engine' | 'config' | 'log'>;

/**
 * Sends what is due at `now` once: queues due digests, then claims and sends due outbox rows until
 * none is left. Tests drive it with a ManualClock; the loop calls it on every tick.
 */
export async function sendDueMail(
  ctx: SenderContext,
  transport: MailTransport,
  now: number,
): Promise<SendResult> {
  const result: SendResult = { digests: await queueDueDigests(ctx, now), sent: 0, failed: 0 };
  for (;;) {
    const leaseToken = randomToken(12);
    const rows = await store.claimDueMail(ctx.db, ctx.engine, {
      now,
      leaseToken,
      leaseExpiresAt: now + LEASE_MS,
      limit: BATCH_SIZE,
    });
    if (rows.length === 0) return result;
    for (const [i, row] of rows.entries()) {
      const outcome = await sendOne(ctx, transport, row, leaseToken, now);
      if (outcome.ok) {
        result.sent += 1;
        continue;
      }
      result.failed += 1;
      if (outcome.unreachable) {
        // The server is not there (refused, timed out, TLS failed): the rest of the batch would fail the
        // same way, one slow connection attempt each. They wait with the same error; this round ends.
        for (const rest of rows.slice(i + 1)) {
          await recordFailure(ctx, rest, leaseToken, now, outcome.error);
          result.failed += 1;
        }
        return result;
      }
    }
  }
}

/** True when no SMTP server answered at all (no reply code): a connection, timeout, DNS or TLS failure. */
function isUnreachable(err: unknown): boolean {
  return typeof (err as { responseCode?: unknown } | null)?.responseCode !== 'number';
}

async function recordFailure(
  ctx: SenderContext,
  row: store.OutboxRow,
  leaseToken: string,
  now: number,
  error: string,
): Promise<void> {
  const attempts = Number(row.attempts) + 1;
  const next = nextMailAttemptAt(attempts, Number(row.created_at), now);
  await store.markMailAttemptFailed(ctx.db, row.id, leaseToken, { attempts, nextAttemptAt: next, error });
  const fields = { mailId: row.id, to: row.recipient, attempts, error };
  if (next === null) ctx.log.error(fields, 'mail could not be sent; given up');
  else ctx.log.warn({ ...fields, nextAttemptAt: new Date(next).toISOString() }, 'mail not sent; will retry');
}

async function sendOne(
  ctx: SenderContext,
  transport: MailTransport,
  row: store.OutboxRow,
  leaseToken: string,
  now: number,
): Promise<{ ok: true } | { ok: false; unreachable: boolean; error: string }> {
  try {
    await transport.send(
      {
        id: row.id,
        orgId: row.org_id,
        to: row.recipient,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        messageId: messageIdFor(row.id, ctx.config.mailFrom),
      },
      now,
    );
  } catch (err) {
    const error = describeSendError(err);
    await recordFailure(ctx, row, leaseToken, now, error);
    return { ok: false, unreachable: isUnreachable(err), error };
  }
  if (!(await store.markMailSent(ctx.db, row.id, leaseToken, now))) {
    ctx.log.warn({ mailId: row.id }, 'mail sent after its lease ran out');
  }
  ctx.log.info({ mailId: row.id, to: row.recipient, subject: row.subject, via: transport.kind }, 'mail sent');
  return { ok: true };
}

export interface MailSenderOptions {
  transport?: MailTransport;
  pollIntervalMs?: number;
  /** Called after each turn of the loop, with its error (null when it went well): readiness. */
  onTurn?: (error: unknown) => void;
}

/** Starts the sender; resolves the returned function once it has stopped. */
export function startMailSender(
  ctx: AppContext,
  _handle: DbHandle,
  options: MailSenderOptions = {},
): () => Promise<void> {
  const transport = options.transport ?? createMailTransport(ctx);
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  let lastCleanup = 0;

  const loop = async (): Promise<void> => {
    while (running) {
      try {
        const now = ctx.clock.now();
        await sendDueMail(ctx, transport, now);
        if (now - lastCleanup >= CLEANUP_INTERVAL_MS) {
          lastCleanup = now;
          await store.deleteOldMail(ctx.db, now - KEEP_SENT_MS);
        }
        options.onTurn?.(null);
      } catch (err) {
        // The database is unreachable or similar: leases keep the outbox consistent; try again later.
        ctx.log.error({ err }, 'mail sender failed; retrying');
        options.onTurn?.(err);
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollIntervalMs);
      });
    }
  };
  const done = loop();
  return async () => {
    running = false;
    if (timer) clearTimeout(timer);
    wake?.();
    await done;
    transport.close();
  };
}
