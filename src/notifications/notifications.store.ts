// SQL for failure notifications: settings, the mail outbox, digest state and the dev mailbox.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Engine } from '../db/connect.js';
import { lockingSkipLocked } from '../db/dialect.js';
import type {
  Database,
  DevMailboxTable,
  MailOutboxTable,
  NotificationSettingsTable,
  RunsTable,
} from '../db/schema.js';
import { newId } from '../ids.js';
import type { MailContent } from './mail-templates.js';

export type SettingsRow = NotificationSettingsTable;
export type OutboxRow = MailOutboxTable;

export function findSettings(db: Db, automationId: string) {
  return db
    .selectFrom('notification_settings')
    .selectAll()
    .where('automation_id', '=', automationId)
    .executeTakeFirst();
}

export async function saveSettings(db: Db, row: SettingsRow): Promise<void> {
  await db
    .insertInto('notification_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('automation_id').doUpdateSet({
        enabled: row.enabled,
        recipients: row.recipients,
        language: row.language,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Settings of those of `automationIds` whose notifications are on. */
export function enabledSettingsFor(db: Db, automationIds: string[]) {
  if (automationIds.length === 0) return Promise.resolve([] as SettingsRow[]);
  return db
    .selectFrom('notification_settings')
    .selectAll()
    .where('automation_id', 'in', automationIds)
    .where('enabled', '=', 1)
    .execute();
}

export function recipientsOf(row: SettingsRow | undefined): string[] {
  if (!row || row.enabled !== 1) return [];
  return JSON.parse(row.recipients) as string[];
}

/** What a mail says about its automation: names for the text, the org for scoping. */
export function findAutomationForMail(db: Db, automationId: string) {
  return db
    .selectFrom('automations as a')
    .innerJoin('surveys as s', 's.id', 'a.survey_id')
    .select(['a.id', 'a.org_id', 'a.name', 's.title as survey_title', 's.anonymous'])
    .where('a.id', '=', automationId)
    .executeTakeFirst();
}

export async function countScheduledRuns(db: Db, automationId: string): Promise<number> {
  const row = await db
    .selectFrom('runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('automation_id', '=', automationId)
    .where('status', '=', 'scheduled')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface QueuedMail {
  orgId: string;
  automationId: string | null;
  kind: 'automation_disabled' | 'automation_at_risk' | 'failure_digest' | 'invitation';
  recipients: string[];
  content: MailContent;
  now: number;
}

/** Inserts one outbox row per recipient (each is sent, retried and recorded on its own). */
export async function queueMail(db: Db, mail: QueuedMail): Promise<string[]> {
  if (mail.recipients.length === 0) return [];
  const rows: OutboxRow[] = mail.recipients.map((recipient) => ({
    id: newId('mail', mail.now),
    org_id: mail.orgId,
    automation_id: mail.automationId,
    kind: mail.kind,
    recipient,
    subject: mail.content.subject,
    text_body: mail.content.text,
    html_body: mail.content.html,
    status: 'pending',
    attempts: 0,
    next_attempt_at: mail.now,
    lease_token: null,
    lease_expires_at: null,
    last_error: null,
    created_at: mail.now,
    sent_at: null,
  }));
  await db.insertInto('mail_outbox').values(rows).execute();
  return rows.map((r) => r.id);
}

/** Adds failed runs to each automation's pending digest (one statement for the whole batch). */
export async function addPendingFailures(
  db: Db,
  items: { automationId: string; orgId: string; count: number; firstAt: number }[],
): Promise<void> {
  if (items.length === 0) return;
  // Sorted, so concurrent batches lock digest rows in the same order.
  const sorted = [...items].sort((x, y) => (x.automationId < y.automationId ? -1 : 1));
  await db
    .insertInto('notification_digests')
    .values(
      sorted.map((i) => ({
        automation_id: i.automationId,
        org_id: i.orgId,
        pending_count: i.count,
        first_failure_at: i.firstAt,
        last_digest_at: null,
      })),
    )
    .onConflict((oc) =>
      oc.column('automation_id').doUpdateSet((eb) => ({
        pending_count: eb('notification_digests.pending_count', '+', eb.ref('excluded.pending_count')),
        first_failure_at: eb.fn.coalesce(
          'notification_digests.first_failure_at',
          'excluded.first_failure_at',
        ),
      })),
    )
    .execute();
}

/**
 * Automations whose pending digest is due at `now`: a failure older than `gatheredBefore` waits, and
 * the previous digest is older than `previousBefore` (or there was none).
 */
export async function findDueDigests(
  db: Db,
  o: { gatheredBefore: number; previousBefore: number; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('notification_digests')
    .select('automation_id')
    .where('pending_count', '>', 0)
    .where('first_failure_at', '<=', o.gatheredBefore)
    .where((eb) => eb.or([eb('last_digest_at', 'is', null), eb('last_digest_at', '<=', o.previousBefore)]))
    .orderBy('first_failure_at')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.automation_id);
}

/**
 * The digest state of one automation, locked for this transaction; on PostgreSQL another worker
 * producing the same digest holds the lock and this one gets nothing (SQLite has one writer).
 */
export function lockDigest(trx: Db, engine: Engine, automationId: string) {
  const q = trx.selectFrom('notification_digests').selectAll().where('automation_id', '=', automationId);
  return lockingSkipLocked(engine, q).executeTakeFirst();
}

export async function resetDigest(trx: Db, automationId: string, lastDigestAt: number | null): Promise<void> {
  await trx
    .updateTable('notification_digests')
    .set({
      pending_count: 0,
      first_failure_at: null,
      ...(lastDigestAt === null ? {} : { last_digest_at: lastDigestAt }),
    })
    .where('automation_id', '=', automationId)
    .execute();
}

/** The first failed runs of an automation since `since`, with their latest attempt's error. */
export function failedRunsSince(db: Db, automationId: string, since: number, limit: number) {
  const latest = <C extends 'error_message' | 'error_code' | 'status_code'>(
    eb: ExpressionBuilder<Database & { r: RunsTable }, 'r'>,
    column: C,
  ) =>
    eb
      .selectFrom('run_attempts as t')
      .select(`t.${column}`)
      .whereRef('t.run_id', '=', 'r.id')
      .orderBy('t.number', 'desc')
      .limit(1)
      .as(column);
  return db
    .selectFrom('runs as r')
    .select((eb) => [
      'r.id',
      'r.name',
      'r.status_changed_at',
      latest(eb, 'error_message'),
      latest(eb, 'error_code'),
      latest(eb, 'status_code'),
    ])
    .where('r.automation_id', '=', automationId)
    .where('r.status', '=', 'failed')
    .where('r.status_changed_at', '>=', since)
    .orderBy('r.status_changed_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

export interface ClaimOptions {
  now: number;
  leaseToken: string;
  leaseExpiresAt: number;
  limit: number;
}

/**
 * Leases due pending mail to this sender. PostgreSQL senders skip rows another sender is claiming,
 * so each row goes to one of them; a lease that ran out (a crashed sender) makes the row claimable.
 */
export async function claimDueMail(db: Db, engine: Engine, o: ClaimOptions): Promise<OutboxRow[]> {
  return db.transaction().execute(async (trx) => {
    const due = trx
      .selectFrom('mail_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', o.now)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', o.now)]))
      .orderBy('next_attempt_at')
      .limit(o.limit);
    const ids = (await lockingSkipLocked(engine, due).execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return trx
      .updateTable('mail_outbox')
      .set({ lease_token: o.leaseToken, lease_expires_at: o.leaseExpiresAt })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

/**
 * Marks a leased row sent; false when the lease was lost meanwhile. A sent invitation keeps no body: its
 * link holds the token, which is kept nowhere else in clear (the invitation stores its hash).
 */
export async function markMailSent(db: Db, id: string, leaseToken: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('mail_outbox')
    .set((eb) => ({
      status: 'sent',
      sent_at: now,
      attempts: eb('attempts', '+', 1),
      text_body: eb.case().when('kind', '=', 'invitation').then('').else(eb.ref('text_body')).end(),
      html_body: eb.case().when('kind', '=', 'invitation').then('').else(eb.ref('html_body')).end(),
      lease_token: null,
      lease_expires_at: null,
      last_error: null,
    }))
    .where('id', '=', id)
    .where('lease_token', '=', leaseToken)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a failed attempt: pending again at `nextAttemptAt`, or failed for good when it is null. */
export async function markMailAttemptFailed(
  db: Db,
  id: string,
  leaseToken: string,
  o: { attempts: number; nextAttemptAt: number | null; error: string },
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status: o.nextAttemptAt === null ? 'failed' : 'pending',
      attempts: o.attempts,
      next_attempt_at: o.nextAttemptAt ?? sql<number>`next_attempt_at`,
      lease_token: null,
      lease_expires_at: null,
      last_error: o.error,
    })
    .where('id', '=', id)
    .where('lease_token', '=', leaseToken)
    .execute();
}

/** Stores a mail in the dev mailbox; a second delivery of the same outbox row changes nothing. */
export async function insertDevMail(db: Db, row: DevMailboxTable): Promise<void> {
  await db
    .insertInto('dev_mailbox')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** An organization's dev mailbox, newest first; `before` is the id of the last item already seen. */
export function listDevMail(db: Db, orgId: string, limit: number, before: string | null) {
  let q = db.selectFrom('dev_mailbox').selectAll().where('org_id', '=', orgId);
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** Deletes sent and given-up outbox rows and dev mail older than `before`. */
export async function deleteOldMail(db: Db, before: number): Promise<void> {
  await db
    .deleteFrom('mail_outbox')
    .where('status', 'in', ['sent', 'failed'])
    .where('created_at', '<', before)
    .execute();
  await db.deleteFrom('dev_mailbox').where('created_at', '<', before).execute();
}
