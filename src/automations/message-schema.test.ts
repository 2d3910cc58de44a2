// The payload contract holds: for random surveys, random settings and random responses that response
// validation accepts, every message the real renderer produces validates against the automation's schema
// (ajv, draft 2020-12), and so does the example; the schema rejects keys and values the settings exclude.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import { validateResponse, type ResponseSubmission } from '../surveys/response-validation.js';
import {
  newOptions,
  newQuestion,
  SYSTEM_VARIABLES,
  variablesOf,
  type QuestionDef,
  type SurveyDefinition,
} from '../surveys/survey-model.js';
import { exampleMessage, messageSchema } from './message-schema.js';
import { renderMessage, type RenderSettings } from './message.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));

const NOW = Date.parse('2026-06-01T12:00:00Z');
const QUESTION_TYPES = [
  'single_choice',
  'multiple_choice',
  'text',
  'number',
  'scale',
  'date',
  'matrix',
] as const;

/** A survey: identity variables unless anonymous, 0–2 custom background variables, 1–6 questions. */
const surveyArb = fc
  .record({
    anonymous: fc.boolean(),
    custom: fc.array(fc.option(fc.constantFrom('dept', 'team_x'), { nil: null }), { maxLength: 2 }),
    questions: fc.array(
      fc.record({
        type: fc.constantFrom(...QUESTION_TYPES),
        options: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        codes: fc.uniqueArray(fc.integer({ min: -5, max: 99 }), { minLength: 4, maxLength: 4 }),
        rows: fc.integer({ min: 1, max: 3 }),
        min: fc.integer({ min: -3, max: 3 }),
        span: fc.integer({ min: 1, max: 10 }),
        dataLabel: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ anonymous, custom, questions }) => {
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
        ...custom.map((label, i) => ({
          id: newId('var'),
          name: `Custom ${i}`,
          system: null,
          dataLabel: label === null ? null : `${label}${i}`,
        })),
      ],
      questions: questions.map((q, i): QuestionDef => {
        const options = newOptions(q.options).map((o, k) => ({ ...o, code: q.codes[k]! }));
        const choice = q.type === 'single_choice' || q.type === 'multiple_choice' || q.type === 'matrix';
        return newQuestion({
          type: q.type,
          text: `Question ${i + 1}`,
          options: choice ? options : [],
          rows:
            q.type === 'matrix'
              ? Array.from({ length: q.rows }, (_, r) => ({
                  id: newId('row'),
                  text: `row ${r + 1}`,
                  variableId: newId('var'),
                  dataLabel: q.dataLabel && r === 0 ? `row_label_${i}` : null,
                }))
              : [],
          min: q.type === 'scale' ? q.min : null,
          max: q.type === 'scale' ? q.min + q.span : null,
          dataLabel: q.dataLabel && q.type !== 'matrix' ? `label_${i}` : null,
        });
      }),
    };
    return { id: newId('srv'), title: 'Random survey', anonymous, definition };
  });

type RandomSurvey = fc.Arbitrary<ReturnType<(typeof surveyArb)['generate']>['value']>;

/** An answer for one question or matrix row, maybe left out. */
function answerArb(q: QuestionDef): fc.Arbitrary<unknown> {
  const codes = q.options.map((o) => o.code);
  switch (q.type) {
    case 'single_choice':
    case 'matrix':
      return fc.constantFrom(...codes);
    case 'multiple_choice':
      return fc.subarray(codes);
    case 'text':
      return fc.string({ maxLength: 20 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    case 'scale':
      return fc.integer({ min: q.min!, max: q.max! });
    case 'date':
      return fc
        .date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
  }
}

function submissionArb(survey: { anonymous: boolean; definition: SurveyDefinition }) {
  const entries: [string, fc.Arbitrary<unknown>][] = [];
  for (const q of survey.definition.questions) {
    if (q.type === 'matrix') for (const r of q.rows) entries.push([r.variableId, answerArb(q)]);
    else entries.push([q.id, answerArb(q)]);
  }
  const custom = survey.definition.backgroundVariables.filter((b) => b.system === null);
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  return fc.record({
    respondent: survey.anonymous
      ? fc.constant(undefined)
      : fc.record({
          firstName: maybe(fc.string({ maxLength: 10 })),
          lastName: maybe(fc.string({ maxLength: 10 })),
          email: maybe(fc.stringMatching(/^[a-z0-9]{1,12}$/).map((local) => `x${local}@example.com`)),
        }),
    background: fc.record(Object.fromEntries(custom.map((b) => [b.id, maybe(fc.string({ maxLength: 10 }))]))),
    answers: fc.record(Object.fromEntries(entries.map(([k, a]) => [k, maybe(a)]))),
  });
}

function settingsArb(survey: { definition: SurveyDefinition }): fc.Arbitrary<RenderSettings> {
  const ids = variablesOf(survey.definition).map((v) => v.id);
  return fc.record({
    variables: fc.oneof(
      fc.constant({ mode: 'all' as const }),
      fc.subarray(ids, { minLength: 1 }).map((picked) => ({ mode: 'specific' as const, ids: picked })),
    ),
    labels: fc.constantFrom('auto' as const, 'data' as const),
    answerFormat: fc.constantFrom('text' as const, 'code' as const),
  });
}

/** Undefined fields dropped, as JSON would carry them. */
function submission(raw: Record<string, unknown>): ResponseSubmission {
  return JSON.parse(JSON.stringify(raw)) as ResponseSubmission;
}

describe('message schema (payload contract)', () => {
  it('every message rendered for a valid response validates, and so does the example', () => {
    const cases = (surveyArb as RandomSurvey).chain((survey) =>
      fc.tuple(fc.constant(survey), settingsArb(survey), submissionArb(survey)),
    );
    fc.assert(
      fc.property(cases, ([survey, settings, raw]) => {
        const checked = validateResponse(survey.definition, survey.anonymous, submission(raw), NOW);
        if (!checked.ok) throw new Error(`generated an invalid response: ${JSON.stringify(checked.errors)}`);
        const r = checked.response;
        const message = renderMessage(
          'survey.response.completed',
          survey,
          {
            id: 'rsp_1',
            completedAt: r.completedAt,
            firstName: r.firstName,
            lastName: r.lastName,
            email: r.email,
            answers: r.values,
          },
          settings,
        );
        const validate = ajv.compile(messageSchema(survey, settings));
        const ok = validate(JSON.parse(message));
        if (!ok) throw new Error(`${message}\n${JSON.stringify(validate.errors)}`);
        expect(validate(exampleMessage(survey, settings, NOW)), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a key the settings do not send and a value outside the enum', () => {
    fc.assert(
      fc.property(
        (surveyArb as RandomSurvey).chain((s) => fc.tuple(fc.constant(s), settingsArb(s))),
        ([survey, settings]) => {
          const validate = ajv.compile(messageSchema(survey, settings));
          const example = exampleMessage(survey, settings, NOW) as {
            data: { variables: Record<string, unknown> };
          };
          const extra = structuredClone(example);
          extra.data.variables['not_a_label'] = 1;
          expect(validate(extra)).toBe(false);
          const choice = Object.entries(example.data.variables).find(
            ([, v]) => typeof v === 'string' || typeof v === 'number',
          );
          type Shape = {
            properties: {
              data: {
                properties: { variables: { properties: Record<string, { anyOf: { enum?: unknown[] }[] }> } };
              };
            };
          };
          const schemaOf = (messageSchema(survey, settings) as Shape).properties.data.properties.variables
            .properties;
          if (choice && schemaOf[choice[0]]!.anyOf[0]!.enum) {
            const wrong = structuredClone(example);
            wrong.data.variables[choice[0]] = typeof choice[1] === 'number' ? 12345 : 'no such option';
            expect(validate(wrong)).toBe(false);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
