// The API objects the UI reads (API.md). Only the fields the screens use are typed.

export type QuestionType =
  'single_choice' | 'multiple_choice' | 'text' | 'number' | 'scale' | 'date' | 'matrix';
export const QUESTION_TYPES: QuestionType[] = [
  'single_choice',
  'multiple_choice',
  'text',
  'number',
  'scale',
  'date',
  'matrix',
];

export interface Me {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string };
  csrfToken: string;
  /** Runs are kept this many days; the runs log's period cannot start earlier. */
  runRetentionDays?: number;
}

export interface Variable {
  id: string;
  kind: 'background' | 'question';
  text: string;
  autoLabel: string;
  dataLabel: string | null;
  label: string;
  questionId: string | null;
}

export interface Question {
  id: string;
  type: QuestionType;
  text: string;
  position: number;
  options: { id: string; text: string; code: number }[];
  rows: { id: string; text: string; variableId: string }[];
  min: number | null;
  max: number | null;
}

export interface Survey {
  id: string;
  title: string;
  anonymous: boolean;
  publicToken: string;
  createdAt: string;
  backgroundVariables: { id: string; name: string; system: boolean }[];
  questions: Question[];
  variables: Variable[];
}

export interface SurveySummary {
  id: string;
  title: string;
  anonymous: boolean;
  createdAt: string;
  responseCount: number;
}

export interface Template {
  id: string;
  name: string;
  sourceSurveyId: string | null;
  createdAt: string;
}

export interface List<T> {
  items: T[];
  nextCursor?: string | null;
}

export type VariableSelection = { mode: 'all' } | { mode: 'specific'; ids: string[] };
export type RunStatus = 'scheduled' | 'running' | 'succeeded' | 'failed';
export const RUN_STATUSES: RunStatus[] = ['scheduled', 'running', 'succeeded', 'failed'];

export interface Automation {
  id: string;
  type: 'outgoing_webhook';
  surveyId: string;
  name: string;
  url: string;
  enabled: boolean;
  disabledReason: null | 'manual' | 'failures' | 'gone';
  disabledAt: string | null;
  variables: VariableSelection;
  labels: 'auto' | 'data';
  answerFormat: 'text' | 'code';
  headers: Record<string, string>;
  secret: string;
  previousSecretExpiresAt?: string | null;
  createdAt: string;
  updatedAt: string;
  stats: Record<RunStatus, number>;
}

export type FailureCode =
  | 'INVALID_URL'
  | 'BLOCKED_ADDRESS'
  | 'DNS_NOT_FOUND'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'TIMEOUT'
  | 'TLS_ERROR'
  | 'REDIRECT'
  | 'HTTP_STATUS';

export interface TestResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: null | { code: FailureCode; message: string; hint: string };
  request: { url: string; headers: Record<string, string>; body: string };
  response: { headers: Record<string, string>; body: string } | null;
}

export type IdentityField = 'firstName' | 'lastName' | 'email';

export interface RespondentSurvey {
  title: string;
  anonymous: boolean;
  asksIdentity: boolean;
  identityFields: IdentityField[];
  backgroundVariables: { id: string; name: string }[];
  questions: {
    id: string;
    type: QuestionType;
    text: string;
    position: number;
    options: { text: string; code: number }[];
    rows: { variableId: string; text: string }[];
    min: number | null;
    max: number | null;
  }[];
}

export type StatusCounts = Record<RunStatus, number>;

export interface RunSummary {
  id: string;
  automationId: string;
  responseId: string;
  /** "First Last", else the e-mail, else ""; "Anonymous" for runs of anonymous surveys. */
  name: string;
  email: string | null;
  status: RunStatus;
  statusChangedAt: string;
  createdAt: string;
  pushUrl: string;
  attempts: number;
  nextAttemptAt: string | null;
}

export interface RunPage {
  items: RunSummary[];
  nextCursor: string | null;
  /** Per status, for the filter without its status part. */
  counts: StatusCounts;
  /** Per status: the count is a lower bound (counting stopped early); show it as "n+". */
  countsCapped?: Record<RunStatus, boolean>;
}

export interface Attempt {
  number: number;
  trigger: 'auto' | 'replay';
  url: string;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: null | { code: string; message: string; hint: string };
  responseBody: string | null;
}

export interface RunDetails extends RunSummary {
  firstName: string | null;
  lastName: string | null;
  /** The exact body sent. */
  message: string;
  attemptLog: Attempt[];
}

export interface ReplayResult {
  replayed: number;
  skipped: { id: string; reason: 'running' | 'not_found' }[];
  automationEnabled: boolean;
}

export interface DailyRuns {
  timeZone: string;
  days: ({ date: string } & StatusCounts)[];
  lastRunAt: string | null;
}

export interface Inbox {
  id: string;
  name: string;
  url: string;
  createdAt: string;
}

export type Verification = 'valid' | 'invalid' | 'unsigned' | 'no_matching_automation';

export interface InboxRequest {
  id: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  bodyBytes: number;
  bodyTruncated: boolean;
  verification: Verification;
  automationId: string | null;
  receivedAt: string;
}
