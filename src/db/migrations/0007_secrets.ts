// Rotations keep every earlier signing secret for 24 h (API.md), not just the last one: the earlier
// secrets become a list, each still encrypted on its own, with the time it stops signing.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // JSON array of {enc: <encrypted secret>, expiresAt: <ms>}, newest first.
  await db.schema
    .alterTable('automations')
    .addColumn('earlier_secrets', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  const rows = await db
    .selectFrom('automations')
    .select(['id', 'previous_secret_enc', 'previous_secret_expires_at'])
    .where('previous_secret_enc', 'is not', null)
    .where('previous_secret_expires_at', 'is not', null)
    .execute();
  for (const row of rows) {
    const earlier = [{ enc: row.previous_secret_enc, expiresAt: Number(row.previous_secret_expires_at) }];
    await db
      .updateTable('automations')
      .set({ earlier_secrets: JSON.stringify(earlier) })
      .where('id', '=', row.id)
      .execute();
  }
  await db.schema.alterTable('automations').dropColumn('previous_secret_enc').execute();
  await db.schema.alterTable('automations').dropColumn('previous_secret_expires_at').execute();
}
