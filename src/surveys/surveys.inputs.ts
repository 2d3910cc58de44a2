// What the survey routes take (zod): surveys, questions, background variables, data labels. The
// routes use them as bodies; a question PATCH re-checks the merged question with `mergedQuestion`.
import { z } from 'zod';
import { idSchema, pageQuery, storedText } from '../http/schemas.js';
import { QUESTION_TYPES, type QuestionType } from './survey-model.js';

export const MAX_QUESTIONS = 500;
export const MAX_CUSTOM_BACKGROUND_VARIABLES = 100;
const MAX_SCALE_SPAN = 1000;

export const surveyTitle = storedText(1, 200);
export const backgroundVariableName = storedText(1, 100);

/** Which parts a question type uses: options (choices, matrix columns), rows (matrix), a range (scale). */
export const usesOptions = (t: QuestionType) =>
  t === 'single_choice' || t === 'multiple_choice' || t === 'matrix';
export const usesRows = (t: QuestionType) => t === 'matrix';
export const usesRange = (t: QuestionType) => t === 'scale';

/**
 * Calls `report(i, first)` for each item whose text repeats an earlier one's ("Bra" and " bra " are the
 * same to a respondent, who could not tell the two options apart, nor a receiver the two answers).
 */
function sameTextTwice(items: readonly { text: string }[], report: (i: number, first: number) => void): void {
  const firstAt = new Map<string, number>();
  items.forEach((item, i) => {
    const key = item.text.trim().toLocaleLowerCase('nb');
    const first = firstAt.get(key);
    if (first === undefined) firstAt.set(key, i);
    else report(i, first);
  });
}

function questionSchema(withIds: boolean) {
  // A new question ignores ids; a PATCH uses them to keep existing options and rows.
  const id = { id: idSchema.optional() };
  const option = z.object({
    ...id,
    text: storedText(1, 500),
    code: z.number().int().optional(),
  });
  const row = z.object({ ...id, text: storedText(1, 500) });
  return z
    .object({
      type: z.enum(QUESTION_TYPES),
      text: storedText(1, 1000),
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
        sameTextTwice(options, (i, first) =>
          issue(['options', i, 'text'], `repeats the text of options.${first}`),
        );
      } else if (options.length > 0) issue(['options'], `a ${q.type} question has no options`);
      if (usesRows(q.type)) {
        if (rows.length === 0) issue(['rows'], 'a matrix question needs 1–100 rows');
        sameTextTwice(rows, (i, first) => issue(['rows', i, 'text'], `repeats the text of rows.${first}`));
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
export const mergedQuestion = questionSchema(true);
export type MergedQuestion = z.infer<typeof mergedQuestion>;

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

export const createSurveyBody = z.object({
  title: surveyTitle,
  anonymous: z.boolean().optional(),
  backgroundVariables: z
    .array(z.object({ name: backgroundVariableName }))
    .max(MAX_CUSTOM_BACKGROUND_VARIABLES)
    .optional(),
  questions: z.array(questionInput).max(MAX_QUESTIONS).optional(),
});
export const listSurveysQuery = pageQuery;
export const addQuestionBody = z.intersection(
  questionInput,
  z.object({ position: z.number().int().min(1).optional() }),
);
export const renameSurveyBody = z.object({ title: surveyTitle });
export const copySurveyBody = z.object({ title: surveyTitle.optional() }).nullish();
export const backgroundVariableBody = z.object({ name: backgroundVariableName });
export const dataLabelsBody = z.object({
  labels: z
    .record(z.string(), z.string().nullable())
    .describe('variable id → data label; null or "" restores the auto label'),
});
