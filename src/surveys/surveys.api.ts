// The one place survey records become API objects, and the zod shapes of those objects (the
// OpenAPI document's Survey, Variable and SurveySummary).
import { z } from 'zod';
import { toIso } from '../clock.js';
import { isoTime } from '../http/schemas.js';
import { autoLabels } from './labels.js';
import { QUESTION_TYPES, variablesOf, type SurveyDefinition, type SurveyRecord } from './survey-model.js';

export const variableSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['background', 'question']),
    text: z.string(),
    autoLabel: z.string(),
    dataLabel: z.string().nullable(),
    label: z.string().describe('the effective label: the data label when set, else the auto label'),
    questionId: z.string().nullable(),
  })
  .meta({ id: 'Variable' });

const automationRef = z.object({ automationId: z.string(), name: z.string() });

export const labelledVariableSchema = variableSchema
  .extend({
    usedBy: z
      .array(automationRef)
      .describe('automations whose messages carry this variable under its data label'),
  })
  .meta({ id: 'LabelledVariable' });

export const changeImpactSchema = z
  .object({
    automations: z.array(
      automationRef.extend({
        lostVariables: z
          .array(
            z.object({ id: z.string(), label: z.string().describe('the key its messages carry it under') }),
          )
          .describe('variables its messages would no longer carry'),
        changedKeys: z
          .array(z.object({ variableId: z.string(), from: z.string(), to: z.string() }))
          .describe('variables its messages would carry under another key'),
      }),
    ),
  })
  .meta({
    id: 'ChangeImpact',
    description: 'The automations whose messages the change would alter (the others are left out).',
  });

export const surveySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    anonymous: z.boolean(),
    publicToken: z.string().describe('the respondent page is /r/<publicToken>'),
    createdAt: isoTime,
    updatedAt: isoTime,
    backgroundVariables: z.array(
      z.object({ id: z.string().describe('its variable id'), name: z.string(), system: z.boolean() }),
    ),
    questions: z.array(
      z.object({
        id: z.string(),
        type: z.enum(QUESTION_TYPES),
        text: z.string(),
        position: z.number().int(),
        options: z.array(z.object({ id: z.string(), text: z.string(), code: z.number().int() })),
        rows: z.array(z.object({ id: z.string(), text: z.string(), variableId: z.string() })),
        min: z.number().int().nullable(),
        max: z.number().int().nullable(),
      }),
    ),
    variables: z.array(variableSchema),
  })
  .meta({ id: 'Survey' });

export const surveySummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    anonymous: z.boolean(),
    createdAt: isoTime,
    responseCount: z.number().int(),
  })
  .meta({ id: 'SurveySummary' });

export type VariableApi = z.output<typeof variableSchema>;

/** Every variable of `def` in survey order, with its auto, data and effective label. */
export function toVariablesApi(def: SurveyDefinition): VariableApi[] {
  const auto = autoLabels(def);
  return variablesOf(def).map((v) => ({
    id: v.id,
    kind: v.kind,
    text: v.text,
    autoLabel: auto.get(v.id)!,
    dataLabel: v.dataLabel,
    label: v.dataLabel ?? auto.get(v.id)!,
    questionId: v.questionId,
  }));
}

/** The API's Survey object: the one place a survey record becomes what callers see. */
export function toSurveyApi(survey: SurveyRecord): SurveyApi {
  const def = survey.definition;
  return {
    id: survey.id,
    title: survey.title,
    anonymous: survey.anonymous,
    publicToken: survey.publicToken,
    createdAt: toIso(survey.createdAt),
    updatedAt: toIso(survey.updatedAt),
    backgroundVariables: def.backgroundVariables.map((b) => ({
      id: b.id,
      name: b.name,
      system: b.system !== null,
    })),
    questions: def.questions.map((q, index) => ({
      id: q.id,
      type: q.type,
      text: q.text,
      position: index + 1,
      options: q.options.map((o) => ({ id: o.id, text: o.text, code: o.code })),
      rows: q.rows.map((r) => ({ id: r.id, text: r.text, variableId: r.variableId })),
      min: q.min,
      max: q.max,
    })),
    variables: toVariablesApi(def),
  };
}
export type SurveyApi = z.output<typeof surveySchema>;
