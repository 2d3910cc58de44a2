// The mail sender loop: sends the durable outbox over SMTP (or into the dev mailbox), with retries.
import type { AppContext } from '../context.js';
import type { DbHandle } from '../db/connect.js';

/** Starts the sender; resolves the returned function once it has stopped. */
export function startMailSender(_ctx: AppContext, _handle: DbHandle): () => Promise<void> {
  return async () => {};
}
