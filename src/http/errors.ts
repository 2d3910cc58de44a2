// The error catalogue: every error the API answers with, a stable code, its HTTP status and message.
// The UI translates codes, never messages; a test checks every key equals its code.

export const ERRORS = {
  VALIDATION_FAILED: { code: 'VALIDATION_FAILED', status: 400, message: 'The request is invalid.' },
  INVALID_JSON: { code: 'INVALID_JSON', status: 400, message: 'The request body is not valid JSON.' },
  ANONYMOUS_SURVEY: {
    code: 'ANONYMOUS_SURVEY',
    status: 400,
    message: 'This survey is anonymous: responses may not carry a name or e-mail.',
  },
  RESPONSE_INVALID: {
    code: 'RESPONSE_INVALID',
    status: 400,
    message: 'The response does not fit the survey.',
  },
  PERIOD_OUT_OF_RANGE: {
    code: 'PERIOD_OUT_OF_RANGE',
    status: 400,
    message: 'The period starts before the oldest runs that are kept.',
  },
  BACKFILL_TOO_LARGE: {
    code: 'BACKFILL_TOO_LARGE',
    status: 400,
    message: 'Too many responses to send at once; choose a shorter period.',
  },
  UNAUTHENTICATED: { code: 'UNAUTHENTICATED', status: 401, message: 'Sign in or send a valid API key.' },
  INVALID_CREDENTIALS: {
    code: 'INVALID_CREDENTIALS',
    status: 401,
    message: 'The e-mail or password is wrong.',
  },
  CSRF_TOKEN_INVALID: {
    code: 'CSRF_TOKEN_INVALID',
    status: 403,
    message: 'Missing or wrong X-CSRF-Token header (get it from GET /api/v1/me).',
  },
  SIGNUP_CLOSED: { code: 'SIGNUP_CLOSED', status: 403, message: 'Sign-up is closed on this server.' },
  NOT_FOUND: { code: 'NOT_FOUND', status: 404, message: 'Not found.' },
  METHOD_NOT_ALLOWED: {
    code: 'METHOD_NOT_ALLOWED',
    status: 405,
    message: 'This path does not take that method (see the Allow header).',
  },
  EMAIL_TAKEN: { code: 'EMAIL_TAKEN', status: 409, message: 'An account with this e-mail already exists.' },
  ALREADY_MEMBER: {
    code: 'ALREADY_MEMBER',
    status: 409,
    message: 'This e-mail already belongs to a member of the organization.',
  },
  LAST_MEMBER: {
    code: 'LAST_MEMBER',
    status: 409,
    message: 'The last member of an organization cannot be removed.',
  },
  CONFLICT: { code: 'CONFLICT', status: 409, message: 'The resource changed at the same time; try again.' },
  PAYLOAD_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    message: 'Send the body as application/json.',
  },
  DATA_LABELS_INVALID: {
    code: 'DATA_LABELS_INVALID',
    status: 422,
    message: 'Some data labels break the rules; nothing was saved.',
  },
  RATE_LIMITED: { code: 'RATE_LIMITED', status: 429, message: 'Too many requests; try again later.' },
  INTERNAL: { code: 'INTERNAL', status: 500, message: 'Something went wrong on our side.' },
  UNAVAILABLE: { code: 'UNAVAILABLE', status: 503, message: 'The database is not reachable.' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorDetail {
  /** Path of the field at fault, e.g. `questions.0.options` or `answers.q_123`. */
  field?: string;
  code?: string;
  message: string;
  [key: string]: unknown;
}

/** An error the API answers with: a catalogue code, optional message override and details. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

export const notFound = (what = 'Not found.') => new AppError('NOT_FOUND', what);

/** A 400 naming one field. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]);
}

/** "field: message" of the first fault, every 400's message; `countOthers` adds "(and N more)". */
export function faultMessage(details: readonly ErrorDetail[], countOthers = false): string {
  const first = details[0];
  if (!first) return ERRORS.VALIDATION_FAILED.message;
  const more = countOthers && details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return `${first.field ?? 'body'}: ${first.message}${more}`;
}

/** A 400 (or the given code) listing every fault; its message names the first one. */
export function validationFailed(
  details: ErrorDetail[],
  code: ErrorCode = 'VALIDATION_FAILED',
  countOthers = false,
): AppError {
  return new AppError(code, faultMessage(details, countOthers), details);
}

/** Throws the 400 for `problems` when there are any. */
export function assertNoProblems(problems: ErrorDetail[]): void {
  if (problems.length > 0) throw validationFailed(problems);
}

/** zod issues as fault details: the dotted path under `prefix` (`body` for the whole input). */
export function zodIssueDetails(issues: readonly { path: PropertyKey[]; message: string }[], prefix = '') {
  return issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.') || 'body',
    message: i.message,
  }));
}
