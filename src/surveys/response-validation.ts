// Validates a submitted response against a survey (SPEC §5): every value is checked against its
// question type and every fault is reported at once, naming its field (`answers.<id>`, …).
// Pure: no database, no clock (the caller passes `now`).
import { z } from 'zod';
import { MINUTE } from '../config.js';
import type { QuestionDef, SurveyDefinition, SystemVariable } from './survey-model.js';
import { noNul, NUL } from '../http/text-rules.js';

/** The body of `POST /surveys/:id/responses` after its shape is checked (values still unknown). */
export interface ResponseSubmission {
  respondent?: { firstName?: unknown; lastName?: unknown; email?: unknown } | null;
  background?: Record<string, unknown> | null;
  answers: Record<string, unknown>;
  completedAt?: unknown;
}

/** Respondent fields are stored as text, which in PostgreSQL cannot hold U+0000: a 400, never a 500. */
const respondentText = z.string().refine(noNul, NUL).nullish();

/** The shape of a submission; the values are checked against the survey by validateResponse. */
export const responseSubmissionSchema = z.object({
  respondent: z
    .strictObject({
      firstName: respondentText,
      lastName: respondentText,
      email: respondentText,
    })
    .nullish(),
  background: z.record(z.string(), z.unknown()).nullish(),
  answers: z.record(z.string(), z.unknown()),
  completedAt: z.string().nullish(),
});

/** A stored value: option code(s), text, number or `YYYY-MM-DD`. */
export type AnswerValue = string | number | number[];

export interface ValidResponse {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** Custom background values and answers, keyed by variable id; unanswered variables are absent. */
  values: Record<string, AnswerValue>;
  completedAt: number;
}

export type ResponseErrorCode =
  | 'ANONYMOUS_SURVEY'
  | 'UNKNOWN_VARIABLE'
  | 'NOT_A_QUESTION'
  | 'NOT_CUSTOM_BACKGROUND'
  | 'MATRIX_ROW_REQUIRED'
  | 'DUPLICATE_ANSWER'
  | 'WRONG_TYPE'
  | 'UNKNOWN_OPTION'
  | 'DUPLICATE_OPTION'
  | 'OUT_OF_RANGE'
  | 'INVALID_DATE'
  | 'INVALID_EMAIL'
  | 'INVALID_TIME'
  | 'IN_FUTURE'
  | 'TOO_LONG';

export interface ResponseFieldError {
  /** Path of the value at fault, e.g. `answers.qst_…`, `background.var_…`, `respondent.email`. */
  field: string;
  code: ResponseErrorCode;
  message: string;
}

export type ResponseValidation =
  | { ok: true; response: ValidResponse }
  | { ok: false; code: 'RESPONSE_INVALID' | 'ANONYMOUS_SURVEY'; errors: ResponseFieldError[] };

export const MAX_TEXT_ANSWER = 10_000;
export const MAX_NAME = 200;
export const MAX_BACKGROUND_VALUE = 1000;
/** Clocks drift; a completion a little ahead of ours is accepted, more is a mistake. */
export const MAX_CLOCK_SKEW_MS = 5 * MINUTE;

const RESPONDENT_FIELDS = [
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['email', 'email'],
] as const satisfies readonly (readonly [string, SystemVariable])[];

const emailSchema = z.email().max(254);

const DATE_FORM = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_FORM = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isCalendarDate(text: string): boolean {
  const m = DATE_FORM.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Epoch ms of an ISO 8601 date-time with a time zone (`Z` or an offset), or null. */
export function parseIsoTime(text: string): number | null {
  const m = TIME_FORM.exec(text);
  if (!m || !isCalendarDate(m[1]!)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

interface Found {
  question: QuestionDef;
  /** The variable the value is stored under. */
  variableId: string;
  /** For a matrix row: the row's options come from its question. */
  isRow: boolean;
}

/** Answer keys the survey understands: question ids, their variable ids, and matrix row variable ids. */
function answerKeys(def: SurveyDefinition): Map<string, Found> {
  const keys = new Map<string, Found>();
  for (const question of def.questions) {
    if (question.type === 'matrix') {
      for (const row of question.rows)
        keys.set(row.variableId, { question, variableId: row.variableId, isRow: true });
    } else if (question.variableId) {
      const found = { question, variableId: question.variableId, isRow: false };
      keys.set(question.id, found);
      keys.set(question.variableId, found);
    }
  }
  return keys;
}

type Check = { value: AnswerValue } | { code: ResponseErrorCode; message: string };

function checkCode(question: QuestionDef, value: unknown): Check {
  if (typeof value !== 'number')
    return { code: 'WRONG_TYPE', message: `must be an option code (a number), not ${describe(value)}` };
  if (!question.options.some((o) => o.code === value))
    return {
      code: 'UNKNOWN_OPTION',
      message: `${value} is not an option code of this question (codes: ${question.options.map((o) => o.code).join(', ')})`,
    };
  return { value };
}

function checkAnswer(found: Found, value: unknown): Check {
  const { question } = found;
  if (found.isRow) return checkCode(question, value);
  switch (question.type) {
    case 'single_choice':
      return checkCode(question, value);
    case 'multiple_choice': {
      if (!Array.isArray(value))
        return { code: 'WRONG_TYPE', message: `must be a list of option codes, not ${describe(value)}` };
      const seen = new Set<number>();
      for (const code of value) {
        const one = checkCode(question, code);
        if ('code' in one) return one;
        if (seen.has(code as number))
          return { code: 'DUPLICATE_OPTION', message: `option code ${code} is listed twice` };
        seen.add(code as number);
      }
      // Stored in option order, so a download reads the same however the sender ordered them.
      return { value: question.options.map((o) => o.code).filter((c) => seen.has(c)) };
    }
    case 'text':
      if (typeof value !== 'string')
        return { code: 'WRONG_TYPE', message: `must be text, not ${describe(value)}` };
      if (value.length > MAX_TEXT_ANSWER)
        return { code: 'TOO_LONG', message: `must be at most ${MAX_TEXT_ANSWER} characters` };
      return { value };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { code: 'WRONG_TYPE', message: `must be a number, not ${describe(value)}` };
      return { value };
    case 'scale': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return {
          code: 'WRONG_TYPE',
          message: `must be a whole number, not ${typeof value === 'number' ? value : describe(value)}`,
        };
      const min = question.min ?? Number.MIN_SAFE_INTEGER;
      const max = question.max ?? Number.MAX_SAFE_INTEGER;
      if (value < min || value > max)
        return {
          code: 'OUT_OF_RANGE',
          message: `${value} is outside the scale ${question.min ?? ''}..${question.max ?? ''}`,
        };
      return { value };
    }
    case 'date':
      if (typeof value !== 'string')
        return { code: 'WRONG_TYPE', message: `must be a date YYYY-MM-DD, not ${describe(value)}` };
      if (!isCalendarDate(value))
        return { code: 'INVALID_DATE', message: `"${value.slice(0, 40)}" is not a calendar date YYYY-MM-DD` };
      return { value };
    case 'matrix':
      // Unreachable: a matrix question's own id is not an answer key (see validateResponse).
      return { code: 'MATRIX_ROW_REQUIRED', message: 'answer each row under its row variable id' };
  }
}

/**
 * Checks a submission against a survey; on success every value is normalized and keyed by variable
 * id (null and absent both mean unanswered), on failure every fault is listed with its field.
 */
export function validateResponse(
  def: SurveyDefinition,
  anonymous: boolean,
  input: ResponseSubmission,
  now: number,
): ResponseValidation {
  const errors: ResponseFieldError[] = [];
  const fail = (field: string, code: ResponseErrorCode, message: string) =>
    errors.push({ field, code, message });
  const response: ValidResponse = {
    firstName: null,
    lastName: null,
    email: null,
    values: {},
    completedAt: now,
  };

  // Respondent: fills the system background variables; an anonymous survey takes none of it.
  const respondent = isObject(input.respondent) ? input.respondent : {};
  let identityRefused = false;
  for (const [field, system] of RESPONDENT_FIELDS) {
    const raw = respondent[field];
    if (raw === undefined || raw === null) continue;
    const path = `respondent.${field}`;
    if (anonymous) {
      identityRefused = true;
      fail(path, 'ANONYMOUS_SURVEY', 'this survey is anonymous: leave out names and e-mail');
      continue;
    }
    if (!def.backgroundVariables.some((b) => b.system === system)) {
      fail(path, 'UNKNOWN_VARIABLE', 'this survey does not ask for it');
      continue;
    }
    if (typeof raw !== 'string') {
      fail(path, 'WRONG_TYPE', `must be text, not ${describe(raw)}`);
      continue;
    }
    const text = raw.trim();
    if (text === '') continue;
    if (field === 'email') {
      if (!emailSchema.safeParse(text).success) fail(path, 'INVALID_EMAIL', 'must be a valid e-mail address');
      else response.email = text;
    } else if (text.length > MAX_NAME) {
      fail(path, 'TOO_LONG', `must be at most ${MAX_NAME} characters`);
    } else {
      response[field] = text;
    }
  }

  // Background: custom variables only; the system ones come through `respondent`.
  for (const [id, raw] of Object.entries(input.background ?? {})) {
    const path = `background.${id}`;
    const variable = def.backgroundVariables.find((b) => b.id === id);
    if (!variable) {
      fail(path, 'UNKNOWN_VARIABLE', 'is not a background variable of this survey');
    } else if (variable.system) {
      fail(
        path,
        'NOT_CUSTOM_BACKGROUND',
        `is ${variable.name}: send it as respondent.${RESPONDENT_FIELDS.find(([, s]) => s === variable.system)![0]}`,
      );
    } else if (raw === null || raw === undefined) {
      continue;
    } else if (typeof raw !== 'string') {
      fail(path, 'WRONG_TYPE', `must be text, not ${describe(raw)}`);
    } else if (raw.length > MAX_BACKGROUND_VALUE) {
      fail(path, 'TOO_LONG', `must be at most ${MAX_BACKGROUND_VALUE} characters`);
    } else {
      response.values[id] = raw;
    }
  }

  // Answers: by question id (or its variable id), matrix rows by their row variable id.
  const keys = answerKeys(def);
  const answeredBy = new Map<string, string>();
  for (const [key, raw] of Object.entries(input.answers)) {
    const path = `answers.${key}`;
    const found = keys.get(key);
    if (!found) {
      const matrix = def.questions.find((q) => q.id === key && q.type === 'matrix');
      if (matrix) {
        fail(
          path,
          'MATRIX_ROW_REQUIRED',
          `is a matrix question: answer each row under its row variable id (${matrix.rows.map((r) => r.variableId).join(', ')})`,
        );
      } else if (def.backgroundVariables.some((b) => b.id === key)) {
        fail(path, 'NOT_A_QUESTION', 'is a background variable: send it in background (or respondent)');
      } else {
        fail(path, 'UNKNOWN_VARIABLE', 'is not a question or matrix row of this survey');
      }
      continue;
    }
    const earlier = answeredBy.get(found.variableId);
    if (earlier !== undefined) {
      fail(path, 'DUPLICATE_ANSWER', `answers the same question as answers.${earlier}`);
      continue;
    }
    answeredBy.set(found.variableId, key);
    if (raw === null || raw === undefined) continue;
    const checked = checkAnswer(found, raw);
    if ('code' in checked) fail(path, checked.code, checked.message);
    else response.values[found.variableId] = checked.value;
  }

  // Completion time: given by the platform that pushed the response, else now.
  if (input.completedAt !== undefined && input.completedAt !== null) {
    const at = typeof input.completedAt === 'string' ? parseIsoTime(input.completedAt) : null;
    if (at === null)
      fail(
        'completedAt',
        'INVALID_TIME',
        'must be an ISO 8601 time with a time zone, e.g. 2026-01-15T12:00:00Z',
      );
    else if (at > now + MAX_CLOCK_SKEW_MS)
      fail('completedAt', 'IN_FUTURE', 'may not be more than 5 minutes in the future');
    else response.completedAt = at;
  }

  if (errors.length > 0)
    return { ok: false, code: identityRefused ? 'ANONYMOUS_SURVEY' : 'RESPONSE_INVALID', errors };
  return { ok: true, response };
}
