// Surveys, questions, background variables and data labels: the rules, the edits of the definition
// document, and the one place survey records become API objects (toSurveyApi).
import { z } from 'zod';
import { toIso } from '../clock.js';
import type { AppContext } from '../context.js';
import { AppError, invalidField, notFound, type ErrorDetail } from '../http/errors.js';
import { newId, randomToken } from '../ids.js';
import { applyDataLabels, autoLabels, validateDataLabels, type DataLabelChanges } from './labels.js';
import {
  cloneDefinition,
  cloneQuestion,
  QUESTION_TYPES,
  SYSTEM_VARIABLES,
  variablesOf,
  type QuestionDef,
  type QuestionType,
  type SurveyDefinition,
  type SurveyRecord,
} from './survey-model.js';
import * as store from './surveys.store.js';
import { noNul, NUL } from '../http/text-rules.js';

export const MAX_QUESTIONS = 500;
export const MAX_CUSTOM_BACKGROUND_VARIABLES = 100;
const MAX_SCALE_SPAN = 1000;
const EDIT_ATTEMPTS = 8;

// ── Input schemas (zod; the routes use them as bodies, PATCH re-checks the merged question) ──

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */
export const surveyTitle = z.string().trim().min(1).max(200).refine(noNul, NUL);
export const backgroundVariableName = z.string().trim().min(1).max(100).refine(noNul, NUL);

const usesOptions = (t: QuestionType) => t === 'single_choice' || t === 'multiple_choice' || t === 'matrix';
const usesRows = (t: QuestionType) => t === 'matrix';
const usesRange = (t: QuestionType) => t === 'scale';

function questionSchema(withIds: boolean) {
  // A new question ignores ids; a PATCH uses them to keep existing options and rows.
  const id = { id: z.string().min(1).max(100).optional() };
  const option = z.object({
    ...id,
    text: z.string().trim().min(1).max(500).refine(noNul, NUL),
    code: z.number().int().optional(),
  });
  const row = z.object({ ...id, text: z.string().trim().min(1).max(500).refine(noNul, NUL) });
  return z
    .object({
      type: z.enum(QUESTION_TYPES),
      text: z.string().trim().min(1).max(1000).refine(noNul, NUL),
      options: z.array(option).max(100).nullish(),
      rows: z.array(row).max(100).nullish(),
      min: z.number().int().nullish(),
      max: z.number().int().nullish(),
    })
    .superRefine((q, ctx) => {
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: 'custom', path, message });
      const options = q.options ?? [];
      const rows = q.rows ?? [];
      // null and [] count as "not given", so a question read from the API can be sent back as is.
      if (usesOptions(q.type)) {
        if (options.length === 0) issue(['options'], `a ${q.type} question needs 1–100 options`);
        const codeAt = new Map<number, number>();
        options.forEach((o, i) => {
          const code = o.code ?? i + 1;
          const first = codeAt.get(code);
          if (first === undefined) codeAt.set(code, i);
          else issue(['options', i, 'code'], `code ${code} is already used by options.${first}`);
        });
      } else if (options.length > 0) issue(['options'], `a ${q.type} question has no options`);
      if (usesRows(q.type)) {
        if (rows.length === 0) issue(['rows'], 'a matrix question needs 1–100 rows');
      } else if (rows.length > 0) issue(['rows'], `a ${q.type} question has no rows`);
      if (usesRange(q.type)) {
        if (q.min == null) issue(['min'], 'a scale question needs an integer min');
        if (q.max == null) issue(['max'], 'a scale question needs an integer max');
        if (q.min != null && q.max != null) {
          if (q.min >= q.max) issue(['max'], 'must be greater than min');
          else if (q.max - q.min > MAX_SCALE_SPAN)
            issue(['max'], `max − min may be at most ${MAX_SCALE_SPAN}`);
        }
      } else {
        if (q.min != null) issue(['min'], `a ${q.type} question has no min`);
        if (q.max != null) issue(['max'], `a ${q.type} question has no max`);
      }
      if (withIds) {
        for (const [field, list] of [
          ['options', options],
          ['rows', rows],
        ] as const) {
          const seen = new Set<string>();
          list.forEach((item, i) => {
            if (item.id === undefined) return;
            if (seen.has(item.id)) issue([field, i, 'id'], 'appears twice');
            seen.add(item.id);
          });
        }
      }
    });
}

/** QuestionInput of API.md (a new question gets fresh ids for its options and rows). */
export const questionInput = questionSchema(false);
export type QuestionInput = z.infer<typeof questionInput>;
/** A whole question as PATCH sees it after merging: options and rows may name existing ids to keep them. */
const mergedQuestion = questionSchema(true);
type MergedQuestion = z.infer<typeof mergedQuestion>;

export const questionPatch = z.object({
  type: z.enum(QUESTION_TYPES).optional(),
  text: z.string().optional(),
  options: z.array(z.unknown()).nullish(),
  rows: z.array(z.unknown()).nullish(),
  min: z.number().nullish(),
  max: z.number().nullish(),
  position: z.number().int().min(1).optional(),
});
export type QuestionPatch = z.infer<typeof questionPatch>;

export interface NewSurveyInput {
  title: string;
  anonymous?: boolean | undefined;
  backgroundVariables?: { name: string }[] | undefined;
  questions?: QuestionInput[] | undefined;
}

function validationFailed(issues: z.core.$ZodIssue[], prefix = ''): AppError {
  const details: ErrorDetail[] = issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.') || 'body',
    message: i.message,
  }));
  const first = details[0]!;
  return new AppError('VALIDATION_FAILED', `${first.field}: ${first.message}`, details);
}

// ── API objects ──

export interface VariableApi {
  id: string;
  kind: 'background' | 'question';
  text: string;
  autoLabel: string;
  dataLabel: string | null;
  label: string;
  questionId: string | null;
}

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
export function toSurveyApi(survey: SurveyRecord) {
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
export type SurveyApi = ReturnType<typeof toSurveyApi>;

// ── Paging (newest first; the cursor is the last item's position, opaque to callers) ──

export function encodeCursor(position: store.ListPosition): string {
  return Buffer.from(`${position.createdAt}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): store.ListPosition | null {
  if (cursor === undefined) return null;
  const match = /^(\d{1,16}):(.{1,200})$/s.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidField('cursor', 'is not a cursor from a previous page');
  return { createdAt: Number(match[1]), id: match[2]! };
}

/** Splits the `limit + 1` rows a store read into a page and the cursor of the next one. */
export function pageOf<T extends { createdAt: number; id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

// ── Reading and saving ──

/** The survey `id` of organization `orgId`; 404 when it does not exist or belongs to another one. */
export async function getSurvey(ctx: AppContext, orgId: string, id: string): Promise<SurveyRecord> {
  const survey = await store.findSurvey(ctx.db, orgId, id);
  if (!survey) throw notFound('Survey not found.');
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
    if (await store.updateSurvey(ctx.db, next, current.version))
      return { ...next, version: current.version + 1 };
    // Jittered back-off so racing editors (possibly in other processes) do not collide again in step.
    await sleep(Math.random() * 5 * attempt);
  }
  throw new AppError('CONFLICT');
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
    if (!parsed.success) throw validationFailed(parsed.error.issues);
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
  return editSurvey(ctx, orgId, surveyId, (survey) => {
    survey.definition.questions.splice(findQuestionIndex(survey.definition, questionId), 1);
  });
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
  return { items: toVariablesApi((await getSurvey(ctx, orgId, id)).definition) };
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
  return { items: toVariablesApi(survey.definition) };
}
