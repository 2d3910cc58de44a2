// The tables, as Kysely sees them. Times are epoch milliseconds (bigint), booleans are 0/1 integers
// and documents are JSON text, so one schema serves SQLite and PostgreSQL alike.
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
}
