// Relaxed durability for transactions whose loss in a crash is harmless: their commit returns before
// the write reaches the disk. Used for claims and for recording attempts: a claim lost in a crash leaves
// the run scheduled, a lost record leaves it running until its lease expires; either way it is sent again
// with the same webhook-id — at-least-once, as after a crash mid-send.
import { sql } from 'kysely';
import type { Db } from './connect.js';

/**
 * PostgreSQL's own statement for it; the SQLite driver recognises the same text and lets that
 * transaction's commit return without waiting for the group's fsync (sqlite-driver.ts).
 */
export const RELAX_DURABILITY_SQL = 'set local synchronous_commit = off';

/** Call first inside a transaction: its commit need not wait for the disk. */
export async function relaxDurability(trx: Db): Promise<void> {
  await sql.raw(RELAX_DURABILITY_SQL).execute(trx);
}
