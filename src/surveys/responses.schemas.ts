// The zod shapes of what the response routes answer (API.md → Responses, Respondent page).
import { z } from 'zod';
import { isoTime } from '../http/schemas.js';
import { QUESTION_TYPES } from './survey-model.js';

/** A stored value: option code(s), text, number or `YYYY-MM-DD`. */
const answerValue = z.union([z.string(), z.number(), z.array(z.number())]);

export const submittedResponseSchema = z
  .object({
    id: z.string(),
    surveyId: z.string(),
    completedAt: isoTime,
    runs: z.array(z.object({ id: z.string(), automationId: z.string(), status: z.literal('scheduled') })),
  })
  .meta({
    id: 'SubmittedResponse',
    description: 'Stored, with the runs it started (one per enabled automation).',
  });

export const responseSchema = z
  .object({
    id: z.string(),
    surveyId: z.string(),
    completedAt: isoTime,
    respondent: z
      .object({
        firstName: z.string().nullable(),
        lastName: z.string().nullable(),
        email: z.string().nullable(),
      })
      .nullable()
      .describe('null on an anonymous survey'),
    background: z.record(z.string(), z.string()).describe('custom background variable id → value'),
    answers: z.record(z.string(), answerValue).describe('question id or matrix row variable id → value'),
  })
  .meta({ id: 'Response' });

export const respondentSurveySchema = z
  .object({
    title: z.string(),
    anonymous: z.boolean(),
    asksIdentity: z.boolean().describe('the page asks for name and e-mail (never on an anonymous survey)'),
    identityFields: z.array(z.enum(['firstName', 'lastName', 'email'])),
    backgroundVariables: z.array(z.object({ id: z.string(), name: z.string() })),
    questions: z.array(
      z.object({
        id: z.string().describe('the answer key of a non-matrix question'),
        type: z.enum(QUESTION_TYPES),
        text: z.string(),
        position: z.number().int(),
        options: z.array(z.object({ text: z.string(), code: z.number().int() })),
        rows: z.array(z.object({ variableId: z.string(), text: z.string() })),
        min: z.number().int().nullable(),
        max: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'RespondentSurvey', description: 'The survey as a respondent sees it.' });
