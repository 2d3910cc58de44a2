// What deleting a question or a background variable would do to the survey's automations, before it is
// done (SPEC §12, label impact): each automation whose messages would lose a variable or carry one under
// another key (auto labels move when questions move up), so the owner can confirm first.
import { keyImpact, unchanged } from '../automations/label-impact.js';
import { listAutomations } from '../automations/automations.store.js';
import type { LabelMode, VariableSelection } from '../automations/message.js';
import type { AppContext } from '../context.js';
import type { SurveyDefinition } from './survey-model.js';
import { getSurvey } from './surveys.service.js';
import { removeBackgroundVariable, removeQuestion } from './variable-removal.js';

export interface AutomationImpact {
  automationId: string;
  name: string;
  lostVariables: { id: string; label: string }[];
  changedKeys: { variableId: string; from: string; to: string }[];
}

async function impactOf(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  change: (def: SurveyDefinition) => void,
): Promise<{ automations: AutomationImpact[] }> {
  const survey = await getSurvey(ctx, orgId, surveyId);
  const after = structuredClone(survey.definition);
  change(after);
  const automations: AutomationImpact[] = [];
  for (const a of await listAutomations(ctx.db, orgId, survey.id)) {
    const impact = keyImpact(survey.definition, after, {
      variables: JSON.parse(a.variables) as VariableSelection,
      labels: a.labels as LabelMode,
    });
    if (unchanged(impact)) continue;
    automations.push({
      automationId: a.id,
      name: a.name,
      lostVariables: impact.lost,
      changedKeys: impact.renamed,
    });
  }
  return { automations };
}

/** The automations deleting question `questionId` would change, and how. */
export function questionDeletionImpact(ctx: AppContext, orgId: string, surveyId: string, questionId: string) {
  return impactOf(ctx, orgId, surveyId, (def) => removeQuestion(def, questionId));
}

/** The automations deleting background variable `variableId` would change, and how. */
export function backgroundVariableDeletionImpact(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  variableId: string,
) {
  return impactOf(ctx, orgId, surveyId, (def) => removeBackgroundVariable(def, variableId));
}
