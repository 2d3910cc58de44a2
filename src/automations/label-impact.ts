// Label impact (SPEC §12): what a survey change does to the keys of an automation's messages. Pure: the
// definition before and after the change, and the automation's variable selection and label mode.
import { effectiveLabels } from '../surveys/labels.js';
import { variablesOf, type SurveyDefinition } from '../surveys/survey-model.js';
import { selectedVariables, type LabelMode, type VariableSelection } from './message.js';

export interface KeySettings {
  variables: VariableSelection;
  labels: LabelMode;
}

export interface KeyImpact {
  /** Variables the messages carry now and would no longer carry (deleted from the survey), with their key. */
  lost: { id: string; label: string }[];
  /** Variables the messages would carry under another key. */
  renamed: { variableId: string; from: string; to: string }[];
}

/** How the message keys of an automation with `settings` change from `before` to `after`. */
export function keyImpact(
  before: SurveyDefinition,
  after: SurveyDefinition,
  settings: KeySettings,
): KeyImpact {
  const oldLabels = effectiveLabels(before, settings.labels);
  const newLabels = effectiveLabels(after, settings.labels);
  const remaining = new Set(variablesOf(after).map((v) => v.id));
  const impact: KeyImpact = { lost: [], renamed: [] };
  for (const v of selectedVariables(before, settings.variables)) {
    const from = oldLabels.get(v.id)!;
    if (!remaining.has(v.id)) impact.lost.push({ id: v.id, label: from });
    else if (newLabels.get(v.id) !== from)
      impact.renamed.push({ variableId: v.id, from, to: newLabels.get(v.id)! });
  }
  return impact;
}

/** True when the change leaves the automation's message keys as they are. */
export function unchanged(impact: KeyImpact): boolean {
  return impact.lost.length === 0 && impact.renamed.length === 0;
}

/** Whether the automation's messages carry variable `id` under its data label (data-label edits move it). */
export function carriesDataLabel(def: SurveyDefinition, settings: KeySettings, id: string): boolean {
  return settings.labels === 'data' && selectedVariables(def, settings.variables).some((v) => v.id === id);
}
