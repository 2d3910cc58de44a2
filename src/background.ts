// The background work of a process: the delivery dispatcher, the mail sender and the retention sweeper. `serve` runs it on SQLite; `worker` runs it on PostgreSQL.
import type { AppContext } from './context.js';
import type { DbHandle } from './db/connect.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { USER_AGENT } from './version.js';
import { createThreadedSender } from './delivery/threaded-sender.js';
import type { SelfTargets } from './delivery/address-guard.js';
import { selfTargetsOf } from './inbox/self-targets.js';
import { startMailSender } from './notifications/mail-sender.js';
import { notificationEvents } from './notifications/notification-events.js';
import { startRetentionSweeper } from './runs/retention.js';

export interface BackgroundWork {
  dispatcher: Dispatcher;
  stop(): Promise<void>;
}

export interface BackgroundOptions {
  /**
   * This process's own inbox URLs the sender may reach (src/inbox/self-targets.ts). `serve` passes its
   * listening address; a `worker` (no HTTP server) uses only the SVARBUD_PUBLIC_URL origin.
   */
  selfTargets?: SelfTargets;
}

export async function startBackgroundWork(
  ctx: AppContext,
  handle: DbHandle,
  options: BackgroundOptions = {},
): Promise<BackgroundWork> {
  // Deliveries' HTTP work runs on its own thread (threaded-sender.ts), beside the API and the database.
  const sender = createThreadedSender({
    connectTimeoutMs: ctx.config.connectTimeoutMs,
    requestTimeoutMs: ctx.config.requestTimeoutMs,
    allowCidrs: ctx.config.allowCidrs,
    userAgent: USER_AGENT,
    selfTargets: options.selfTargets ?? selfTargetsOf(ctx.config.publicUrl, null),
    onThreadError: (err) => ctx.log.error({ err }, 'the sending thread failed; starting a new one'),
  });
  const dispatcher = new Dispatcher(ctx, {
    sender,
    events: notificationEvents(ctx),
  });
  await dispatcher.start();
  const stopSweeper = startRetentionSweeper(ctx, handle);
  const stopMail = startMailSender(ctx, handle);
  return {
    dispatcher,
    stop: async () => {
      await Promise.all([stopSweeper(), stopMail()]);
      await dispatcher.stop();
      await sender.close();
    },
  };
}
