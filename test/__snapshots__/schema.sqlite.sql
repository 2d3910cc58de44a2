-- index api_keys_org_idx
CREATE INDEX "api_keys_org_idx" on "api_keys" ("org_id", "created_at");

-- index automations_org_idx
CREATE INDEX "automations_org_idx" on "automations" ("org_id", "created_at");

-- index automations_survey_idx
CREATE INDEX "automations_survey_idx" on "automations" ("survey_id");

-- index dev_mailbox_org_idx
CREATE INDEX "dev_mailbox_org_idx" on "dev_mailbox" ("org_id", "id");

-- index inbox_requests_inbox_idx
CREATE INDEX "inbox_requests_inbox_idx" on "inbox_requests" ("inbox_id", "id");

-- index invitations_org_idx
CREATE INDEX "invitations_org_idx" on "invitations" ("org_id", "email");

-- index mail_outbox_created_idx
CREATE INDEX "mail_outbox_created_idx" on "mail_outbox" ("created_at");

-- index mail_outbox_due_idx
CREATE INDEX "mail_outbox_due_idx" on "mail_outbox" ("next_attempt_at") where "status" = 'pending';

-- index notification_digests_pending_idx
CREATE INDEX "notification_digests_pending_idx" on "notification_digests" ("first_failure_at") where "pending_count" > 0;

-- index request_inboxes_default_idx
CREATE UNIQUE INDEX "request_inboxes_default_idx" on "request_inboxes" ("org_id") where "is_default" = 1;

-- index responses_email_idx
CREATE INDEX responses_email_idx on responses (org_id, lower(email));

-- index responses_survey_idx
CREATE INDEX "responses_survey_idx" on "responses" ("survey_id", "id");

-- index run_attempts_run_idx
CREATE INDEX "run_attempts_run_idx" on "run_attempts" ("run_id", "number");

-- index runs_created_idx
CREATE INDEX "runs_created_idx" on "runs" ("created_at");

-- index runs_due_idx
CREATE INDEX "runs_due_idx" on "runs" ("automation_id", "next_attempt_at") where "status" = 'scheduled';

-- index runs_log_idx
CREATE INDEX "runs_log_idx" on "runs" ("automation_id", "created_at", "id");

-- index runs_response_idx
CREATE INDEX "runs_response_idx" on "runs" ("response_id", "automation_id");

-- index runs_running_idx
CREATE INDEX "runs_running_idx" on "runs" ("automation_id", "lease_expires_at") where "status" = 'running';

-- index runs_status_log_idx
CREATE INDEX "runs_status_log_idx" on "runs" ("automation_id", "status", "created_at", "id");

-- index sessions_user_idx
CREATE INDEX "sessions_user_idx" on "sessions" ("user_id");

-- index surveys_org_idx
CREATE INDEX "surveys_org_idx" on "surveys" ("org_id", "created_at");

-- index templates_org_idx
CREATE INDEX "templates_org_idx" on "templates" ("org_id", "created_at");

-- index users_org_idx
CREATE INDEX "users_org_idx" on "users" ("org_id");

-- table api_keys
CREATE TABLE "api_keys" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "name" text not null, "key_hash" text not null unique, "key_prefix" text not null, "created_by" text, "created_at" bigint not null, "last_used_at" bigint);

-- table automations
CREATE TABLE "automations" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "survey_id" text not null references "surveys" ("id") on delete cascade, "type" text not null, "name" text not null, "url" text not null, "enabled" integer not null, "disabled_reason" text, "disabled_at" bigint, "variables" text not null, "labels" text not null, "answer_format" text not null, "headers_enc" text not null, "secret_enc" text not null, "failure_streak" integer not null, "created_at" bigint not null, "updated_at" bigint not null, "earlier_secrets" text default '[]' not null, "lost_variables" text default '[]' not null, "failure_warned_at" bigint);

-- table dev_mailbox
CREATE TABLE "dev_mailbox" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "recipient" text not null, "subject" text not null, "text_body" text not null, "html_body" text not null, "created_at" bigint not null);

-- table dispatchers
CREATE TABLE "dispatchers" ("id" text primary key, "started_at" bigint not null, "heartbeat_at" bigint not null);

-- table inbox_requests
CREATE TABLE "inbox_requests" ("id" text primary key, "inbox_id" text not null references "request_inboxes" ("id") on delete cascade, "org_id" text not null, "method" text not null, "headers" text not null, "body" text not null, "body_bytes" integer not null, "body_truncated" integer not null, "verification" text not null, "automation_id" text, "received_at" bigint not null);

-- table invitations
CREATE TABLE "invitations" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "email" text not null, "token_hash" text not null unique, "language" text not null, "invited_by" text references "users" ("id") on delete set null, "created_at" bigint not null, "expires_at" bigint not null, "accepted_at" bigint, "accepted_by" text);

-- table mail_outbox
CREATE TABLE "mail_outbox" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "automation_id" text, "kind" text not null, "recipient" text not null, "subject" text not null, "text_body" text not null, "html_body" text not null, "status" text not null, "attempts" integer not null, "next_attempt_at" bigint not null, "lease_token" text, "lease_expires_at" bigint, "last_error" text, "created_at" bigint not null, "sent_at" bigint);

-- table notification_digests
CREATE TABLE "notification_digests" ("automation_id" text primary key references "automations" ("id") on delete cascade, "org_id" text not null, "pending_count" integer not null, "first_failure_at" bigint, "last_digest_at" bigint);

-- table notification_settings
CREATE TABLE "notification_settings" ("automation_id" text primary key references "automations" ("id") on delete cascade, "org_id" text not null, "enabled" integer not null, "recipients" text not null, "updated_at" bigint not null, "language" text default 'en' not null);

-- table organizations
CREATE TABLE "organizations" ("id" text primary key, "name" text not null, "created_at" bigint not null);

-- table rate_limits
CREATE TABLE "rate_limits" ("key" text primary key, "window_start" bigint not null, "count" integer not null);

-- table request_inboxes
CREATE TABLE "request_inboxes" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "token" text not null unique, "name" text not null, "is_default" integer not null, "created_at" bigint not null);

-- table responses
CREATE TABLE "responses" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "survey_id" text not null references "surveys" ("id") on delete cascade, "completed_at" bigint not null, "created_at" bigint not null, "first_name" text, "last_name" text, "email" text, "answers" text not null);

-- table run_attempts
CREATE TABLE "run_attempts" ("id" text primary key, "run_id" text not null references "runs" ("id") on delete cascade, "number" integer not null, "trigger" text not null, "url" text not null, "started_at" bigint not null, "duration_ms" integer not null, "status_code" integer, "error_code" text, "error_message" text, "error_hint" text, "response_body" text, "request_headers" text);

-- table run_messages
CREATE TABLE "run_messages" ("run_id" text primary key references "runs" ("id") on delete cascade, "body" text not null);

-- table run_search
CREATE VIRTUAL TABLE run_search using fts5(search_text, run_id unindexed, tokenize = 'trigram');

-- table run_search_config
CREATE TABLE 'run_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table run_search_content
CREATE TABLE 'run_search_content'(id INTEGER PRIMARY KEY, c0, c1);

-- table run_search_data
CREATE TABLE 'run_search_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table run_search_docs
CREATE TABLE run_search_docs (run_id text primary key, doc integer not null) without rowid;

-- table run_search_docsize
CREATE TABLE 'run_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table run_search_idx
CREATE TABLE 'run_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table runs
CREATE TABLE "runs" ("id" text primary key, "org_id" text not null, "automation_id" text not null references "automations" ("id") on delete cascade, "response_id" text not null, "status" text not null, "status_changed_at" bigint not null, "created_at" bigint not null, "next_attempt_at" bigint, "next_trigger" text not null, "schedule_start" integer not null, "attempts" integer not null, "lease_token" text, "lease_expires_at" bigint, "push_url" text not null, "name" text not null, "email" text, "first_name" text, "last_name" text, "search_text" text default '' not null, "lease_owner" text, "origin" text default 'completion' not null);

-- table sessions
CREATE TABLE "sessions" ("id" text primary key, "user_id" text not null references "users" ("id") on delete cascade, "org_id" text not null references "organizations" ("id") on delete cascade, "csrf_token" text not null, "created_at" bigint not null, "expires_at" bigint not null);

-- table surveys
CREATE TABLE "surveys" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "title" text not null, "anonymous" integer not null, "public_token" text not null unique, "definition" text not null, "version" integer not null, "created_at" bigint not null, "updated_at" bigint not null);

-- table svarbud_meta
CREATE TABLE "svarbud_meta" ("key" text primary key, "value" text not null);

-- table templates
CREATE TABLE "templates" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "name" text not null, "source_survey_id" text, "title" text not null, "anonymous" integer not null, "definition" text not null, "created_at" bigint not null);

-- table users
CREATE TABLE "users" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "email" text not null unique, "name" text not null, "password_hash" text not null, "created_at" bigint not null);

-- trigger runs_search_delete
CREATE TRIGGER runs_search_delete after delete on runs when old.search_text <> '' begin
      delete from run_search where rowid = (select doc from run_search_docs where run_id = old.id);
      delete from run_search_docs where run_id = old.id;
    end;

-- trigger runs_search_insert
CREATE TRIGGER runs_search_insert after insert on runs when new.search_text <> '' begin
      insert into run_search (search_text, run_id) values (new.search_text, new.id);
      insert into run_search_docs (run_id, doc) values (new.id, last_insert_rowid());
    end;

-- trigger runs_search_update
CREATE TRIGGER runs_search_update after update of search_text on runs begin
      delete from run_search where rowid = (select doc from run_search_docs where run_id = old.id);
      delete from run_search_docs where run_id = old.id;
      insert into run_search (search_text, run_id) select new.search_text, new.id where new.search_text <> '';
      insert into run_search_docs (run_id, doc) select new.id, last_insert_rowid() where new.search_text <> '';
    end;
