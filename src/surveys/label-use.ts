// Which automations each variable's data label reaches (SPEC §12, label impact): the data-label editor
// warns before a change moves their keys.
import { carriesDataLabel } from '../automations/label-impact.js';
import { listAutomations } from '../automations/automations.store.js';
import type { LabelMode, VariableSelection } from '../automations/message.js';
import type { AppContext } from '../context.js';
import type { SurveyRecord } from './survey-model.js';
import { toVariablesApi } from './surveys.api.js';

/**
 * The variables with their labels, each with `usedBy`: the automations whose messages carry it under its
 * data label (so changing that label changes their keys).
 */
export async function labelsWithUse(ctx: AppContext, survey: SurveyRecord) {
  const automations = (await listAutomations(ctx.db, survey.orgId, survey.id)).map((a) => ({
    automationId: a.id,
    name: a.name,
    settings: { variables: JSON.parse(a.variables) as VariableSelection, labels: a.labels as LabelMode },
  }));
  return {
    items: toVariablesApi(survey.definition).map((v) => ({
      ...v,
      usedBy: automations
        .filter((a) => carriesDataLabel(survey.definition, a.settings, v.id))
        .map(({ automationId, name }) => ({ automationId, name })),
    })),
  };
}
