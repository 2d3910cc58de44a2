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
