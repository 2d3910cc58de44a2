// The zod shapes of the automation routes: what they take and what they answer (API.md → Automations).
import { z } from 'zod';
import { FAILURE_CODES } from '../delivery/failure-hints.js';
import { isSigningSecret } from '../delivery/signing.js';
import { idSchema, isoTime, storedText } from '../http/schemas.js';
import { noNul, NUL } from '../http/text-rules.js';

export const variableSelectionSchema = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('all') }),
    z.object({ mode: z.literal('specific'), ids: z.array(idSchema).max(2000) }),
  ])
  .meta({
    id: 'VariableSelection',
    description: 'Which variables the messages carry: all, or the listed ids.',
  });
const labels = z.enum(['auto', 'data']).describe('message keys: auto labels or data labels');
const answerFormat = z.enum(['text', 'code']).describe('choices as option text or as option code');
const headers = z
  .record(z.string().max(200), z.string().max(4000))
  .describe('custom request headers (at most 10; not the ones Svarbud sets)');
const name = z
  .string()
  .trim()
  .min(1, 'must be 1–100 characters')
  .max(100, 'must be 1–100 characters')
  .refine(noNul, NUL);
const url = storedText(1, 4000);
const secret = z
  .string()
  .refine(isSigningSecret, 'must be "whsec_" followed by the base64 of 24–64 bytes')
  .describe('a signing secret in the Standard Webhooks form; generated when left out');

export const createAutomationBody = z.object({
  type: z.literal('outgoing_webhook'),
  surveyId: idSchema,
  name,
  url,
  enabled: z.boolean().optional(),
  variables: variableSelectionSchema,
  labels,
  answerFormat: answerFormat.optional(),
  headers: headers.optional(),
  secret: secret.optional(),
});
export const patchAutomationBody = z
  .object({
    name,
    url,
    enabled: z.boolean(),
    variables: variableSelectionSchema,
    labels,
    answerFormat,
    headers,
  })
  .partial();
export const listAutomationsQuery = z.object({ surveyId: idSchema.optional() });
/** Settings to test before an automation exists; `secret` signs the test (the wizard's shown secret). */
export const testConnectionBody = createAutomationBody.omit({ type: true, name: true, enabled: true });
/** Unsaved settings to test over an automation's saved ones; its own secrets sign the test. */
export const testAutomationBody = z
  .object({ url, variables: variableSelectionSchema, labels, answerFormat, headers })
  .partial()
  .nullish();

const statusCounts = z
  .object({
    scheduled: z.number().int(),
    running: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'RunStatusCounts' });

const failureStreak = z
  .object({
    count: z
      .number()
      .int()
      .describe('consecutive failed runs since the last success (or since it was enabled)'),
    warnAt: z
      .number()
      .int()
      .nullable()
      .describe('at this many the notification recipients get one "at risk" mail; null: no warning'),
    disableAt: z.number().int().describe('at this many the automation is disabled (reason `failures`)'),
    warnedAt: isoTime.nullable().describe('when this streak\'s "at risk" mail was queued; null: not yet'),
  })
  .meta({
    id: 'FailureStreak',
    description: 'How close the automation is to being disabled by failures ("3 of 5 failures").',
  });

export const automationSchema = z
  .object({
    id: z.string(),
    type: z.literal('outgoing_webhook'),
    surveyId: z.string(),
    name: z.string(),
    url: z.string(),
    urlWarning: z.enum(['insecure_http']).nullable().describe('plain http: allowed, not recommended'),
    enabled: z.boolean(),
    disabledReason: z.enum(['manual', 'failures', 'gone']).nullable(),
    disabledAt: isoTime.nullable(),
    variables: variableSelectionSchema,
    labels,
    answerFormat,
    headers: z.record(z.string(), z.string()),
    secret: z.string().describe('the signing secret (`whsec_…`) that signs deliveries now'),
    previousSecretExpiresAt: isoTime
      .nullable()
      .describe(
        'while earlier secrets still sign beside the new one (24 h after a rotation): when the last stops',
      ),
    lostVariables: z
      .array(
        z.object({
          id: z.string(),
          label: z.string().describe('the key its messages carried it under'),
          lostAt: isoTime,
        }),
      )
      .describe(
        'variables of its specific selection deleted from the survey since the selection was saved; saving a selection clears it',
      ),
    createdAt: isoTime,
    updatedAt: isoTime,
    stats: statusCounts,
    failureStreak,
  })
  .meta({ id: 'Automation' });

export const attemptErrorSchema = z
  .object({ code: z.enum(FAILURE_CODES), message: z.string(), hint: z.string() })
  .meta({ id: 'AttemptError', description: 'Why an attempt failed, and what to do about it.' });

export const testResultSchema = z
  .object({
    ok: z.boolean(),
    statusCode: z.number().int().nullable(),
    durationMs: z.number().int(),
    error: attemptErrorSchema.nullable(),
    request: z.object({ url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }),
    response: z.object({ headers: z.record(z.string(), z.string()), body: z.string() }).nullable(),
  })
  .meta({ id: 'TestResult', description: 'What the connection test sent and what came back.' });

export { statusCounts as runStatusCountsSchema };

export const messageSchemaAnswer = z
  .object({
    schema: z
      .record(z.string(), z.unknown())
      .describe(
        'JSON Schema (draft 2020-12) of the message body this automation sends with its current settings',
      ),
    example: z.record(z.string(), z.unknown()).describe('an example message that validates against `schema`'),
  })
  .meta({
    id: 'MessageSchema',
    description: "The automation's payload contract: its messages' JSON Schema and an example.",
  });
