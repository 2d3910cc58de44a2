// Message rendering (API.md → The delivery request): the exact JSON body a run sends.
// Rendered once when the run is created and stored byte for byte; retries and replays send the same bytes.
import { toIso } from '../clock.js';
import { effectiveLabels } from '../surveys/labels.js';
import { variablesOf, type SurveyDefinition, type VariableRef } from '../surveys/survey-model.js';

export type VariableSelection = { mode: 'all' } | { mode: 'specific'; ids: string[] };
export type LabelMode = 'auto' | 'data';
export type AnswerFormat = 'text' | 'code';
export type MessageType = 'survey.response.completed' | 'automation.test';

export interface MessageSurvey {
  id: string;
  title: string;
  definition: SurveyDefinition;
}

export interface MessageResponse {
  id: string;
  completedAt: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** Answers and custom background values by variable id. */
  answers: Record<string, unknown>;
}

export interface RenderSettings {
  variables: VariableSelection;
  labels: LabelMode;
  answerFormat: AnswerFormat;
}

/** The variables an automation sends, in survey order; ids no longer in the survey are ignored. */
export function selectedVariables(def: SurveyDefinition, selection: VariableSelection): VariableRef[] {
  const all = variablesOf(def);
  if (selection.mode === 'all') return all;
  const wanted = new Set(selection.ids);
  return all.filter((v) => wanted.has(v.id));
}

function optionValue(v: VariableRef, code: unknown, format: AnswerFormat): unknown {
  if (typeof code !== 'number') return null;
  if (format === 'code') return code;
  const option = v.question?.options.find((o) => o.code === code);
  return option ? option.text : code;
}

/** The value of one variable in a message: strings for background, text or code for choices, null when unanswered. */
export function variableValue(v: VariableRef, response: MessageResponse, format: AnswerFormat): unknown {
  if (v.background) {
    switch (v.background.system) {
      case 'first_name':
        return response.firstName;
      case 'last_name':
        return response.lastName;
      case 'email':
        return response.email;
      default: {
        const value = response.answers[v.id];
        return typeof value === 'string' ? value : null;
      }
    }
  }
  const raw = response.answers[v.id];
  if (raw === undefined || raw === null) return null;
  switch (v.question?.type) {
    case 'single_choice':
    case 'matrix':
      return optionValue(v, raw, format);
    case 'multiple_choice':
      return Array.isArray(raw) ? raw.map((code) => optionValue(v, code, format)) : null;
    default:
      return raw;
  }
}

type LabelledVariables = readonly (readonly [label: string, variable: VariableRef])[];

function labelledVariables(def: SurveyDefinition, settings: RenderSettings): LabelledVariables {
  const labels = effectiveLabels(def, settings.labels);
  return selectedVariables(def, settings.variables).map((v) => [labels.get(v.id)!, v] as const);
}

/**
 * The labelled variables of frozen definitions (the ones shared by every response to a survey, see
 * surveys.store.ts `findSurveyReadOnly`) per label mode and selection: they cannot change, and working the
 * labels out again for every message was a good part of rendering it.
 */
const labelledByDefinition = new WeakMap<SurveyDefinition, Map<string, LabelledVariables>>();

function labelledVariablesOf(def: SurveyDefinition, settings: RenderSettings): LabelledVariables {
  if (!Object.isFrozen(def)) return labelledVariables(def, settings);
  let memo = labelledByDefinition.get(def);
  if (!memo) {
    memo = new Map();
    labelledByDefinition.set(def, memo);
  }
  const selection = settings.variables;
  const key = `${settings.labels} ${selection.mode === 'all' ? '*' : JSON.stringify(selection.ids)}`;
  let labelled = memo.get(key);
  if (!labelled) {
    labelled = labelledVariables(def, settings);
    // Bounded: a survey's automations use a few selections, but a caller could vary them without end.
    if (memo.size < 100) memo.set(key, labelled);
  }
  return labelled;
}

/** The JSON body of a delivery (or of a connection test, with type `automation.test`). */
export function renderMessage(
  type: MessageType,
  survey: MessageSurvey,
  response: MessageResponse,
  settings: RenderSettings,
): string {
  const variables: Record<string, unknown> = {};
  for (const [label, v] of labelledVariablesOf(survey.definition, settings)) {
    variables[label] = variableValue(v, response, settings.answerFormat);
  }
  const completedAt = toIso(response.completedAt);
  return JSON.stringify({
    type,
    timestamp: completedAt,
    data: {
      survey: { id: survey.id, title: survey.title },
      response: { id: response.id, completedAt },
      variables,
    },
  });
}

const SAMPLE_TEXTS = ['Great team and flexible hours.', 'More feedback from my manager, please.'];

/** A realistic sample response built from the survey's own variables (for connection tests). */
export function sampleResponse(def: SurveyDefinition, anonymous: boolean, now: number): MessageResponse {
  const answers: Record<string, unknown> = {};
  for (const v of variablesOf(def)) {
    if (v.background) {
      if (!v.background.system) answers[v.id] = `Sample ${v.background.name}`;
      continue;
    }
    const q = v.question!;
    const codes = q.options.map((o) => o.code);
    switch (q.type) {
      case 'single_choice':
      case 'matrix':
        answers[v.id] =
          codes[Math.min(codes.length - 1, (v.rowNumber ?? 1) % Math.max(1, codes.length))] ?? null;
        break;
      case 'multiple_choice':
        answers[v.id] = codes.slice(0, Math.min(2, codes.length));
        break;
      case 'text':
        answers[v.id] = SAMPLE_TEXTS[(v.position ?? 0) % SAMPLE_TEXTS.length];
        break;
      case 'number':
        answers[v.id] = 42;
        break;
      case 'scale':
        answers[v.id] = Math.round(((q.min ?? 0) + (q.max ?? 10)) / 2);
        break;
      case 'date':
        answers[v.id] = toIso(now).slice(0, 10);
        break;
    }
  }
  return {
    id: 'resp_sample',
    completedAt: now,
    firstName: anonymous ? null : 'Kari',
    lastName: anonymous ? null : 'Nordmann',
    email: anonymous ? null : 'kari.nordmann@example.com',
    answers,
  };
}
