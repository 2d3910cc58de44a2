// The background work of a process: the delivery dispatcher, the mail sender and the retention sweeper.
// `serve` runs it (unless --no-worker on PostgreSQL); `worker` runs only it. Each loop reports its turns
// to the process's Health (readiness), and deliveries feed the metrics.
import type { AppContext } from './context.js';
import type { DbHandle } from './db/connect.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { USER_AGENT } from './version.js';
import { createThreadedSender } from './delivery/threaded-sender.js';
import type { Sender } from './delivery/http-sender.js';
import { Health } from './health.js';
import { deliveriesInFlight, recordAttempt } from './metrics/metrics.js';
import type { SelfTargets } from './delivery/address-guard.js';
import { selfTargetsOf } from './inbox/self-targets.js';
import { startMailSender } from './notifications/mail-sender.js';
import { notificationEvents } from './notifications/notification-events.js';
import { startRetentionSweeper } from './runs/retention.js';

export interface BackgroundWork {
  dispatcher: Dispatcher;
  /** Each loop's state, for /readyz. */
  health: Health;
  stop(): Promise<void>;
}

export interface BackgroundOptions {
  /**
   * This process's own inbox URLs the sender may reach (src/inbox/self-targets.ts). `serve` passes its
   * listening address; a `worker` (no HTTP server) uses only the SVARBUD_PUBLIC_URL origin.
   */
  selfTargets?: SelfTargets;
  /** Where the loops report their turns; a new one when absent. */
  health?: Health;
}

/** Counts this process's requests in flight (svarbud_deliveries_in_flight). */
function countingInFlight(sender: Sender): Sender {
  return {
    send: async (request) => {
      deliveriesInFlight.inc();
      try {
        return await sender.send(request);
      } finally {
        deliveriesInFlight.dec();
      }
    },
    close: () => sender.close(),
  };
}

export async function startBackgroundWork(
  ctx: AppContext,
  handle: DbHandle,
  options: BackgroundOptions = {},
): Promise<BackgroundWork> {
  // Deliveries' HTTP work runs on its own thread (threaded-sender.ts), beside the API and the database.
  const health = options.health ?? new Health(ctx.clock);
  const dispatcherHealth = health.register('dispatcher');
  const mailHealth = health.register('mailSender');
  const sweeperHealth = health.register('sweeper');
  const threaded = createThreadedSender({
    connectTimeoutMs: ctx.config.connectTimeoutMs,
    requestTimeoutMs: ctx.config.requestTimeoutMs,
    allowCidrs: ctx.config.allowCidrs,
    userAgent: USER_AGENT,
    selfTargets: options.selfTargets ?? selfTargetsOf(ctx.config.publicUrl, null),
    onThreadError: (err) => ctx.log.error({ err }, 'the sending thread failed; starting a new one'),
  });
  const sender = countingInFlight(threaded);
  const dispatcher = new Dispatcher(ctx, {
    sender,
    events: notificationEvents(ctx),
    onTurn: (err) => dispatcherHealth.turn(err),
    onAttempt: recordAttempt,
  });
  await dispatcher.start();
  const stopSweeper = startRetentionSweeper(ctx, handle, { onTurn: (err) => sweeperHealth.turn(err) });
  const stopMail = startMailSender(ctx, handle, { onTurn: (err) => mailHealth.turn(err) });
  return {
    dispatcher,
    health,
    stop: async () => {
      // Stop claiming first: the sends in flight finish and are recorded while the others wind down.
      await Promise.all([
        stopSweeper().finally(() => sweeperHealth.stopped()),
        stopMail().finally(() => mailHealth.stopped()),
        dispatcher.stop().finally(() => dispatcherHealth.stopped()),
      ]);
      await sender.close();
    },
  };
}
