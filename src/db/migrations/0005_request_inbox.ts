// The built-in request inbox (src/inbox): receiver endpoints inside Svarbud that record what arrives,
// so the demo (and anyone trying an automation) needs no other software.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('request_inboxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    // The secret part of the public URL /api/v1/inbox/<token>: 32 random bytes, base64url.
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    // 1 for the organization's default inbox (created lazily), at most one per organization.
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('request_inboxes_default_idx')
    .unique()
    .on('request_inboxes')
    .column('org_id')
    .where(sql.ref('is_default'), '=', 1)
    .execute();

  await db.schema
    .createTable('inbox_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('inbox_id', 'text', (c) => c.notNull().references('request_inboxes.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull()) // JSON object, lower-case names, no cookies
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_bytes', 'integer', (c) => c.notNull())
    .addColumn('body_truncated', 'integer', (c) => c.notNull())
    .addColumn('verification', 'text', (c) => c.notNull()) // valid | invalid | unsigned | no_matching_automation
    .addColumn('automation_id', 'text') // the automation whose secret verified it (no FK: it may go)
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('inbox_requests_inbox_idx')
    .on('inbox_requests')
    .columns(['inbox_id', 'id'])
    .execute();
}
