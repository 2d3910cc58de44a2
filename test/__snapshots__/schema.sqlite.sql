-- index api_keys_org_idx
CREATE INDEX "api_keys_org_idx" on "api_keys" ("org_id", "created_at");

-- index automations_org_idx
CREATE INDEX "automations_org_idx" on "automations" ("org_id", "created_at");

-- index automations_survey_idx
CREATE INDEX "automations_survey_idx" on "automations" ("survey_id");

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

-- index runs_running_idx
CREATE INDEX "runs_running_idx" on "runs" ("automation_id", "lease_expires_at") where "status" = 'running';

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
CREATE TABLE "automations" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "survey_id" text not null references "surveys" ("id") on delete cascade, "type" text not null, "name" text not null, "url" text not null, "enabled" integer not null, "disabled_reason" text, "disabled_at" bigint, "variables" text not null, "labels" text not null, "answer_format" text not null, "headers_enc" text not null, "secret_enc" text not null, "previous_secret_enc" text, "previous_secret_expires_at" bigint, "failure_streak" integer not null, "created_at" bigint not null, "updated_at" bigint not null);

-- table organizations
CREATE TABLE "organizations" ("id" text primary key, "name" text not null, "created_at" bigint not null);

-- table rate_limits
CREATE TABLE "rate_limits" ("key" text primary key, "window_start" bigint not null, "count" integer not null);

-- table responses
CREATE TABLE "responses" ("id" text primary key, "org_id" text not null references "organizations" ("id") on delete cascade, "survey_id" text not null references "surveys" ("id") on delete cascade, "completed_at" bigint not null, "created_at" bigint not null, "first_name" text, "last_name" text, "email" text, "answers" text not null);

-- table run_attempts
CREATE TABLE "run_attempts" ("id" text primary key, "run_id" text not null references "runs" ("id") on delete cascade, "number" integer not null, "trigger" text not null, "url" text not null, "started_at" bigint not null, "duration_ms" integer not null, "status_code" integer, "error_code" text, "error_message" text, "error_hint" text, "response_body" text);

-- table run_messages
CREATE TABLE "run_messages" ("run_id" text primary key references "runs" ("id") on delete cascade, "body" text not null);

-- table runs
CREATE TABLE "runs" ("id" text primary key, "org_id" text not null, "automation_id" text not null references "automations" ("id") on delete cascade, "response_id" text not null, "status" text not null, "status_changed_at" bigint not null, "created_at" bigint not null, "next_attempt_at" bigint, "next_trigger" text not null, "schedule_start" integer not null, "attempts" integer not null, "lease_token" text, "lease_expires_at" bigint, "push_url" text not null, "name" text not null, "email" text, "first_name" text, "last_name" text);

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
