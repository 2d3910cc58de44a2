// The tables, as Kysely sees them. Times are epoch milliseconds (bigint), booleans are 0/1 integers
// and documents are JSON text, so one schema serves SQLite and PostgreSQL alike.
//
// Glossary (the words code, UI and docs use; survey, variable, labels and response: surveys/survey-model.ts):
//   automation — an outgoing webhook of one survey: a URL, the variables it sends under which labels,
//                custom headers and a signing secret (earlier secrets sign on for 24 h after a rotation).
//   run        — one response on its way to one automation: created with the response (or by a backfill
//                or a manual send), scheduled → running → succeeded | failed; replay schedules it again.
//                Its id is the `webhook-id` of every request made for it.
//   message    — the exact JSON body a run sends, rendered once when the run is created and kept with it,
//                so every attempt and replay sends the same bytes.
//   attempt    — one HTTP request of a run: its time, URL, status or failure code, and the receiver's
//                answer (shortened); the attempt log is a run's attempts in order.
//   failure streak — an automation's consecutive runs that ended failed with no success in between: at
//                `SVARBUD_WARN_AFTER_FAILURES` the recipients get one "at risk" mail, at
//                `SVARBUD_DISABLE_AFTER_FAILURES` it is disabled; a success (or enabling it) starts a new one.
//   member     — a user of an organization; invitation — a single-use link by mail (7 days) that makes one.
//   lease      — a dispatcher's claim on a running run: a token and an expiry; results are recorded only
//                under the lease they were sent with, and an expired lease makes the run claimable again.
import type { Generated } from 'kysely';

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  org_id: string;
  email: string; // lower-cased
  name: string;
  password_hash: string;
  created_at: number;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie token, hex
  user_id: string;
  org_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  key_hash: string; // sha256 of the whole key, hex
  key_prefix: string; // first characters, to recognise a key in lists
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

export interface SurveysTable {
  id: string;
  org_id: string;
  title: string;
  anonymous: number;
  public_token: string;
  definition: string; // JSON SurveyDefinition
  version: number; // optimistic concurrency for definition edits
  created_at: number;
  updated_at: number;
}

export interface TemplatesTable {
  id: string;
  org_id: string;
  name: string;
  source_survey_id: string | null;
  title: string;
  anonymous: number;
  definition: string;
  created_at: number;
}

export interface ResponsesTable {
  id: string;
  org_id: string;
  survey_id: string;
  completed_at: number;
  created_at: number;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  answers: string; // JSON {variableId: value}
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  rate_limits: RateLimitsTable;
  surveys: SurveysTable;
  templates: TemplatesTable;
  responses: ResponsesTable;
  svarbud_meta: MetaTable;
  automations: AutomationsTable;
  runs: RunsTable;
  run_messages: RunMessagesTable;
  run_attempts: RunAttemptsTable;
  notification_settings: NotificationSettingsTable;
  mail_outbox: MailOutboxTable;
  notification_digests: NotificationDigestsTable;
  dev_mailbox: DevMailboxTable;
  request_inboxes: RequestInboxesTable;
  inbox_requests: InboxRequestsTable;
  dispatchers: DispatchersTable;
  invitations: InvitationsTable;
}

/** An invitation to join an organization (0009): pending until accepted, revoked or expired. */
export interface InvitationsTable {
  id: string;
  org_id: string;
  email: string; // lower-cased
  token_hash: string; // sha256 of the link's token, hex; the token itself is only in the mail
  language: string; // en | nb: the inviting member's, for the mail
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_by: string | null;
}

/** One row per running dispatcher process, beating every second (src/db/run-queue.ts). */
export interface DispatchersTable {
  id: string;
  started_at: number;
  heartbeat_at: number;
}

export interface AutomationsTable {
  id: string;
  org_id: string;
  survey_id: string;
  type: string;
  name: string;
  url: string;
  enabled: number;
  disabled_reason: string | null;
  disabled_at: number | null;
  variables: string;
  labels: string;
  answer_format: string;
  headers_enc: string;
  secret_enc: string;
  /** JSON `[{enc, expiresAt}]`: earlier secrets (each encrypted) that still sign until `expiresAt`. */
  earlier_secrets: string;
  failure_streak: number;
  /** JSON `[{id, label, lostAt}]`: selected variables deleted from the survey since the selection was saved (0008). */
  lost_variables: string;
  /** When the current streak's "at risk" mail was queued (0009); null when none was this streak. */
  failure_warned_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface RunsTable {
  id: string;
  org_id: string;
  automation_id: string;
  response_id: string;
  status: string;
  status_changed_at: number;
  created_at: number;
  next_attempt_at: number | null;
  next_trigger: string;
  schedule_start: number;
  attempts: number;
  lease_token: string | null;
  lease_expires_at: number | null;
  /** The dispatcher holding the lease (its row in `dispatchers`); null when not running. */
  lease_owner?: string | null;
  push_url: string;
  name: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  /** Lower-cased "first last<US>email" to search by; "" for anonymous runs (src/runs/search-text.ts). */
  search_text: Generated<string>;
  /** Where the run came from: `completion` of its response, a `backfill`, or a `manual` send (0008). */
  origin: Generated<string>;
}

export interface RunMessagesTable {
  run_id: string;
  body: string;
}

export interface RunAttemptsTable {
  id: string;
  run_id: string;
  number: number;
  trigger: string;
  url: string;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error_code: string | null;
  error_message: string | null;
  error_hint: string | null;
  response_body: string | null;
  /** JSON [name, value] pairs as sent, signatures shortened, credentials masked (0010); null before. */
  request_headers: string | null;
}

// Failure notifications (0004): settings per automation, the mail outbox, digest state, dev mailbox.
export interface NotificationSettingsTable {
  automation_id: string;
  org_id: string;
  enabled: number;
  recipients: string; // JSON array of lower-cased addresses
  /** `en` | `nb` (0009): the language of the member who saved them; every notification mail uses it. */
  language: string;
  updated_at: number;
}

export interface MailOutboxTable {
  id: string; // also the local part of the Message-ID, so a resend carries the same one
  org_id: string;
  automation_id: string | null;
  kind: string; // automation_disabled | automation_at_risk | failure_digest | invitation
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: string; // pending | sent | failed
  attempts: number;
  next_attempt_at: number;
  lease_token: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface NotificationDigestsTable {
  automation_id: string;
  org_id: string;
  /** Failed runs not yet mailed. */
  pending_count: number;
  /** When the oldest of them failed; null when none is pending. */
  first_failure_at: number | null;
  last_digest_at: number | null;
}

export interface DevMailboxTable {
  id: string; // the outbox row it came from
  org_id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: number;
}

// The request inbox (0005): receiver endpoints inside Svarbud and what arrived at them.
export interface RequestInboxesTable {
  id: string;
  org_id: string;
  token: string;
  name: string;
  is_default: number;
  created_at: number;
}

export interface InboxRequestsTable {
  id: string;
  inbox_id: string;
  org_id: string;
  method: string;
  headers: string; // JSON object of lower-case names; cookies dropped
  body: string;
  body_bytes: number;
  body_truncated: number;
  verification: string; // valid | invalid | unsigned | no_matching_automation
  automation_id: string | null;
  received_at: number;
}
