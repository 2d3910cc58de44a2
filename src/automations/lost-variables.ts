// Variables an automation's specific selection lost (SPEC §12: nothing changes silently): when a survey
// edit deletes variables, every automation of the survey whose specific selection named one records it
// (`automations.lost_variables`: `[{id, label, lostAt}]`, the key its messages carried it under), in the
// edit's transaction. Saving a new selection clears the list (automations.service.ts).
import type { Db } from '../db/connect.js';
import type { SurveyDefinition } from '../surveys/survey-model.js';
import { keyImpact } from './label-impact.js';
import type { LabelMode, VariableSelection } from './message.js';

export interface LostVariable {
  id: string;
  label: string;
  lostAt: number;
}

/** The lost variables stored on an automation row. */
export function lostVariablesOf(row: { lost_variables: string }): LostVariable[] {
  return JSON.parse(row.lost_variables) as LostVariable[];
}

/** Records, for each automation of the survey with a specific selection, the selected variables the edit deleted. */
export async function recordLostVariables(
  trx: Db,
  surveyId: string,
  before: SurveyDefinition,
  after: SurveyDefinition,
  now: number,
): Promise<void> {
  const automations = await trx
    .selectFrom('automations')
    .select(['id', 'variables', 'labels', 'lost_variables'])
    .where('survey_id', '=', surveyId)
    .orderBy('id')
    .execute();
  for (const a of automations) {
    const variables = JSON.parse(a.variables) as VariableSelection;
    if (variables.mode !== 'specific') continue;
    const { lost } = keyImpact(before, after, { variables, labels: a.labels as LabelMode });
    if (lost.length === 0) continue;
    const list = [...lostVariablesOf(a), ...lost.map((l) => ({ ...l, lostAt: now }))];
    await trx
      .updateTable('automations')
      .set({ lost_variables: JSON.stringify(list) })
      .where('id', '=', a.id)
      .execute();
  }
}
