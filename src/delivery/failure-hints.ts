// Why an attempt failed, in plain words: one entry per failure code, with a hint saying what to do.
// The API, the UI and failure e-mails all show these, so the wording lives here and nowhere else.
// The codes are stable (the UI translates codes); messages may gain detail (a status, a Location).
import { STATUS_CODES } from 'node:http';

import { FAILURE_CODES, type FailureCode } from '../shared/contract-rules.js';

export { FAILURE_CODES, type FailureCode };

/** How one attempt failed: stored in the attempt log and shown to the user as is. */
export interface AttemptError {
  code: FailureCode;
  message: string;
  hint: string;
}

/** The plain-language message and the what-to-do hint of every failure code. */
export const FAILURE_HINTS: Readonly<Record<FailureCode, { message: string; hint: string }>> = {
  INVALID_URL: {
    message: 'The URL is not valid.',
    hint: 'Use a full http:// or https:// URL of at most 2000 characters, without a user name or password in it.',
  },
  BLOCKED_ADDRESS: {
    message: 'The URL points to an address that deliveries may not reach.',
    hint: 'Use a public address. Private, loopback, link-local and cloud metadata addresses are blocked unless the operator allows them (SVARBUD_ALLOW_CIDRS).',
  },
  DNS_NOT_FOUND: {
    message: 'The host name could not be found.',
    hint: 'Check the spelling of the host name and that its DNS record exists.',
  },
  CONNECTION_REFUSED: {
    message: 'The connection was refused.',
    hint: 'Nothing is listening at that address and port — check the URL and that the receiver is running.',
  },
  CONNECTION_RESET: {
    message: 'The receiver closed the connection before sending a complete response.',
    hint: 'The receiver or a proxy in front of it dropped the request — check its logs for a crash or a size limit.',
  },
  TIMEOUT: {
    message: 'The receiver did not answer in time.',
    hint: 'The receiver must answer within the timeout; acknowledge quickly and do slow work afterwards.',
  },
  TLS_ERROR: {
    message: 'The secure (HTTPS) connection could not be established.',
    hint: 'Check that the receiver has a valid, unexpired certificate for this host name, issued by a public authority.',
  },
  REDIRECT: {
    message: 'The receiver answered with a redirect, which is not followed.',
    hint: 'Use the final URL (the one the redirect points to) as the automation URL.',
  },
  HTTP_STATUS: {
    message: 'The receiver answered with an error status.',
    hint: 'Any 2xx status counts as success; check the receiver’s response body and logs for the reason.',
  },
};

const STATUS_HINTS: Readonly<Record<number, string>> = {
  400: 'The receiver rejected the message — check that it accepts this message format.',
  401: 'The receiver wants authentication — add the header it expects (for example Authorization) to the automation.',
  403: 'The receiver refused access — check the credentials in the automation headers and the receiver’s allow list.',
  404: 'Nothing was found at this path — check the path of the URL.',
  405: 'The receiver does not accept POST at this URL — check the path of the URL.',
  410: 'The receiver said this endpoint is gone for good, so the automation was disabled. Fix the URL and enable it again.',
  413: 'The message is larger than the receiver accepts — raise its body size limit or send fewer variables.',
  429: 'The receiver is rate limiting; deliveries are retried later, honouring its Retry-After.',
};

/** Builds the AttemptError for `code`; `detail`, when given, is appended to the table's message. */
export function failure(code: FailureCode, detail?: string): AttemptError {
  const entry = FAILURE_HINTS[code];
  return { code, message: detail ? `${entry.message} ${detail}` : entry.message, hint: entry.hint };
}

/** The HTTP_STATUS error for a non-2xx, non-3xx status, naming the status and a status-specific hint. */
export function httpStatusFailure(statusCode: number): AttemptError {
  const text = STATUS_CODES[statusCode];
  const hint =
    STATUS_HINTS[statusCode] ??
    (statusCode >= 500
      ? 'The receiver had an internal error — check its logs for the cause.'
      : FAILURE_HINTS.HTTP_STATUS.hint);
  return {
    code: 'HTTP_STATUS',
    message: `The receiver answered ${statusCode}${text ? ` ${text}` : ''}.`,
    hint,
  };
}

/** The REDIRECT error, naming where the receiver pointed to (the Location header) when it said. */
export function redirectFailure(statusCode: number, location: string | null): AttemptError {
  const entry = FAILURE_HINTS.REDIRECT;
  const where = location ? ` to ${location}` : '';
  return {
    code: 'REDIRECT',
    message: `The receiver answered ${statusCode}, a redirect${where}, which is not followed.`,
    hint: location ? `Use the final URL (${location}) as the automation URL.` : entry.hint,
  };
}
