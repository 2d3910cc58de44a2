// Failure notifications queued by the delivery engine inside its completion transaction: the disable
// and "at risk" mails go into the outbox, failed runs into the digest state — all commit with the run
// states, so a crash can neither lose a notification nor send one for a state that was rolled back.
// Every mail is written in the language stored with the settings (the member's who saved them).
import type { AppContext } from '../context.js';
import type {
  AutomationAtRiskEvent,
  AutomationDisabledEvent,
  DeliveryEvents,
  FailedRunEvent,
} from '../delivery/delivery-events.js';
import type { Db } from '../db/connect.js';
import { languageOf, type Language } from '../http/language.js';
import { atRiskMail, disabledMail } from './mail-templates.js';
import * as store from './notifications.store.js';

type MailContent = ReturnType<typeof disabledMail>;
type MailAutomation = { id: string; name: string; surveyTitle: string };

/**
 * Queues one mail about an automation to each of its recipients, when its notifications are on: `render`
 * gets the automation and the language stored with the settings.
 */
async function queueAutomationMail(
  trx: Db,
  automationId: string,
  kind: 'automation_disabled' | 'automation_at_risk',
  at: number,
  render: (automation: MailAutomation, language: Language) => Promise<MailContent> | MailContent,
): Promise<void> {
  const settings = await store.findSettings(trx, automationId);
  const recipients = store.recipientsOf(settings);
  if (recipients.length === 0) return;
  const automation = await store.findAutomationForMail(trx, automationId);
  if (!automation) return;
  const content = await render(
    { id: automation.id, name: automation.name, surveyTitle: automation.survey_title },
    languageOf(settings?.language),
  );
  await store.queueMail(trx, { orgId: automation.org_id, automationId, kind, recipients, content, now: at });
}

/** Queues the disable mail to every recipient, when the automation's notifications are on. */
export async function queueDisabledMail(
  trx: Db,
  config: AppContext['config'],
  event: AutomationDisabledEvent,
): Promise<void> {
  await queueAutomationMail(
    trx,
    event.automationId,
    'automation_disabled',
    event.at,
    async (automation, language) =>
      disabledMail({
        publicUrl: config.publicUrl,
        language,
        automation,
        reason: event.reason,
        failuresInARow: config.disableAfterFailures,
        disabledAt: event.at,
        lastError: event.lastError,
        heldRuns: await store.countScheduledRuns(trx, event.automationId),
      }),
  );
}

/** Queues the warning before disabling to every recipient, when the automation's notifications are on. */
export async function queueAtRiskMail(
  trx: Db,
  config: AppContext['config'],
  event: AutomationAtRiskEvent,
): Promise<void> {
  await queueAutomationMail(trx, event.automationId, 'automation_at_risk', event.at, (automation, language) =>
    atRiskMail({
      publicUrl: config.publicUrl,
      language,
      automation,
      streak: event.streak,
      disableAt: event.disableAt,
      failedAt: event.at,
      lastError: event.lastError,
    }),
  );
}

/** Counts failed runs into the pending digest of each automation whose notifications are on. */
export async function recordFailedRuns(trx: Db, events: FailedRunEvent[]): Promise<void> {
  const ids = [...new Set(events.map((e) => e.automationId))];
  const on = await store.enabledSettingsFor(trx, ids);
  const items = on
    .filter((s) => store.recipientsOf(s).length > 0)
    .map((s) => {
      const mine = events.filter((e) => e.automationId === s.automation_id);
      return {
        automationId: s.automation_id,
        orgId: s.org_id,
        count: mine.length,
        firstAt: Math.min(...mine.map((e) => e.at)),
      };
    });
  await store.addPendingFailures(trx, items);
}

/** The delivery engine's hooks for failure notifications (only the config is needed: links, threshold). */
export function notificationEvents(ctx: Pick<AppContext, 'config'>): DeliveryEvents {
  return {
    automationDisabled: (trx, event) => queueDisabledMail(trx, ctx.config, event),
    automationAtRisk: (trx, event) => queueAtRiskMail(trx, ctx.config, event),
    runsFailed: (trx, events) => recordFailedRuns(trx, events),
  };
}
