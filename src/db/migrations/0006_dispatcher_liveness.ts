// Dispatcher liveness (SPEC §13): every dispatcher process keeps a heartbeat row, and each claimed run
// names the dispatcher that holds it, so the runs of a process that stopped beating are claimable again
// within seconds — not after a lease as long as the longest possible request.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dispatchers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .execute();
  // The dispatcher holding a running run's lease (null for runs claimed before this migration).
  await db.schema.alterTable('runs').addColumn('lease_owner', 'text').execute();
}
