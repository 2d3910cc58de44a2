// The payload contract (SPEC §12): the JSON Schema (draft 2020-12) of the message an automation sends with
// its current settings — the envelope, every selected variable under its effective label with its value
// type (option texts or codes as an enum, multiple choice as an array of them), null for unanswered, and
// nothing else in `variables` — and an example message, rendered by the real renderer, that validates.
// It describes responses that fit the survey as it is now: a response given before a question changed
// (sent later by a backfill) may carry a value of the question's earlier form.
import { effectiveLabels } from '../surveys/labels.js';
import type { VariableRef } from '../surveys/survey-model.js';
import {
  renderMessage,
  sampleResponse,
  selectedVariables,
  type AnswerFormat,
  type MessageSurvey,
  type RenderSettings,
} from './message.js';

export type JsonSchema = Record<string, unknown>;

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

function optionSchema(v: VariableRef, format: AnswerFormat): JsonSchema {
  const options = v.question!.options;
  return format === 'code'
    ? { type: 'integer', enum: options.map((o) => o.code) }
    : { type: 'string', enum: options.map((o) => o.text) };
}

/** The schema of one variable's value (before null is allowed), with its question text as the title. */
export function valueSchema(v: VariableRef, format: AnswerFormat): JsonSchema {
  if (v.background) return { type: 'string' };
  const q = v.question!;
  switch (q.type) {
    case 'single_choice':
    case 'matrix':
      return optionSchema(v, format);
    case 'multiple_choice':
      return { type: 'array', items: optionSchema(v, format) };
    case 'text':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'scale':
      return {
        type: 'integer',
        ...(q.min !== null ? { minimum: q.min } : {}),
        ...(q.max !== null ? { maximum: q.max } : {}),
      };
    case 'date':
      return { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
  }
}

function titleOf(v: VariableRef): string {
  return v.row ? `${v.question!.text} — ${v.row.text}` : v.text;
}

/** The JSON Schema 2020-12 of the messages `settings` render for `survey` (deliveries, not tests). */
export function messageSchema(survey: MessageSurvey, settings: RenderSettings): JsonSchema {
  const labels = effectiveLabels(survey.definition, settings.labels);
  const properties: Record<string, JsonSchema> = {};
  for (const v of selectedVariables(survey.definition, settings.variables)) {
    const label = labels.get(v.id)!;
    properties[label] = {
      title: titleOf(v),
      description: `Variable ${v.id}${v.background ? ' (background)' : ` (${v.question!.type})`}; null when unanswered.`,
      ...nullable(valueSchema(v, settings.answerFormat)),
    };
  }
  const time = { type: 'string', format: 'date-time' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `Svarbud message: ${survey.title}`,
    description:
      'The body of a delivery (POST, application/json). `webhook-id` is the run id; see the receiving guide.',
    type: 'object',
    required: ['type', 'timestamp', 'data'],
    properties: {
      type: { const: 'survey.response.completed' },
      timestamp: { ...time, description: 'when the response was completed' },
      data: {
        type: 'object',
        required: ['survey', 'response', 'variables'],
        properties: {
          survey: {
            type: 'object',
            required: ['id', 'title'],
            properties: { id: { const: survey.id }, title: { type: 'string' } },
          },
          response: {
            type: 'object',
            required: ['id', 'completedAt'],
            properties: { id: { type: 'string' }, completedAt: time },
          },
          variables: {
            type: 'object',
            required: Object.keys(properties),
            properties,
            additionalProperties: false,
          },
        },
      },
    },
  };
}

/** An example message for these settings: a realistic sample response, rendered by the real renderer. */
export function exampleMessage(
  survey: MessageSurvey & { anonymous: boolean },
  settings: RenderSettings,
  now: number,
): unknown {
  const response = { ...sampleResponse(survey.definition, survey.anonymous, now), id: 'rsp_example' };
  return JSON.parse(renderMessage('survey.response.completed', survey, response, settings));
}
