// Relaxed durability for transactions whose loss in a crash is harmless: their commit returns before
// the write reaches the disk (SQLite: without waiting for the group's fsync; PostgreSQL: the caller
// sets synchronous_commit off for the transaction). Used for claims: a claim lost in a crash leaves the
// run scheduled, so it is sent again with the same webhook-id — at-least-once either way.
import { AsyncLocalStorage } from 'node:async_hooks';

const relaxed = new AsyncLocalStorage<boolean>();

/** Runs `fn`; transactions it begins may return from commit before their write is durable. */
export function withRelaxedDurability<T>(fn: () => Promise<T>): Promise<T> {
  return relaxed.run(true, fn);
}

/** True inside withRelaxedDurability. */
export function durabilityIsRelaxed(): boolean {
  return relaxed.getStore() === true;
}
