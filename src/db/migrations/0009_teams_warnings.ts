// Warning before disabling and teams (SPEC §12): when the current failure streak's "at risk" mail went out,
// the language notification mail is written in, and invitations of new members (the token kept hashed).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Set when the streak reached the warning point (one mail per streak); cleared with the streak.
  await db.schema.alterTable('automations').addColumn('failure_warned_at', 'bigint').execute();
  // The language of the member who saved the settings: every notification mail is written in it.
  await db.schema
    .alterTable('notification_settings')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull()) // lower-cased
    .addColumn('token_hash', 'text', (c) => c.notNull().unique()) // sha256 of the link's token, hex
    .addColumn('language', 'text', (c) => c.notNull())
    // The member who sent it (null when an API key did); a removed member's invitations stay valid.
    .addColumn('invited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('accepted_by', 'text')
    .execute();
  await db.schema.createIndex('invitations_org_idx').on('invitations').columns(['org_id', 'email']).execute();
}
