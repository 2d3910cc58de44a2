// The seam between a completed response and its runs (SPEC §7): called inside the response's own
// transaction, so the response and its runs are committed together or not at all.
import type { Db } from '../db/connect.js';
import type { SurveyRecord } from '../surveys/survey-model.js';

export interface CompletedResponse {
  id: string;
  orgId: string;
  surveyId: string;
  completedAt: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** Validated answers and background values, keyed by variable id. */
  answers: Record<string, unknown>;
}

export interface CreatedRun {
  id: string;
  automationId: string;
  status: 'scheduled';
}

/**
 * Inserts one run per eligible automation of the survey, with its rendered message, using `trx`
 * (the response's transaction). Automations arrive with the delivery engine; until then a survey
 * has none and no run is created.
 */
export async function createRunsForResponse(
  _trx: Db,
  _survey: SurveyRecord,
  _response: CompletedResponse,
): Promise<CreatedRun[]> {
  return [];
}
