// Surveys, questions, background variables and data labels: the rules and the edits of the
// definition document (inputs in surveys.inputs.ts, API objects in surveys.api.ts).
import { toIso } from '../clock.js';
import type { AppContext } from '../context.js';
import { decodeCursor, pageOf } from '../http/cursor.js';
import { AppError, invalidField, notFound, validationFailed, zodIssueDetails } from '../http/errors.js';
import { newId, randomToken } from '../ids.js';
import { applyDataLabels, autoLabels, validateDataLabels, type DataLabelChanges } from './labels.js';
import {
  cloneDefinition,
  cloneQuestion,
  SYSTEM_VARIABLES,
  variablesOf,
  type QuestionDef,
  type SurveyDefinition,
  type SurveyRecord,
} from './survey-model.js';
import { recordLostVariables } from '../automations/lost-variables.js';
import { labelsWithUse } from './label-use.js';
import { removeBackgroundVariable, removeQuestion } from './variable-removal.js';
import {
  MAX_CUSTOM_BACKGROUND_VARIABLES,
  MAX_QUESTIONS,
  mergedQuestion,
  usesOptions,
  usesRange,
  usesRows,
  type MergedQuestion,
  type NewSurveyInput,
  type QuestionInput,
  type QuestionPatch,
} from './surveys.inputs.js';
import * as store from './surveys.store.js';

const EDIT_ATTEMPTS = 8;

// ── Reading and saving ──

/**
 * The survey `id` of organization `orgId`; 404 when it does not exist or belongs to another one (naming
 * `field` when the id came in a body, e.g. an automation's `surveyId`). Every route that reads a survey
 * by id goes through here.
 */
export async function getSurvey(
  ctx: AppContext,
  orgId: string,
  id: string,
  field?: string,
): Promise<SurveyRecord> {
  const survey = await store.findSurvey(ctx.db, orgId, id);
  if (!survey) {
    throw new AppError('NOT_FOUND', 'Survey not found.', field ? [{ field, message: 'no such survey' }] : []);
  }
  return survey;
}

/**
 * As `getSurvey`, for callers that only read it (a response being submitted): the definition is shared
 * and frozen (surveys.store.ts `findSurveyReadOnly`).
 */
export async function getSurveyReadOnly(ctx: AppContext, orgId: string, id: string): Promise<SurveyRecord> {
  const survey = await store.findSurveyReadOnly(ctx.db, orgId, id);
  if (!survey) throw new AppError('NOT_FOUND', 'Survey not found.');
  return survey;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Applies `change` to the latest saved survey (a private copy it may mutate) and saves it in one
 * statement fenced by the version read; on a lost race it re-reads and re-applies, so a concurrent
 * edit is never overwritten and a change is never half saved. Errors thrown by `change` save nothing.
 */
async function editSurvey(
  ctx: AppContext,
  orgId: string,
  id: string,
  change: (survey: SurveyRecord) => void,
): Promise<SurveyRecord> {
  for (let attempt = 1; attempt <= EDIT_ATTEMPTS; attempt++) {
    const current = await getSurvey(ctx, orgId, id);
    const next = structuredClone(current);
    change(next);
    next.updatedAt = Math.max(ctx.clock.now(), current.updatedAt);
    const saved = await ctx.db.transaction().execute(async (trx) => {
      if (!(await store.updateSurvey(trx, next, current.version))) return false;
      // Automations whose specific selection named a variable this edit deleted say so.
      if (deletesVariables(current.definition, next.definition)) {
        await recordLostVariables(trx, id, current.definition, next.definition, next.updatedAt);
      }
      return true;
    });
    if (saved) return { ...next, version: current.version + 1 };
    // Jittered back-off so racing editors (possibly in other processes) do not collide again in step.
    await sleep(Math.random() * 5 * attempt);
  }
  throw new AppError('CONFLICT');
}

function deletesVariables(before: SurveyDefinition, after: SurveyDefinition): boolean {
  const remaining = new Set(variablesOf(after).map((v) => v.id));
  return variablesOf(before).some((v) => !remaining.has(v.id));
}

function newSurveyRecord(
  ctx: AppContext,
  orgId: string,
  fields: { title: string; anonymous: boolean; definition: SurveyDefinition },
): SurveyRecord {
  const now = ctx.clock.now();
  return {
    id: newId('srv', now),
    orgId,
    title: fields.title,
    anonymous: fields.anonymous,
    publicToken: randomToken(24),
    definition: fields.definition,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** Inserts a survey built elsewhere (copies, templates); its public token is fresh. */
export async function insertNewSurvey(
  ctx: AppContext,
  orgId: string,
  fields: { title: string; anonymous: boolean; definition: SurveyDefinition },
): Promise<SurveyRecord> {
  const survey = newSurveyRecord(ctx, orgId, fields);
  await store.insertSurvey(ctx.db, survey);
  return survey;
}

// ── Questions ──

/**
 * Builds a question from validated input. With `existing` (a PATCH), options and rows that name an
 * existing id keep it, and rows and the question keep their variable ids and data labels.
 */
function buildQuestion(input: MergedQuestion, existing: QuestionDef | null): QuestionDef {
  const type = input.type;
  const oldOptions = new Map(existing?.options.map((o) => [o.id, o]));
  const oldRows = new Map(existing?.rows.map((r) => [r.id, r]));
  const options = usesOptions(type)
    ? (input.options ?? []).map((o, i) => ({
        id: o.id !== undefined && oldOptions.has(o.id) ? o.id : newId('opt'),
        text: o.text,
        code: o.code ?? i + 1,
      }))
    : [];
  const rows = usesRows(type)
    ? (input.rows ?? []).map((r) => {
        const old = r.id === undefined ? undefined : oldRows.get(r.id);
        return old
          ? { id: old.id, text: r.text, variableId: old.variableId, dataLabel: old.dataLabel }
          : { id: newId('row'), text: r.text, variableId: newId('var'), dataLabel: null };
      })
    : [];
  const keepVariable = type !== 'matrix' && existing !== null && existing.variableId !== null;
  return {
    id: existing?.id ?? newId('qst'),
    type,
    text: input.text,
    options,
    rows,
    min: usesRange(type) ? (input.min ?? null) : null,
    max: usesRange(type) ? (input.max ?? null) : null,
    variableId: type === 'matrix' ? null : keepVariable ? existing.variableId : newId('var'),
    dataLabel: keepVariable ? existing.dataLabel : null,
  };
}

function findQuestionIndex(def: SurveyDefinition, questionId: string): number {
  const index = def.questions.findIndex((q) => q.id === questionId);
  if (index < 0) throw notFound('Question not found.');
  return index;
}

function ensureRoomForQuestions(def: SurveyDefinition, adding: number): void {
  if (def.questions.length + adding > MAX_QUESTIONS) {
    throw invalidField('questions', `a survey has at most ${MAX_QUESTIONS} questions`);
  }
}

export async function addQuestion(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  input: QuestionInput & { position?: number | undefined },
): Promise<SurveyRecord> {
  return editSurvey(ctx, orgId, surveyId, (survey) => {
    const questions = survey.definition.questions;
    ensureRoomForQuestions(survey.definition, 1);
    const position = input.position ?? questions.length + 1;
    if (position > questions.length + 1) {
      throw invalidField('position', `must be between 1 and ${questions.length + 1}`);
    }
    questions.splice(position - 1, 0, buildQuestion(input, null));
  });
}

/** The patch laid over the question: fields the new type does not use are dropped unless sent. */
function mergePatch(q: QuestionDef, patch: QuestionPatch): Record<string, unknown> {
  const type = patch.type ?? q.type;
  const pick = <K extends 'options' | 'rows' | 'min' | 'max'>(key: K, used: boolean) =>
    patch[key] !== undefined ? patch[key] : used ? q[key] : undefined;
  return {
    type,
    text: patch.text ?? q.text,
    options: pick('options', usesOptions(type)),
    rows: pick('rows', usesRows(type)),
    min: pick('min', usesRange(type)),
    max: pick('max', usesRange(type)),
  };
}

export async function updateQuestion(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  questionId: string,
  patch: QuestionPatch,
): Promise<SurveyRecord> {
  return editSurvey(ctx, orgId, surveyId, (survey) => {
    const questions = survey.definition.questions;
    const index = findQuestionIndex(survey.definition, questionId);
    const existing = questions[index]!;
    const parsed = mergedQuestion.safeParse(mergePatch(existing, patch));
    if (!parsed.success) throw validationFailed(zodIssueDetails(parsed.error.issues));
    for (const [field, list, known] of [
      ['options', parsed.data.options, new Set(existing.options.map((o) => o.id))],
      ['rows', parsed.data.rows, new Set(existing.rows.map((r) => r.id))],
    ] as const) {
      (list ?? []).forEach((item, i) => {
        if (item.id !== undefined && !known.has(item.id)) {
          throw invalidField(`${field}.${i}.id`, `is not one of this question's ${field}`);
        }
      });
    }
    const updated = buildQuestion(parsed.data, existing);
    questions.splice(index, 1);
    const position = patch.position ?? index + 1;
    if (position > questions.length + 1) {
      throw invalidField('position', `must be between 1 and ${questions.length + 1}`);
    }
    questions.splice(position - 1, 0, updated);
  });
}

export async function deleteQuestion(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  questionId: string,
): Promise<SurveyRecord> {
  return editSurvey(ctx, orgId, surveyId, (survey) => removeQuestion(survey.definition, questionId));
}

/** Copies a question right after the original; the copy has fresh ids and no data labels. */
export async function copyQuestion(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  questionId: string,
): Promise<{ survey: SurveyRecord; questionId: string }> {
  let copyId = '';
  const survey = await editSurvey(ctx, orgId, surveyId, (s) => {
    const index = findQuestionIndex(s.definition, questionId);
    ensureRoomForQuestions(s.definition, 1);
    const copy = cloneQuestion(s.definition.questions[index]!, false);
    copyId = copy.id;
    s.definition.questions.splice(index + 1, 0, copy);
  });
  return { survey, questionId: copyId };
}

// ── Background variables ──

function customBackgroundCount(def: SurveyDefinition): number {
  return def.backgroundVariables.filter((b) => b.system === null).length;
}

export async function addBackgroundVariable(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  name: string,
): Promise<SurveyRecord> {
  return editSurvey(ctx, orgId, surveyId, (survey) => {
    const def = survey.definition;
    if (customBackgroundCount(def) >= MAX_CUSTOM_BACKGROUND_VARIABLES) {
      throw invalidField(
        'name',
        `a survey has at most ${MAX_CUSTOM_BACKGROUND_VARIABLES} background variables`,
      );
    }
    const variable = { id: newId('var'), name: name.trim(), system: null, dataLabel: null };
    def.backgroundVariables.push(variable);
    // The new auto label must not take a label an owner already chose (data labels stay unique).
    const label = autoLabels(def).get(variable.id)!;
    const taken = variablesOf(def).find((v) => v.dataLabel?.toLowerCase() === label.toLowerCase());
    if (taken) {
      throw invalidField(
        'name',
        `its auto label "${label}" is the data label of "${taken.text}"; choose another name or change that data label`,
      );
    }
  });
}

/** Deletes a custom background variable (system ones stay: 400). */
export async function deleteBackgroundVariable(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  variableId: string,
): Promise<SurveyRecord> {
  return editSurvey(ctx, orgId, surveyId, (survey) =>
    removeBackgroundVariable(survey.definition, variableId),
  );
}

// ── Surveys ──

export async function createSurvey(
  ctx: AppContext,
  orgId: string,
  input: NewSurveyInput,
): Promise<SurveyRecord> {
  const anonymous = input.anonymous ?? false;
  const definition: SurveyDefinition = {
    backgroundVariables: [
      ...(anonymous
        ? []
        : SYSTEM_VARIABLES.map((s) => ({
            id: newId('var'),
            name: s.name,
            system: s.system,
            dataLabel: null,
          }))),
      ...(input.backgroundVariables ?? []).map((b) => ({
        id: newId('var'),
        name: b.name.trim(),
        system: null,
        dataLabel: null,
      })),
    ],
    questions: (input.questions ?? []).map((q) => buildQuestion(q, null)),
  };
  return insertNewSurvey(ctx, orgId, { title: input.title.trim(), anonymous, definition });
}

export async function listSurveys(ctx: AppContext, orgId: string, limit: number, cursor: string | undefined) {
  const rows = await store.listSurveysWithResponseCounts(ctx.db, orgId, limit, decodeCursor(cursor));
  const page = pageOf(rows, limit);
  return {
    items: page.items.map((s) => ({ ...s, createdAt: toIso(s.createdAt) })),
    nextCursor: page.nextCursor,
  };
}

export async function renameSurvey(
  ctx: AppContext,
  orgId: string,
  id: string,
  title: string,
): Promise<SurveyRecord> {
  return editSurvey(ctx, orgId, id, (survey) => {
    survey.title = title.trim();
  });
}

/** Deletes the survey; its responses (and later automations and runs) go with it by foreign key. */
export async function deleteSurvey(ctx: AppContext, orgId: string, id: string): Promise<void> {
  if (!(await store.deleteSurvey(ctx.db, orgId, id))) throw notFound('Survey not found.');
}

/** Title of a copy: "Copy of <title>", cut to the title limit. */
export function copyTitle(title: string): string {
  return `Copy of ${title}`.slice(0, 200).trim();
}

/** A new survey with the same structure and data labels, fresh ids and a fresh public token. */
export async function copySurvey(
  ctx: AppContext,
  orgId: string,
  id: string,
  title: string | undefined,
): Promise<SurveyRecord> {
  const source = await getSurvey(ctx, orgId, id);
  return insertNewSurvey(ctx, orgId, {
    title: title?.trim() ?? copyTitle(source.title),
    anonymous: source.anonymous,
    definition: cloneDefinition(source.definition, true),
  });
}

// ── Data labels ──

export async function getDataLabels(ctx: AppContext, orgId: string, id: string) {
  return labelsWithUse(ctx, await getSurvey(ctx, orgId, id));
}

/** Saves a batch of data label changes all-or-nothing: any violation → 422 and nothing saved. */
export async function putDataLabels(ctx: AppContext, orgId: string, id: string, labels: DataLabelChanges) {
  const survey = await editSurvey(ctx, orgId, id, (s) => {
    const violations = validateDataLabels(s.definition, labels);
    if (violations.length > 0)
      throw new AppError(
        'DATA_LABELS_INVALID',
        undefined,
        violations.map((v) => ({ ...v })),
      );
    s.definition = applyDataLabels(s.definition, labels);
  });
  return labelsWithUse(ctx, survey);
}
