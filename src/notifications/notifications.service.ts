// Failure notification settings and the dev mailbox: the rules, and the one place rows become API objects.
import { loadAutomation } from '../automations/automations.service.js';
import { toIso } from '../clock.js';
import type { AppContext } from '../context.js';
import { encodeCursor, decodeCursor } from '../http/cursor.js';
import { assertNoProblems } from '../http/errors.js';
import { DEFAULT_LANGUAGE, languageOf, type Language } from '../http/language.js';
import { normalizeRecipients } from './recipients.js';
import * as store from './notifications.store.js';

export interface NotificationSettings {
  enabled: boolean;
  recipients: string[];
  /** The language every notification mail of this automation is written in. */
  language: Language;
}

/** Until someone saves them, an automation's notifications are off with no recipients. */
export const DEFAULT_SETTINGS: NotificationSettings = {
  enabled: false,
  recipients: [],
  language: DEFAULT_LANGUAGE,
};

function toApi(row: store.SettingsRow | undefined): NotificationSettings {
  if (!row) return { ...DEFAULT_SETTINGS, recipients: [] };
  return {
    enabled: row.enabled === 1,
    recipients: JSON.parse(row.recipients) as string[],
    language: languageOf(row.language),
  };
}

export async function getNotificationSettings(
  ctx: AppContext,
  orgId: string,
  automationId: string,
): Promise<NotificationSettings> {
  await loadAutomation(ctx, orgId, automationId);
  return toApi(await store.findSettings(ctx.db, automationId));
}

/**
 * Saves the settings as sent (recipients trimmed, lower-cased, de-duplicated); 400 naming a bad address.
 * `language` is the saving member's (the route settles it from the body or Accept-Language).
 */
export async function saveNotificationSettings(
  ctx: AppContext,
  orgId: string,
  automationId: string,
  input: NotificationSettings,
): Promise<NotificationSettings> {
  await loadAutomation(ctx, orgId, automationId);
  const { recipients, problems } = normalizeRecipients(input.recipients);
  assertNoProblems(problems);
  const row: store.SettingsRow = {
    automation_id: automationId,
    org_id: orgId,
    enabled: input.enabled ? 1 : 0,
    recipients: JSON.stringify(recipients),
    language: input.language,
    updated_at: ctx.clock.now(),
  };
  await store.saveSettings(ctx.db, row);
  return toApi(row);
}

export interface DevMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: string;
}

/** The organization's dev mailbox, newest first. */
export async function listDevMailbox(
  ctx: AppContext,
  orgId: string,
  o: { limit: number; cursor: string | undefined },
): Promise<{ items: DevMail[]; nextCursor: string | null }> {
  // Mail ids grow with time, so the position's id alone orders the list.
  const rows = await store.listDevMail(ctx.db, orgId, o.limit + 1, decodeCursor(o.cursor)?.id ?? null);
  const page = rows.slice(0, o.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      to: r.recipient,
      subject: r.subject,
      text: r.text_body,
      html: r.html_body,
      createdAt: toIso(Number(r.created_at)),
    })),
    nextCursor: rows.length > o.limit ? cursorAfter(page[page.length - 1]!) : null,
  };
}

function cursorAfter(row: { id: string; created_at: number }): string {
  return encodeCursor({ createdAt: Number(row.created_at), id: row.id });
}
