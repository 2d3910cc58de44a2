// Erasure (SPEC §12): deleting a response, or every response of one respondent e-mail (a data-subject
// request), with everything that came of them, in one transaction: afterwards nothing of them is listed,
// searched, downloaded, counted or found by run id. See erasure.store.ts for how runs in flight stay out.
import type { AppContext } from '../context.js';
import { notFound } from '../http/errors.js';
import { eraseResponses, type Erased } from './erasure.store.js';
import { getSurvey } from './surveys.service.js';

/** Deletes one response of the survey with its runs; 404 when either is not the organization's. */
export async function deleteResponse(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  responseId: string,
): Promise<Erased> {
  const survey = await getSurvey(ctx, orgId, surveyId);
  const erased = await ctx.db
    .transaction()
    .execute((trx) => eraseResponses(trx, ctx.engine, orgId, { surveyId: survey.id, responseId }));
  if (erased.responses === 0) throw notFound('Response not found.');
  return erased;
}

/** Deletes every response of the organization whose respondent e-mail is `email` (any case), with their runs. */
export async function eraseRespondent(ctx: AppContext, orgId: string, email: string): Promise<Erased> {
  return ctx.db.transaction().execute((trx) => eraseResponses(trx, ctx.engine, orgId, { email }));
}
