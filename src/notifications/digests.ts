// The failure digest: pending failed runs of an automation become one mail per recipient, at most
// once an hour per automation (mail-policy.ts), produced by whichever mail sender gets there first.
import type { AppContext } from '../context.js';
import { languageOf } from '../http/language.js';
import { DIGEST_GATHER_MS, DIGEST_INTERVAL_MS, digestDueAt } from './mail-policy.js';
import { digestMail } from './mail-templates.js';
import * as store from './notifications.store.js';

/** Examples of failed runs in one digest. */
export const DIGEST_EXAMPLES = 10;

/** Queues every digest that is due at `now` into the outbox; returns how many digests were queued. */
export async function queueDueDigests(
  ctx: Pick<AppContext, 'db' | 'engine' | 'config'>,
  now: number,
): Promise<number> {
  const ids = await store.findDueDigests(ctx.db, {
    gatheredBefore: now - DIGEST_GATHER_MS,
    previousBefore: now - DIGEST_INTERVAL_MS,
    limit: 100,
  });
  let queued = 0;
  for (const id of ids) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      // Re-read under the lock: another sender may have produced this digest meanwhile.
      const digest = await store.lockDigest(trx, ctx.engine, id);
      if (!digest || digest.pending_count === 0 || digest.first_failure_at === null) return false;
      if (digestDueAt(digest.first_failure_at, digest.last_digest_at) > now) return false;
      const settings = await store.findSettings(trx, id);
      const recipients = store.recipientsOf(settings);
      const automation = await store.findAutomationForMail(trx, id);
      if (recipients.length === 0 || !automation) {
        // Turned off meanwhile: these failures are not mailed later either.
        await store.resetDigest(trx, id, null);
        return false;
      }
      const failed = await store.failedRunsSince(trx, id, digest.first_failure_at, DIGEST_EXAMPLES);
      const content = digestMail({
        publicUrl: ctx.config.publicUrl,
        language: languageOf(settings?.language),
        automation: { id, name: automation.name, surveyTitle: automation.survey_title },
        failedCount: Number(digest.pending_count),
        since: Number(digest.first_failure_at),
        examples: failed.map((r) => ({
          // The run already says "Anonymous" on anonymous surveys; the survey decides, to be sure.
          name: automation.anonymous === 1 ? null : r.name,
          at: Number(r.status_changed_at),
          error:
            r.error_code === null && r.error_message === null
              ? null
              : {
                  code: r.error_code,
                  message: r.error_message,
                  hint: null,
                  statusCode: r.status_code === null ? null : Number(r.status_code),
                },
        })),
      });
      await store.queueMail(trx, {
        orgId: automation.org_id,
        automationId: id,
        kind: 'failure_digest',
        recipients,
        content,
        now,
      });
      await store.resetDigest(trx, id, now);
      return true;
    });
    if (done) queued += 1;
  }
  return queued;
}
