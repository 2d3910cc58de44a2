// Automations: the rules, transactions, and the one place rows become API objects.
import type { AppContext } from '../context.js';
import { toIso } from '../clock.js';
import { DAY, MINUTE } from '../config.js';
import type { Sender } from '../delivery/http-sender.js';
import { hitRateLimit } from '../http/rate-limit.js';
import { runConnectionTest } from './connection-test.js';
import { assertNoProblems, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { decryptSecret, encryptSecret, generateSigningSecret } from '../delivery/signing.js';
import { getSurvey } from '../surveys/surveys.service.js';
import type { SurveyRecord } from '../surveys/survey-model.js';
import * as store from './automations.store.js';
import { deliverySettingsOf, earlierSecretsOf, headersOf } from '../delivery/delivery-settings.js';
import type { AnswerFormat, LabelMode, VariableSelection } from './message.js';
import { headerProblems, selectionProblems, urlProblems, urlWarning } from './settings.js';
import { exampleMessage, messageSchema } from './message-schema.js';
import { lostVariablesOf } from './lost-variables.js';

export const ROTATION_OVERLAP_MS = DAY;
/** Rotating more often than this within 24 h drops the oldest: each secret adds a signature to every request. */
export const MAX_EARLIER_SECRETS = 10;

export type DisabledReason = 'manual' | 'failures' | 'gone';

export interface AutomationInput {
  surveyId: string;
  name: string;
  url: string;
  enabled?: boolean;
  variables: VariableSelection;
  labels: LabelMode;
  answerFormat?: AnswerFormat;
  headers?: Record<string, string>;
  /** The signing secret (`whsec_…`); generated when not given. */
  secret?: string | undefined;
}

export type AutomationPatch = Partial<Omit<AutomationInput, 'surveyId' | 'secret'>>;

export function toAutomationApi(ctx: AppContext, row: store.AutomationRow, counts: store.RunStatusCounts) {
  const lastExpiry = Math.max(0, ...earlierSecretsOf(row, ctx.clock.now()).map((e) => e.expiresAt));
  return {
    id: row.id,
    type: 'outgoing_webhook' as const,
    surveyId: row.survey_id,
    name: row.name,
    url: row.url,
    urlWarning: urlWarning(row.url),
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason as DisabledReason | null,
    disabledAt: row.disabled_at === null ? null : toIso(row.disabled_at),
    variables: JSON.parse(row.variables) as VariableSelection,
    labels: row.labels as LabelMode,
    answerFormat: row.answer_format as AnswerFormat,
    headers: headersOf(row, ctx.secretKey),
    secret: decryptSecret(row.secret_enc, ctx.secretKey),
    previousSecretExpiresAt: lastExpiry > 0 ? toIso(lastExpiry) : null,
    lostVariables: lostVariablesOf(row).map((l) => ({ id: l.id, label: l.label, lostAt: toIso(l.lostAt) })),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    stats: counts,
    failureStreak: {
      count: Number(row.failure_streak),
      warnAt: ctx.config.warnAfterFailures,
      disableAt: ctx.config.disableAfterFailures,
      warnedAt: row.failure_warned_at === null ? null : toIso(Number(row.failure_warned_at)),
    },
  };
}

function surveyOf(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  field = 'surveyId',
): Promise<SurveyRecord> {
  return getSurvey(ctx, orgId, surveyId, field);
}

export async function loadAutomation(
  ctx: AppContext,
  orgId: string,
  id: string,
): Promise<store.AutomationRow> {
  const row = await store.findAutomation(ctx.db, orgId, id);
  if (!row) throw notFound('Automation not found.');
  return row;
}

export async function getAutomation(ctx: AppContext, orgId: string, id: string) {
  const row = await loadAutomation(ctx, orgId, id);
  const counts = await store.runCountsByAutomation(ctx.db, [row.id]);
  return toAutomationApi(ctx, row, counts.get(row.id) ?? store.emptyCounts());
}

export async function listAutomations(ctx: AppContext, orgId: string, surveyId?: string) {
  const rows = await store.listAutomations(ctx.db, orgId, surveyId);
  const counts = await store.runCountsByAutomation(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toAutomationApi(ctx, r, counts.get(r.id) ?? store.emptyCounts()));
}

export async function createAutomation(ctx: AppContext, orgId: string, input: AutomationInput) {
  const survey = await surveyOf(ctx, orgId, input.surveyId);
  const headers = input.headers ?? {};
  assertNoProblems([
    ...urlProblems(input.url),
    ...headerProblems(headers),
    ...selectionProblems(survey.definition, input.variables),
  ]);
  const now = ctx.clock.now();
  const enabled = input.enabled ?? true;
  const row: store.AutomationRow = {
    id: newId('aut', now),
    org_id: orgId,
    survey_id: survey.id,
    type: 'outgoing_webhook',
    name: input.name.trim(),
    url: input.url,
    enabled: enabled ? 1 : 0,
    disabled_reason: enabled ? null : 'manual',
    disabled_at: enabled ? null : now,
    variables: JSON.stringify(input.variables),
    labels: input.labels,
    answer_format: input.answerFormat ?? 'text',
    headers_enc: encryptSecret(JSON.stringify(headers), ctx.secretKey),
    secret_enc: encryptSecret(input.secret ?? generateSigningSecret(), ctx.secretKey),
    earlier_secrets: '[]',
    failure_streak: 0,
    lost_variables: '[]',
    failure_warned_at: null,
    created_at: now,
    updated_at: now,
  };
  await store.insertAutomation(ctx.db, row);
  return toAutomationApi(ctx, row, store.emptyCounts());
}

export async function updateAutomation(ctx: AppContext, orgId: string, id: string, patch: AutomationPatch) {
  const row = await loadAutomation(ctx, orgId, id);
  const survey = await surveyOf(ctx, orgId, row.survey_id);
  const problems = [
    ...(patch.url !== undefined ? urlProblems(patch.url) : []),
    ...(patch.headers !== undefined ? headerProblems(patch.headers) : []),
    ...(patch.variables !== undefined ? selectionProblems(survey.definition, patch.variables) : []),
  ];
  assertNoProblems(problems);
  const now = ctx.clock.now();
  const changes: Partial<store.AutomationRow> = { updated_at: now };
  if (patch.name !== undefined) changes.name = patch.name.trim();
  if (patch.url !== undefined) changes.url = patch.url;
  if (patch.variables !== undefined) {
    changes.variables = JSON.stringify(patch.variables);
    changes.lost_variables = '[]'; // the owner has chosen again
  }
  if (patch.labels !== undefined) changes.labels = patch.labels;
  if (patch.answerFormat !== undefined) changes.answer_format = patch.answerFormat;
  if (patch.headers !== undefined)
    changes.headers_enc = encryptSecret(JSON.stringify(patch.headers), ctx.secretKey);
  const enabling = patch.enabled === true && row.enabled === 0;
  if (patch.enabled === true) {
    Object.assign(changes, {
      enabled: 1,
      disabled_reason: null,
      disabled_at: null,
      failure_streak: 0,
      failure_warned_at: null,
    });
  } else if (patch.enabled === false && row.enabled === 1) {
    Object.assign(changes, { enabled: 0, disabled_reason: 'manual', disabled_at: now });
  }
  await ctx.queue.makeDue(async (trx, due) => {
    await store.updateAutomation(trx, orgId, id, changes);
    if (enabling) {
      // Held and waiting runs go now: the owner has fixed whatever made the receiver fail.
      await store.resumeScheduledRuns(trx, id, now);
      due.automations([id]);
    }
  });
  return getAutomation(ctx, orgId, id);
}

/** The payload contract of the automation's messages now: their JSON Schema and an example that fits it. */
export async function getMessageSchema(ctx: AppContext, orgId: string, id: string) {
  const row = await loadAutomation(ctx, orgId, id);
  const survey = await surveyOf(ctx, orgId, row.survey_id);
  const settings = {
    variables: JSON.parse(row.variables) as VariableSelection,
    labels: row.labels as LabelMode,
    answerFormat: row.answer_format as AnswerFormat,
  };
  return {
    schema: messageSchema(survey, settings),
    example: exampleMessage(survey, settings, ctx.clock.now()) as Record<string, unknown>,
  };
}

export async function deleteAutomation(ctx: AppContext, orgId: string, id: string): Promise<void> {
  if (!(await store.deleteAutomation(ctx.db, orgId, id))) throw notFound('Automation not found.');
}

export async function rotateSecret(ctx: AppContext, orgId: string, id: string) {
  const row = await loadAutomation(ctx, orgId, id);
  const now = ctx.clock.now();
  // The secret replaced now signs for 24 h more, beside every earlier one still within its own 24 h.
  const earlier = [
    { enc: row.secret_enc, expiresAt: now + ROTATION_OVERLAP_MS },
    ...earlierSecretsOf(row, now),
  ].slice(0, MAX_EARLIER_SECRETS);
  await store.updateAutomation(ctx.db, orgId, id, {
    earlier_secrets: JSON.stringify(earlier),
    secret_enc: encryptSecret(generateSigningSecret(), ctx.secretKey),
    updated_at: now,
  });
  return getAutomation(ctx, orgId, id);
}

const TEST_RATE = { limit: 60, windowMs: MINUTE };

export type ConnectionTestRequest = Omit<AutomationInput, 'name' | 'enabled'>;

/** Tests settings before an automation exists, signed with `secret` (else a throwaway one). */
export async function testNewConnection(
  ctx: AppContext,
  sender: Sender,
  orgId: string,
  input: ConnectionTestRequest,
) {
  const survey = await surveyOf(ctx, orgId, input.surveyId);
  const headers = input.headers ?? {};
  assertNoProblems([...headerProblems(headers), ...selectionProblems(survey.definition, input.variables)]);
  await hitRateLimit(ctx.db, `connection-test:${orgId}`, TEST_RATE, ctx.clock.now());
  return runConnectionTest(
    sender,
    survey,
    {
      url: input.url,
      headers,
      secrets: [input.secret ?? generateSigningSecret()],
      variables: input.variables,
      labels: input.labels,
      answerFormat: input.answerFormat ?? 'text',
    },
    ctx.clock.now(),
  );
}

/** Settings a test from the automation page may try before saving them. */
export type UnsavedSettings = Partial<
  Pick<AutomationInput, 'url' | 'variables' | 'labels' | 'answerFormat' | 'headers'>
>;

/** Tests an automation's saved settings with `unsaved` laid over them, signed with its own secrets. */
export async function testSavedAutomation(
  ctx: AppContext,
  sender: Sender,
  orgId: string,
  id: string,
  unsaved: UnsavedSettings = {},
) {
  const row = await loadAutomation(ctx, orgId, id);
  const survey = await surveyOf(ctx, orgId, row.survey_id);
  assertNoProblems([
    ...(unsaved.headers !== undefined ? headerProblems(unsaved.headers) : []),
    ...(unsaved.variables !== undefined ? selectionProblems(survey.definition, unsaved.variables) : []),
  ]);
  await hitRateLimit(ctx.db, `connection-test:${orgId}`, TEST_RATE, ctx.clock.now());
  const now = ctx.clock.now();
  const saved = deliverySettingsOf(row, ctx.secretKey, now);
  return runConnectionTest(
    sender,
    survey,
    {
      url: unsaved.url ?? saved.url,
      headers: unsaved.headers ?? saved.headers,
      secrets: saved.secrets,
      variables: unsaved.variables ?? (JSON.parse(row.variables) as VariableSelection),
      labels: unsaved.labels ?? (row.labels as LabelMode),
      answerFormat: unsaved.answerFormat ?? (row.answer_format as AnswerFormat),
    },
    now,
  );
}
