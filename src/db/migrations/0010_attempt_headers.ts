// The request headers an attempt sent (issue 12): a JSON array of [name, value] pairs, signature values
// shortened and credentials masked before they are written (src/delivery/sent-headers.ts). Attempts
// recorded before this migration have none (null).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('run_attempts').addColumn('request_headers', 'text').execute();
}
