// The HTTP sender: makes one attempt — one POST to a receiver — and describes what happened as data.
// Keep-alive pools per origin (undici Agent), the address guard on every attempt (pinned addresses, no DNS
// at connect time), no redirects, a connect and a total timeout, and a bounded read of the response.
// A receiver's failure is an AttemptResult with an error, never a thrown exception or an error log.
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import {
  checkTarget,
  createGuardedConnector,
  parseDeliveryUrl,
  type Resolve,
  type SelfTargets,
  type UrlCheck,
} from './address-guard.js';
import { validateCidrs } from './address-policy.js';
import { failure, httpStatusFailure, redirectFailure, type AttemptError } from './failure-hints.js';
import { parseRetryAfter } from './retry-policy.js';

/** Bytes of a response body read at most; the connection is dropped when a receiver sends more. */
export const MAX_RESPONSE_READ_BYTES = 64 * 1024;
/** Bytes of a response body kept in the attempt log. */
export const MAX_RESPONSE_STORED_BYTES = 4 * 1024;

export interface DeliveryRequest {
  url: string;
  /** Custom and signature headers. The sender sets Host, Content-Length and connection headers itself. */
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface AttemptResult {
  /** True for a 2xx response (then `error` is null). */
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: AttemptError | null;
  /** Response headers (repeated ones joined with ", "), or null when there was no response. */
  responseHeaders: Record<string, string> | null;
  /** The first 4 KiB of the response body as UTF-8 (cut on a character boundary), or null. */
  responseBody: string | null;
  /** The wait the receiver asked for with Retry-After (≤ 1 h), or null. */
  retryAfterMs: number | null;
}

export interface SenderOptions {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  allowCidrs: readonly string[];
  userAgent: string;
  resolve?: Resolve;
  /** This process's own inbox URL prefixes, allowed as themselves (see address-guard.ts). */
  selfTargets?: SelfTargets;
  /** Clock for Retry-After dates. */
  now?: () => number;
}

export interface Sender {
  send(request: DeliveryRequest): Promise<AttemptResult>;
  /** Closes pooled connections once in-flight attempts are done. */
  close(): Promise<void>;
}

// Headers that describe the connection or the framing, which the sender owns.
const OWNED_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
]);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[^\0\r\n]*$/;

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
const REFUSED_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'ENODATA']);

class AttemptTimeout extends Error {
  constructor() {
    super('attempt timed out');
    this.name = 'AttemptTimeout';
  }
}

function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Maps an exception from connecting or sending to a failure; programmer errors are thrown on. */
function classifyError(err: unknown, options: SenderOptions, timedOut: boolean): AttemptError {
  const codes = errorCodes(err);
  if (codes.includes('UND_ERR_INVALID_ARG')) throw err;
  if (codes.includes('ERR_BLOCKED_ADDRESS')) {
    return failure('BLOCKED_ADDRESS', err instanceof Error ? `${err.message}.` : undefined);
  }
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT')) {
    return failure('TIMEOUT', `No connection within ${options.connectTimeoutMs} ms.`);
  }
  if (timedOut || err instanceof AttemptTimeout || codes.some((c) => TIMEOUT_CODES.has(c))) {
    return failure('TIMEOUT', `No complete answer within ${options.requestTimeoutMs} ms.`);
  }
  const code = codes.find((c) => c !== 'UND_ERR_SOCKET') ?? codes[0];
  const detail = code ? `(${code})` : undefined;
  if (codes.some((c) => REFUSED_CODES.has(c))) return failure('CONNECTION_REFUSED', detail);
  if (codes.some((c) => DNS_CODES.has(c))) return failure('DNS_NOT_FOUND', detail);
  if (codes.some((c) => /CERT|SSL|TLS|EPROTO|SIGNATURE|ISSUER/.test(c))) return failure('TLS_ERROR', detail);
  // ECONNRESET, EPIPE, "other side closed", malformed HTTP (HPE_*), and anything unforeseen.
  return failure('CONNECTION_RESET', detail);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Cuts `bytes` to at most `max` bytes without splitting a UTF-8 character, and decodes it. */
export function utf8Excerpt(bytes: Buffer, max: number): string {
  if (bytes.length <= max) return bytes.toString('utf8');
  let end = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that max cuts through.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

function outgoingHeaders(request: DeliveryRequest, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) {
      throw new TypeError(`Invalid header ${JSON.stringify(name)}: names must be tokens, values one line`);
    }
    const lower = name.toLowerCase();
    if (!OWNED_HEADERS.has(lower)) headers[lower] = value;
  }
  headers['user-agent'] ??= userAgent;
  return headers;
}

/** Rejects with AttemptTimeout when `signal` aborts first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(new AttemptTimeout());
    const onAbort = () => reject(new AttemptTimeout());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A sender with its own keep-alive connection pools. `send` never rejects for anything the receiver,
 * the network or DNS does: it resolves to an AttemptResult. It rejects only for invalid header names or
 * values, which callers validate when the automation is saved.
 */
export function createSender(options: SenderOptions): Sender {
  validateCidrs(options.allowCidrs);
  const now = options.now ?? Date.now;
  const connector = createGuardedConnector(options);
  const agent = new Agent({
    connect: connector.connect,
    headersTimeout: options.requestTimeoutMs,
    bodyTimeout: options.requestTimeoutMs,
    keepAliveTimeout: 4_000,
  });

  // Parsed delivery URLs (read-only URL objects), remembered: each automation sends to one URL many times.
  const parsedUrls = new Map<string, UrlCheck>();
  const parseUrl = (raw: string): UrlCheck => {
    let parsed = parsedUrls.get(raw);
    if (!parsed) {
      if (parsedUrls.size >= 1000) parsedUrls.clear();
      parsed = parseDeliveryUrl(raw);
      parsedUrls.set(raw, parsed);
    }
    return parsed;
  };

  async function attempt(
    request: DeliveryRequest,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Omit<AttemptResult, 'durationMs'>> {
    const none = {
      ok: false,
      statusCode: null,
      responseHeaders: null,
      responseBody: null,
      retryAfterMs: null,
    };
    const parsed = parseUrl(request.url);
    if (!parsed.ok) return { ...none, error: parsed.error };
    const { url } = parsed;
    const target = await raceAbort(checkTarget(url, options), signal);
    if (!target.ok) return { ...none, error: target.error };

    const release = connector.pin(target);
    let response;
    try {
      response = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'POST',
        headers,
        body: request.body,
        signal,
      });
    } finally {
      release();
    }

    const { statusCode } = response;
    const responseHeaders = flattenHeaders(response.headers);
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let readBytes = 0;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        readBytes += chunk.length;
        if (keptBytes < MAX_RESPONSE_STORED_BYTES + 4) {
          const part = chunk.subarray(0, MAX_RESPONSE_STORED_BYTES + 4 - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
        if (readBytes >= MAX_RESPONSE_READ_BYTES) break; // leaving the loop destroys the body and its socket
      }
    } catch {
      // The status decided the attempt; a body cut short (reset, timeout) only shortens the excerpt.
    }
    if (!response.body.destroyed && readBytes >= MAX_RESPONSE_READ_BYTES) response.body.destroy();
    // undici marks the connection idle again a moment after the body ends; without this turn of the event
    // loop, a send that follows at once would open a second connection instead of reusing this one.
    await new Promise((resolve) => setImmediate(resolve));

    const ok = statusCode >= 200 && statusCode < 300;
    let error: AttemptError | null = null;
    if (statusCode >= 300 && statusCode < 400) {
      error = redirectFailure(statusCode, resolveLocation(responseHeaders.location, url));
    } else if (!ok) {
      error = httpStatusFailure(statusCode);
    }
    return {
      ok,
      statusCode,
      error,
      responseHeaders,
      responseBody: utf8Excerpt(Buffer.concat(kept), MAX_RESPONSE_STORED_BYTES),
      retryAfterMs: parseRetryAfter(responseHeaders['retry-after'], now()),
    };
  }

  async function send(request: DeliveryRequest): Promise<AttemptResult> {
    const headers = outgoingHeaders(request, options.userAgent);
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptTimeout()), options.requestTimeoutMs);
    try {
      const result = await attempt(request, headers, controller.signal);
      return { ...result, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      return {
        ok: false,
        statusCode: null,
        error: classifyError(err, options, controller.signal.aborted),
        responseHeaders: null,
        responseBody: null,
        retryAfterMs: null,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    send,
    close: () => agent.close(),
  };
}

function resolveLocation(location: string | undefined, base: URL): string | null {
  if (!location) return null;
  let absolute: string;
  try {
    absolute = new URL(location, base).href;
  } catch {
    absolute = location;
  }
  return absolute.length > 500 ? `${absolute.slice(0, 500)}…` : absolute;
}
