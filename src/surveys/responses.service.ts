// Responses: submitting (one transaction with the runs it triggers), listing, and the CSV download.
// The one place response rows become API objects.
import { Readable } from 'node:stream';
import { toIso } from '../clock.js';
import type { AppContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { notFound, validationFailed } from '../http/errors.js';
import { newId } from '../ids.js';
import { responsesTotal } from '../metrics/metrics.js';
import { createRunsForResponse, type CompletedResponse, type CreatedRun } from '../runs/create-runs.js';
import { csvRow, type CsvCell } from './csv.js';
import { effectiveLabels } from './labels.js';
import { validateResponse, type AnswerValue, type ResponseSubmission } from './response-validation.js';
import * as store from './responses.store.js';
import { variablesOf, type SurveyRecord, type VariableRef } from './survey-model.js';
import { getSurvey, getSurveyReadOnly } from './surveys.service.js';

export interface SubmittedResponse {
  id: string;
  surveyId: string;
  completedAt: string;
  runs: CreatedRun[];
}

export interface ResponseView {
  id: string;
  surveyId: string;
  completedAt: string;
  respondent: { firstName: string | null; lastName: string | null; email: string | null } | null;
  background: Record<string, string>;
  answers: Record<string, AnswerValue>;
}

export type LabelChoice = 'auto' | 'data';

/** Responses read per query while streaming a download: big enough to be fast, small enough to share. */
export const CSV_BATCH_SIZE = 1000;

/** Whether `values` answer at least one question (background values alone do not); true without questions. */
function answersAQuestion(survey: SurveyRecord, values: Record<string, unknown>): boolean {
  const questions = variablesOf(survey.definition).filter((v) => v.kind === 'question');
  const answered = (value: unknown) =>
    value !== undefined &&
    !(typeof value === 'string' && value.trim() === '') &&
    !(Array.isArray(value) && value.length === 0);
  return questions.length === 0 || questions.some((v) => answered(values[v.id]));
}

/**
 * Validates and stores a completed response, and in the same transaction creates its runs; either
 * both are committed or neither. Throws RESPONSE_INVALID / ANONYMOUS_SURVEY listing every fault.
 */
export async function submitResponse(
  ctx: AppContext,
  survey: SurveyRecord,
  input: ResponseSubmission,
  options: { requireAnswer?: boolean } = {},
): Promise<SubmittedResponse> {
  const now = ctx.clock.now();
  const checked = validateResponse(survey.definition, survey.anonymous, input, now);
  if (!checked.ok) {
    throw validationFailed(
      checked.errors.map((e) => ({ ...e })),
      checked.code,
      true,
    );
  }
  const valid = checked.response;
  if (options.requireAnswer && !answersAQuestion(survey, valid.values)) {
    throw validationFailed(
      [{ field: 'answers', code: 'NO_ANSWER', message: 'answer at least one question' }],
      'RESPONSE_INVALID',
    );
  }
  const completed: CompletedResponse = {
    id: newId('rsp', now),
    orgId: survey.orgId,
    surveyId: survey.id,
    completedAt: valid.completedAt,
    // Never stored for an anonymous survey, whatever reached this point.
    firstName: survey.anonymous ? null : valid.firstName,
    lastName: survey.anonymous ? null : valid.lastName,
    email: survey.anonymous ? null : valid.email,
    answers: valid.values,
  };
  try {
    // The runs go to the dispatchers once the response and its runs are committed and durable.
    const created = await ctx.queue.makeDue(async (trx, due) => {
      await store.insertResponse(trx, {
        id: completed.id,
        org_id: completed.orgId,
        survey_id: completed.surveyId,
        completed_at: completed.completedAt,
        created_at: now,
        first_name: completed.firstName,
        last_name: completed.lastName,
        email: completed.email,
        answers: JSON.stringify(completed.answers),
      });
      return createRunsForResponse(ctx, trx, due, survey, completed);
    });
    responsesTotal.inc();
    return {
      id: completed.id,
      surveyId: survey.id,
      completedAt: toIso(completed.completedAt),
      runs: created,
    };
  } catch (err) {
    // The survey was deleted between reading it and storing the response.
    if (store.isMissingParent(err)) throw notFound('Survey not found.');
    throw err;
  }
}

export async function submitResponseToSurvey(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  input: ResponseSubmission,
): Promise<SubmittedResponse> {
  return submitResponse(ctx, await getSurveyReadOnly(ctx, orgId, surveyId), input);
}

function toView(survey: SurveyRecord, row: store.ResponseRow): ResponseView {
  const stored = JSON.parse(row.answers) as Record<string, unknown>;
  const custom = new Set(survey.definition.backgroundVariables.filter((b) => !b.system).map((b) => b.id));
  const background: Record<string, string> = {};
  const answers: Record<string, AnswerValue> = {};
  for (const [id, value] of Object.entries(stored)) {
    if (custom.has(id)) background[id] = String(value);
    else answers[id] = value as AnswerValue;
  }
  return {
    id: row.id,
    surveyId: row.survey_id,
    completedAt: toIso(Number(row.completed_at)),
    respondent: survey.anonymous
      ? null
      : { firstName: row.first_name, lastName: row.last_name, email: row.email },
    background,
    answers,
  };
}

/** A page of a survey's responses, newest first; `nextCursor` is null on the last page. */
export async function listResponses(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: ResponseView[]; nextCursor: string | null }> {
  const survey = await getSurvey(ctx, orgId, surveyId);
  // Response ids grow with time, so the position's id alone orders the list.
  const beforeId = decodeCursor(page.cursor)?.id ?? null;
  // One extra row tells whether another page follows without a count query.
  const rows = await store.listResponsesInOrder(ctx.db, orgId, survey.id, 'newest', page.limit + 1, beforeId);
  const items = rows.slice(0, page.limit).map((row) => toView(survey, row));
  const last = items.at(-1);
  const lastRow = rows[page.limit - 1];
  return {
    items,
    nextCursor:
      rows.length > page.limit && last && lastRow
        ? encodeCursor({ createdAt: Number(lastRow.created_at), id: last.id })
        : null,
  };
}

type CellOf = (row: store.ResponseRow, answers: Record<string, unknown>) => CsvCell;

/** How one variable's column reads its value from a stored response. */
function columnReader(v: VariableRef): CellOf {
  if (v.background) {
    switch (v.background.system) {
      case 'first_name':
        return (row) => row.first_name;
      case 'last_name':
        return (row) => row.last_name;
      case 'email':
        return (row) => row.email;
      default:
        return (_row, answers) => textOrNull(answers[v.id]);
    }
  }
  const question = v.question!;
  const optionText = new Map(question.options.map((o) => [o.code, o.text]));
  // An option removed after the response was given still shows its code rather than vanishing.
  const textOf = (code: unknown) => optionText.get(code as number) ?? String(code);
  if (v.row || question.type === 'single_choice') {
    return (_row, answers) => (answers[v.id] == null ? null : textOf(answers[v.id]));
  }
  if (question.type === 'multiple_choice') {
    return (_row, answers) => {
      const codes = answers[v.id];
      return Array.isArray(codes) ? codes.map(textOf).join('; ') : null;
    };
  }
  return (_row, answers) => {
    const value = answers[v.id];
    return typeof value === 'number' ? value : textOrNull(value);
  };
}

function textOrNull(value: unknown): string | null {
  return value == null ? null : String(value);
}

function fileNameOf(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${ascii || 'survey'}-responses.csv`;
}

/**
 * The survey's responses as CSV, oldest first: a header of labels in survey order, then one record
 * per response. Streams: reads CSV_BATCH_SIZE responses per short query, and only when the client
 * has taken what was sent before (so no database cursor stays open while a slow client reads).
 */
export async function responsesCsv(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  labels: LabelChoice,
): Promise<{ fileName: string; stream: Readable }> {
  const survey = await getSurvey(ctx, orgId, surveyId);
  const variables = variablesOf(survey.definition);
  const effective = effectiveLabels(survey.definition, labels);
  const header = variables.map((v) => effective.get(v.id)!);
  const readers = variables.map(columnReader);

  async function* records(): AsyncGenerator<Buffer> {
    yield Buffer.from(csvRow(['ResponseId', 'CompletedAt', ...header]), 'utf8');
    let afterId: string | null = null;
    for (;;) {
      const rows = await store.listResponsesInOrder(
        ctx.db,
        orgId,
        survey.id,
        'oldest',
        CSV_BATCH_SIZE,
        afterId,
      );
      let chunk = '';
      for (const row of rows) {
        const answers = JSON.parse(row.answers) as Record<string, unknown>;
        chunk += csvRow([
          row.id,
          toIso(Number(row.completed_at)),
          ...readers.map((read) => read(row, answers)),
        ]);
      }
      if (chunk !== '') yield Buffer.from(chunk, 'utf8');
      if (rows.length < CSV_BATCH_SIZE) return;
      afterId = rows.at(-1)!.id;
    }
  }

  // Byte mode: the generator is only resumed when the buffered bytes fall below the high-water mark.
  return { fileName: fileNameOf(survey.title), stream: Readable.from(records(), { objectMode: false }) };
}
