// The seam between a completed response and its runs (SPEC §7): called inside the response's own
// transaction, so the response and its runs are committed together or not at all.
import {
  renderMessage,
  type AnswerFormat,
  type LabelMode,
  type VariableSelection,
} from '../automations/message.js';
import { findAutomationsTakingRuns, type AutomationRow } from '../automations/automations.store.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/connect.js';
import type { RunsTable } from '../db/schema.js';
import type { Insertable } from 'kysely';
import { insertRows } from '../db/raw-insert.js';
import type { DueRuns } from '../db/run-queue.js';
import { newId } from '../ids.js';
import { searchTextOf } from './search-text.js';
import type { SurveyRecord } from '../surveys/survey-model.js';
import type { RunOrigin } from '../shared/contract-rules.js';

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

/** How a run names its respondent: "First Last", else the e-mail, else ""; anonymous surveys: "Anonymous". */
export function respondentName(
  anonymous: boolean,
  r: Pick<CompletedResponse, 'firstName' | 'lastName' | 'email'>,
) {
  if (anonymous) return 'Anonymous';
  const full = [r.firstName, r.lastName].filter((s) => s && s.trim() !== '').join(' ');
  return full || r.email || '';
}

/** What a run needs of its automation: where it posts, and the settings its message is rendered with. */
export type RunAutomation = Pick<
  AutomationRow,
  'id' | 'url' | 'variables' | 'labels' | 'answer_format' | 'enabled'
>;

/** A new run of `a` for `response`, scheduled and due now, with its message rendered with today's settings. */
export function newRun(
  a: RunAutomation,
  survey: SurveyRecord,
  response: CompletedResponse,
  now: number,
  origin: RunOrigin,
): { run: Insertable<RunsTable>; message: { run_id: string; body: string } } {
  const id = newId('run', now);
  const anonymous = survey.anonymous;
  return {
    run: {
      id,
      org_id: response.orgId,
      automation_id: a.id,
      response_id: response.id,
      status: 'scheduled',
      status_changed_at: now,
      created_at: now,
      next_attempt_at: now,
      next_trigger: 'auto',
      schedule_start: 0,
      attempts: 0,
      lease_token: null,
      lease_expires_at: null,
      push_url: a.url,
      name: respondentName(anonymous, response),
      email: anonymous ? null : response.email,
      first_name: anonymous ? null : response.firstName,
      last_name: anonymous ? null : response.lastName,
      search_text: searchTextOf(anonymous, response),
      origin,
    },
    message: {
      run_id: id,
      body: renderMessage('survey.response.completed', survey, response, {
        variables: JSON.parse(a.variables) as VariableSelection,
        labels: a.labels as LabelMode,
        answerFormat: a.answer_format as AnswerFormat,
      }),
    },
  };
}

/**
 * Inserts one run per automation of the survey that takes runs (enabled, or disabled by failures/410:
 * held runs), each with its message rendered now, using `trx` — the response's transaction (a run
 * queue's `makeDue`) — and offers the runs of enabled automations, message in hand, to the dispatchers.
 * Two multi-row inserts whatever the number of automations.
 */
export async function createRunsForResponse(
  ctx: Pick<AppContext, 'clock'>,
  trx: Db,
  due: DueRuns,
  survey: SurveyRecord,
  response: CompletedResponse,
): Promise<CreatedRun[]> {
  const automations = await findAutomationsTakingRuns(trx, survey.id);
  if (automations.length === 0) return [];
  const now = ctx.clock.now();
  const built = automations.map((a) => newRun(a, survey, response, now, 'completion'));
  const runs = built.map((b) => b.run);
  const messages = built.map((b) => b.message);
  await insertRows(trx, 'runs', runs);
  await insertRows(trx, 'run_messages', messages);
  due.offer(
    automations.flatMap((a, i) =>
      a.enabled === 1 ? [{ id: runs[i]!.id, automationId: a.id, body: messages[i]!.body }] : [],
    ),
  );
  return runs.map((r) => ({ id: r.id, automationId: r.automation_id, status: 'scheduled' as const }));
}
