// Connection test (SPEC §6 step 4): a realistic, signed sample message sent like a real delivery
// (same address guard, timeouts and classification); nothing is stored and no run is created.
import type { AttemptError } from '../delivery/failure-hints.js';
import type { Sender } from '../delivery/http-sender.js';
import { deliveryHeaders } from '../delivery/signing.js';
import { parseDeliveryUrl } from '../delivery/address-guard.js';
import { newId } from '../ids.js';
import type { SurveyRecord } from '../surveys/survey-model.js';
import { renderMessage, sampleResponse, type RenderSettings } from './message.js';

export interface TestResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: AttemptError | null;
  request: { url: string; headers: Record<string, string>; body: string };
  response: { headers: Record<string, string>; body: string } | null;
}

export interface ConnectionTestInput extends RenderSettings {
  url: string;
  headers: Record<string, string>;
  secrets: string[];
}

/** Sends one `automation.test` message built from the survey's own variables; reports what happened. */
export async function runConnectionTest(
  sender: Sender,
  survey: SurveyRecord,
  input: ConnectionTestInput,
  now: number,
): Promise<TestResult> {
  const body = renderMessage(
    'automation.test',
    survey,
    sampleResponse(survey.definition, survey.anonymous, now),
    input,
  );
  const headers = deliveryHeaders(
    newId('test', now),
    body,
    { headers: input.headers, secrets: input.secrets },
    now,
  );
  const request = { url: input.url, headers, body };
  const check = parseDeliveryUrl(input.url);
  if (!check.ok)
    return { ok: false, statusCode: null, durationMs: 0, error: check.error, request, response: null };
  const result = await sender.send({ url: input.url, headers, body, keepResponseHeaders: true });
  return {
    ok: result.ok,
    statusCode: result.statusCode,
    durationMs: Math.round(result.durationMs),
    error: result.error,
    request,
    response: result.responseHeaders
      ? { headers: result.responseHeaders, body: result.responseBody ?? '' }
      : null,
  };
}
