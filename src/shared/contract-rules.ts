// Rules both sides of the contract apply: the server when it checks input, the web app as the owner
// types (web/ imports this file; it may use nothing of Node). One definition each, so they cannot drift.

// ── Surveys and runs ──

export const QUESTION_TYPES = [
  'single_choice',
  'multiple_choice',
  'text',
  'number',
  'scale',
  'date',
  'matrix',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A run's states: scheduled (due now or later) → running (an attempt in flight) → succeeded | failed. */
export const RUN_STATUSES = ['scheduled', 'running', 'succeeded', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Where a run came from: its response's completion, a backfill ("send existing responses"), a manual send. */
export const RUN_ORIGINS = ['completion', 'backfill', 'manual'] as const;
export type RunOrigin = (typeof RUN_ORIGINS)[number];

// ── Data labels (SPEC §4) ──

export const MAX_DATA_LABEL = 100;
export const DATA_LABEL_CHARACTERS = /^[A-Za-z0-9_]+$/;
/** Q<number> and Q<number>_<number> are the auto labels' form, so no data label may take it. */
export const QUESTION_LABEL_FORM = /^q\d+(_\d+)?$/i;

export type DataLabelFormRule = 'TOO_LONG' | 'INVALID_CHARACTERS' | 'RESERVED';

/** The rules a data label breaks on its own (uniqueness needs the survey: see surveys/labels.ts). */
export function dataLabelFormProblems(label: string): DataLabelFormRule[] {
  const broken: DataLabelFormRule[] = [];
  if (label.length > MAX_DATA_LABEL) broken.push('TOO_LONG');
  if (!DATA_LABEL_CHARACTERS.test(label)) broken.push('INVALID_CHARACTERS');
  if (QUESTION_LABEL_FORM.test(label)) broken.push('RESERVED');
  return broken;
}

// ── Custom request headers of an automation ──

export const MAX_HEADERS = 10;
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/** Hop-by-hop and framing headers: the HTTP client owns them, so the sender never passes them on. */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'upgrade',
  'expect',
];

/** Header names an automation may not set: the hop-by-hop ones and the ones every delivery sets itself. */
export const RESERVED_HEADER_NAMES: readonly string[] = [
  ...HOP_BY_HOP_HEADERS,
  'content-type',
  'content-encoding',
  'user-agent',
];
const RESERVED = new Set(RESERVED_HEADER_NAMES);

/** True when a custom header may not use `name` (any case): reserved, Standard Webhooks' or a proxy's. */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || lower.startsWith('webhook-') || lower.startsWith('proxy-');
}

// ── Why an attempt failed ──

/** Every way an attempt can fail; TestResult and the attempt log use exactly these codes. */
export const FAILURE_CODES = [
  'INVALID_URL',
  'BLOCKED_ADDRESS',
  'DNS_NOT_FOUND',
  'CONNECTION_REFUSED',
  'CONNECTION_RESET',
  'TIMEOUT',
  'TLS_ERROR',
  'REDIRECT',
  'HTTP_STATUS',
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];
