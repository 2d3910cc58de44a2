// Automations, runs, their messages and attempts (SPEC §6–8).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('automations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_at', 'bigint')
    .addColumn('variables', 'text', (c) => c.notNull()) // JSON VariableSelection
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('answer_format', 'text', (c) => c.notNull())
    .addColumn('headers_enc', 'text', (c) => c.notNull()) // encrypted JSON {name: value}
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('previous_secret_enc', 'text')
    .addColumn('previous_secret_expires_at', 'bigint')
    .addColumn('failure_streak', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('automations_org_idx')
    .on('automations')
    .columns(['org_id', 'created_at'])
    .execute();
  await db.schema.createIndex('automations_survey_idx').on('automations').column('survey_id').execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey()) // also the webhook-id
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('automation_id', 'text', (c) => c.notNull().references('automations.id').onDelete('cascade'))
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_changed_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('next_trigger', 'text', (c) => c.notNull()) // auto | replay: the trigger of the next attempt
    .addColumn('schedule_start', 'integer', (c) => c.notNull()) // attempts before the current schedule (replay restarts it)
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_token', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('push_url', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .execute();
  // Claiming: due scheduled runs of one automation, oldest due first.
  await db.schema
    .createIndex('runs_due_idx')
    .on('runs')
    .columns(['automation_id', 'next_attempt_at'])
    .where(sql.ref('status'), '=', 'scheduled')
    .execute();
  // In-flight counts and expired-lease reclaim.
  await db.schema
    .createIndex('runs_running_idx')
    .on('runs')
    .columns(['automation_id', 'lease_expires_at'])
    .where(sql.ref('status'), '=', 'running')
    .execute();
  // The runs log: newest first per automation.
  await db.schema
    .createIndex('runs_log_idx')
    .on('runs')
    .columns(['automation_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('runs_created_idx').on('runs').columns(['created_at']).execute();

  await db.schema
    .createTable('run_messages')
    .addColumn('run_id', 'text', (c) => c.primaryKey().references('runs.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('run_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('error_hint', 'text')
    .addColumn('response_body', 'text')
    .execute();
  await db.schema
    .createIndex('run_attempts_run_idx')
    .on('run_attempts')
    .columns(['run_id', 'number'])
    .execute();
}
