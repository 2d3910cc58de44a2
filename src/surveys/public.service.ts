// The respondent page (API.md → Respondent page): a survey as a respondent sees it, and submitting
// to it without signing in. Rate-limited per client address; what it shows is only what answering needs.
import { MINUTE } from '../config.js';
import type { AppContext } from '../context.js';
import { notFound } from '../http/errors.js';
import { hitRateLimit, type RateLimitRule } from '../http/rate-limit.js';
import type { ResponseSubmission } from './response-validation.js';
import { submitResponse } from './responses.service.js';
import type { QuestionType, SurveyRecord, SystemVariable } from './survey-model.js';
import { findSurveyByPublicToken } from './surveys.store.js';

/** Submissions per client address per minute. */
export const PUBLIC_SUBMISSIONS: RateLimitRule = { limit: 60, windowMs: MINUTE };
/** Page loads per client address per minute (a page load is one GET). */
export const PUBLIC_VIEWS: RateLimitRule = { limit: 300, windowMs: MINUTE };

export type IdentityField = 'firstName' | 'lastName' | 'email';

const IDENTITY: [SystemVariable, IdentityField][] = [
  ['first_name', 'firstName'],
  ['last_name', 'lastName'],
  ['email', 'email'],
];

export interface RespondentSurvey {
  title: string;
  anonymous: boolean;
  /** True when the page asks for name and e-mail (never on an anonymous survey). */
  asksIdentity: boolean;
  /** The `respondent` fields the page may send. */
  identityFields: IdentityField[];
  /** Custom background variables to fill in, sent as `background[id]`. */
  backgroundVariables: { id: string; name: string }[];
  questions: {
    /** The answer key of a non-matrix question; a matrix is answered per row (`rows[].variableId`). */
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

/** What a respondent sees: no labels, no option or row ids, no survey id. */
export function respondentView(survey: SurveyRecord): RespondentSurvey {
  const def = survey.definition;
  const identityFields = survey.anonymous
    ? []
    : IDENTITY.filter(([system]) => def.backgroundVariables.some((b) => b.system === system)).map(
        ([, field]) => field,
      );
  return {
    title: survey.title,
    anonymous: survey.anonymous,
    asksIdentity: identityFields.length > 0,
    identityFields,
    backgroundVariables: def.backgroundVariables
      .filter((b) => !b.system)
      .map((b) => ({ id: b.id, name: b.name })),
    questions: def.questions.map((q, index) => ({
      id: q.id,
      type: q.type,
      text: q.text,
      position: index + 1,
      options: q.options.map((o) => ({ text: o.text, code: o.code })),
      rows: q.rows.map((r) => ({ variableId: r.variableId, text: r.text })),
      min: q.type === 'scale' ? q.min : null,
      max: q.type === 'scale' ? q.max : null,
    })),
  };
}

async function surveyByToken(ctx: AppContext, token: string): Promise<SurveyRecord> {
  const survey = await findSurveyByPublicToken(ctx.db, token);
  if (!survey) throw notFound('Survey not found.');
  return survey;
}

export async function showPublicSurvey(
  ctx: AppContext,
  token: string,
  clientAddress: string,
): Promise<RespondentSurvey> {
  // Counted before the lookup, so guessing tokens is limited too.
  await hitRateLimit(ctx.db, `public-view:ip:${clientAddress}`, PUBLIC_VIEWS, ctx.clock.now());
  return respondentView(await surveyByToken(ctx, token));
}

export async function submitPublicResponse(
  ctx: AppContext,
  token: string,
  input: ResponseSubmission,
  clientAddress: string,
): Promise<{ id: string }> {
  await hitRateLimit(ctx.db, `public-response:ip:${clientAddress}`, PUBLIC_SUBMISSIONS, ctx.clock.now());
  // A respondent who sends the form without answering anything has not responded: nothing is stored or
  // delivered (a receiver would get a message of nulls). The API still takes such responses from the
  // platforms that push them.
  const created = await submitResponse(ctx, await surveyByToken(ctx, token), input, { requireAnswer: true });
  return { id: created.id };
}
