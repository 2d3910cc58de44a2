table api_keys
  id text not null
  org_id text not null
  name text not null
  key_hash text not null
  key_prefix text not null
  created_by text
  created_at bigint not null
  last_used_at bigint

table automations
  id text not null
  org_id text not null
  survey_id text not null
  type text not null
  name text not null
  url text not null
  enabled integer not null
  disabled_reason text
  disabled_at bigint
  variables text not null
  labels text not null
  answer_format text not null
  headers_enc text not null
  secret_enc text not null
  failure_streak integer not null
  created_at bigint not null
  updated_at bigint not null
  earlier_secrets text not null
  lost_variables text not null
  failure_warned_at bigint

table dev_mailbox
  id text not null
  org_id text not null
  recipient text not null
  subject text not null
  text_body text not null
  html_body text not null
  created_at bigint not null

table dispatchers
  id text not null
  started_at bigint not null
  heartbeat_at bigint not null

table inbox_requests
  id text not null
  inbox_id text not null
  org_id text not null
  method text not null
  headers text not null
  body text not null
  body_bytes integer not null
  body_truncated integer not null
  verification text not null
  automation_id text
  received_at bigint not null

table invitations
  id text not null
  org_id text not null
  email text not null
  token_hash text not null
  language text not null
  invited_by text
  created_at bigint not null
  expires_at bigint not null
  accepted_at bigint
  accepted_by text

table mail_outbox
  id text not null
  org_id text not null
  automation_id text
  kind text not null
  recipient text not null
  subject text not null
  text_body text not null
  html_body text not null
  status text not null
  attempts integer not null
  next_attempt_at bigint not null
  lease_token text
  lease_expires_at bigint
  last_error text
  created_at bigint not null
  sent_at bigint

table notification_digests
  automation_id text not null
  org_id text not null
  pending_count integer not null
  first_failure_at bigint
  last_digest_at bigint

table notification_settings
  automation_id text not null
  org_id text not null
  enabled integer not null
  recipients text not null
  updated_at bigint not null
  language text not null

table organizations
  id text not null
  name text not null
  created_at bigint not null

table rate_limits
  key text not null
  window_start bigint not null
  count integer not null

table request_inboxes
  id text not null
  org_id text not null
  token text not null
  name text not null
  is_default integer not null
  created_at bigint not null

table responses
  id text not null
  org_id text not null
  survey_id text not null
  completed_at bigint not null
  created_at bigint not null
  first_name text
  last_name text
  email text
  answers text not null

table run_attempts
  id text not null
  run_id text not null
  number integer not null
  trigger text not null
  url text not null
  started_at bigint not null
  duration_ms integer not null
  status_code integer
  error_code text
  error_message text
  error_hint text
  response_body text
  request_headers text

table run_messages
  run_id text not null
  body text not null

table run_search_terms
  run_id text not null
  search_text text not null

table runs
  id text not null
  org_id text not null
  automation_id text not null
  response_id text not null
  status text not null
  status_changed_at bigint not null
  created_at bigint not null
  next_attempt_at bigint
  next_trigger text not null
  schedule_start integer not null
  attempts integer not null
  lease_token text
  lease_expires_at bigint
  push_url text not null
  name text not null
  email text
  first_name text
  last_name text
  search_text text not null
  lease_owner text
  origin text not null

table sessions
  id text not null
  user_id text not null
  org_id text not null
  csrf_token text not null
  created_at bigint not null
  expires_at bigint not null

table surveys
  id text not null
  org_id text not null
  title text not null
  anonymous integer not null
  public_token text not null
  definition text not null
  version integer not null
  created_at bigint not null
  updated_at bigint not null

table svarbud_meta
  key text not null
  value text not null

table templates
  id text not null
  org_id text not null
  name text not null
  source_survey_id text
  title text not null
  anonymous integer not null
  definition text not null
  created_at bigint not null

table users
  id text not null
  org_id text not null
  email text not null
  name text not null
  password_hash text not null
  created_at bigint not null

constraint api_keys.api_keys_key_hash_key UNIQUE (key_hash)
constraint api_keys.api_keys_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint api_keys.api_keys_pkey PRIMARY KEY (id)
constraint automations.automations_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint automations.automations_pkey PRIMARY KEY (id)
constraint automations.automations_survey_id_fkey FOREIGN KEY (survey_id) REFERENCES surveys(id) ON DELETE CASCADE
constraint dev_mailbox.dev_mailbox_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint dev_mailbox.dev_mailbox_pkey PRIMARY KEY (id)
constraint dispatchers.dispatchers_pkey PRIMARY KEY (id)
constraint inbox_requests.inbox_requests_inbox_id_fkey FOREIGN KEY (inbox_id) REFERENCES request_inboxes(id) ON DELETE CASCADE
constraint inbox_requests.inbox_requests_pkey PRIMARY KEY (id)
constraint invitations.invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES users(id) ON DELETE SET NULL
constraint invitations.invitations_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint invitations.invitations_pkey PRIMARY KEY (id)
constraint invitations.invitations_token_hash_key UNIQUE (token_hash)
constraint mail_outbox.mail_outbox_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint mail_outbox.mail_outbox_pkey PRIMARY KEY (id)
constraint notification_digests.notification_digests_automation_id_fkey FOREIGN KEY (automation_id) REFERENCES automations(id) ON DELETE CASCADE
constraint notification_digests.notification_digests_pkey PRIMARY KEY (automation_id)
constraint notification_settings.notification_settings_automation_id_fkey FOREIGN KEY (automation_id) REFERENCES automations(id) ON DELETE CASCADE
constraint notification_settings.notification_settings_pkey PRIMARY KEY (automation_id)
constraint organizations.organizations_pkey PRIMARY KEY (id)
constraint rate_limits.rate_limits_pkey PRIMARY KEY (key)
constraint request_inboxes.request_inboxes_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint request_inboxes.request_inboxes_pkey PRIMARY KEY (id)
constraint request_inboxes.request_inboxes_token_key UNIQUE (token)
constraint responses.responses_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint responses.responses_pkey PRIMARY KEY (id)
constraint responses.responses_survey_id_fkey FOREIGN KEY (survey_id) REFERENCES surveys(id) ON DELETE CASCADE
constraint run_attempts.run_attempts_pkey PRIMARY KEY (id)
constraint run_attempts.run_attempts_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
constraint run_messages.run_messages_pkey PRIMARY KEY (run_id)
constraint run_messages.run_messages_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
constraint run_search_terms.run_search_terms_pkey PRIMARY KEY (run_id)
constraint run_search_terms.run_search_terms_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
constraint runs.runs_automation_id_fkey FOREIGN KEY (automation_id) REFERENCES automations(id) ON DELETE CASCADE
constraint runs.runs_pkey PRIMARY KEY (id)
constraint sessions.sessions_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint sessions.sessions_pkey PRIMARY KEY (id)
constraint sessions.sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
constraint surveys.surveys_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint surveys.surveys_pkey PRIMARY KEY (id)
constraint surveys.surveys_public_token_key UNIQUE (public_token)
constraint svarbud_meta.svarbud_meta_pkey PRIMARY KEY (key)
constraint templates.templates_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint templates.templates_pkey PRIMARY KEY (id)
constraint users.users_email_key UNIQUE (email)
constraint users.users_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE
constraint users.users_pkey PRIMARY KEY (id)

CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys USING btree (key_hash)
CREATE INDEX api_keys_org_idx ON api_keys USING btree (org_id, created_at)
CREATE UNIQUE INDEX api_keys_pkey ON api_keys USING btree (id)
CREATE INDEX automations_org_idx ON automations USING btree (org_id, created_at)
CREATE UNIQUE INDEX automations_pkey ON automations USING btree (id)
CREATE INDEX automations_survey_idx ON automations USING btree (survey_id)
CREATE INDEX dev_mailbox_org_idx ON dev_mailbox USING btree (org_id, id)
CREATE UNIQUE INDEX dev_mailbox_pkey ON dev_mailbox USING btree (id)
CREATE UNIQUE INDEX dispatchers_pkey ON dispatchers USING btree (id)
CREATE INDEX inbox_requests_inbox_idx ON inbox_requests USING btree (inbox_id, id)
CREATE UNIQUE INDEX inbox_requests_pkey ON inbox_requests USING btree (id)
CREATE INDEX invitations_org_idx ON invitations USING btree (org_id, email)
CREATE UNIQUE INDEX invitations_pkey ON invitations USING btree (id)
CREATE UNIQUE INDEX invitations_token_hash_key ON invitations USING btree (token_hash)
CREATE INDEX mail_outbox_created_idx ON mail_outbox USING btree (created_at)
CREATE INDEX mail_outbox_due_idx ON mail_outbox USING btree (next_attempt_at) WHERE (status = 'pending'::text)
CREATE UNIQUE INDEX mail_outbox_pkey ON mail_outbox USING btree (id)
CREATE INDEX notification_digests_pending_idx ON notification_digests USING btree (first_failure_at) WHERE (pending_count > 0)
CREATE UNIQUE INDEX notification_digests_pkey ON notification_digests USING btree (automation_id)
CREATE UNIQUE INDEX notification_settings_pkey ON notification_settings USING btree (automation_id)
CREATE UNIQUE INDEX organizations_pkey ON organizations USING btree (id)
CREATE UNIQUE INDEX rate_limits_pkey ON rate_limits USING btree (key)
CREATE UNIQUE INDEX request_inboxes_default_idx ON request_inboxes USING btree (org_id) WHERE (is_default = 1)
CREATE UNIQUE INDEX request_inboxes_pkey ON request_inboxes USING btree (id)
CREATE UNIQUE INDEX request_inboxes_token_key ON request_inboxes USING btree (token)
CREATE INDEX responses_email_idx ON responses USING btree (org_id, lower(email))
CREATE UNIQUE INDEX responses_pkey ON responses USING btree (id)
CREATE INDEX responses_survey_idx ON responses USING btree (survey_id, id)
CREATE UNIQUE INDEX run_attempts_pkey ON run_attempts USING btree (id)
CREATE INDEX run_attempts_run_idx ON run_attempts USING btree (run_id, number)
CREATE UNIQUE INDEX run_messages_pkey ON run_messages USING btree (run_id)
CREATE UNIQUE INDEX run_search_terms_pkey ON run_search_terms USING btree (run_id)
CREATE INDEX run_search_terms_trgm_idx ON run_search_terms USING gin (search_text public.gin_trgm_ops)
CREATE INDEX runs_created_idx ON runs USING btree (created_at)
CREATE INDEX runs_due_idx ON runs USING btree (automation_id, next_attempt_at) WHERE (status = 'scheduled'::text)
CREATE INDEX runs_log_idx ON runs USING btree (automation_id, created_at, id)
CREATE UNIQUE INDEX runs_pkey ON runs USING btree (id)
CREATE INDEX runs_response_idx ON runs USING btree (response_id, automation_id)
CREATE INDEX runs_running_idx ON runs USING btree (automation_id, lease_expires_at) WHERE (status = 'running'::text)
CREATE INDEX runs_status_log_idx ON runs USING btree (automation_id, status, created_at, id)
CREATE UNIQUE INDEX sessions_pkey ON sessions USING btree (id)
CREATE INDEX sessions_user_idx ON sessions USING btree (user_id)
CREATE INDEX surveys_org_idx ON surveys USING btree (org_id, created_at)
CREATE UNIQUE INDEX surveys_pkey ON surveys USING btree (id)
CREATE UNIQUE INDEX surveys_public_token_key ON surveys USING btree (public_token)
CREATE UNIQUE INDEX svarbud_meta_pkey ON svarbud_meta USING btree (key)
CREATE INDEX templates_org_idx ON templates USING btree (org_id, created_at)
CREATE UNIQUE INDEX templates_pkey ON templates USING btree (id)
CREATE UNIQUE INDEX users_email_key ON users USING btree (email)
CREATE INDEX users_org_idx ON users USING btree (org_id)
CREATE UNIQUE INDEX users_pkey ON users USING btree (id)

CREATE TRIGGER runs_search_insert AFTER INSERT ON runs FOR EACH ROW WHEN ((new.search_text <> ''::text)) EXECUTE FUNCTION run_search_terms_sync()
CREATE TRIGGER runs_search_update AFTER UPDATE OF search_text ON runs FOR EACH ROW WHEN ((old.search_text IS DISTINCT FROM new.search_text)) EXECUTE FUNCTION run_search_terms_sync()
