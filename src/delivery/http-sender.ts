// The HTTP sender: makes one attempt — one POST to a receiver — and describes what happened as data.
// Keep-alive pools per origin (undici Agent), the address guard on every attempt (pinned addresses, no DNS
// at connect time), no redirects, a connect and a total timeout, and a bounded read of the response.
// A receiver's failure is an AttemptResult with an error, never a thrown exception or an error log.
import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher } from 'undici';
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
import { HOP_BY_HOP_HEADERS } from '../shared/contract-rules.js';

/** Bytes of a response body read at most; the connection is dropped when a receiver sends more. */
export const MAX_RESPONSE_READ_BYTES = 64 * 1024;
/** Bytes of a response body kept in the attempt log. */
export const MAX_RESPONSE_STORED_BYTES = 4 * 1024;

export interface DeliveryRequest {
  url: string;
  /** Custom and signature headers. The sender sets Host, Content-Length and connection headers itself. */
  headers: Record<string, string>;
  body: string | Uint8Array;
  /**
   * Return the response's headers (a connection test shows them). Deliveries never store them, so by
   * default only Retry-After and Location are read and `responseHeaders` is null.
   */
  keepResponseHeaders?: boolean;
}

export interface AttemptResult {
  /** True for a 2xx response (then `error` is null). */
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: AttemptError | null;
  /**
   * Response headers (repeated ones joined with ", "), or null when there was no response or the request
   * did not ask for them (`keepResponseHeaders`).
   */
  responseHeaders: Record<string, string> | null;
  /** The first 4 KiB of the response body as UTF-8 (cut on a character boundary, NUL as U+FFFD), or null. */
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
const OWNED_HEADERS = new Set(HOP_BY_HOP_HEADERS);
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

/** What came back from one POST: the status line and headers, and the first bytes of the body. */
interface RawResponse {
  statusCode: number;
  rawHeaders: Buffer[];
  kept: Buffer[];
}

/**
 * One POST through undici's dispatcher interface: no response stream, no AbortSignal — the body is read
 * straight from the parser, at most MAX_RESPONSE_READ_BYTES of it. Once the status line has arrived, a
 * body cut short (by the limit, a reset or the timeout) only shortens the excerpt.
 */
class AttemptHandler {
  private abortRequest: ((reason: Error) => void) | null = null;
  private statusCode = 0;
  private rawHeaders: Buffer[] = [];
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private readBytes = 0;
  private settled = false;

  constructor(
    private readonly resolve: (response: RawResponse) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  /** The attempt ran out of time: answer now, and stop the request as soon as undici lets us. */
  timeout(): void {
    if (this.statusCode > 0) this.finish();
    else this.fail(new AttemptTimeout());
    this.abortRequest?.(new AttemptTimeout());
  }

  onConnect(abort: (reason: Error) => void): void {
    if (this.settled) abort(new AttemptTimeout());
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.readBytes += chunk.length;
    if (this.keptBytes < MAX_RESPONSE_STORED_BYTES + 4) {
      const part = chunk.subarray(0, MAX_RESPONSE_STORED_BYTES + 4 - this.keptBytes);
      this.kept.push(part);
      this.keptBytes += part.length;
    }
    if (this.readBytes >= MAX_RESPONSE_READ_BYTES) {
      this.finish();
      this.abortRequest?.(new Error('response cut at the read limit')); // drops the connection
      return false;
    }
    return true;
  }

  onComplete(): void {
    // undici makes the connection available again one turn of the event loop after this call (its own
    // setImmediate, queued after ours); answering after that lets a send that follows at once reuse it
    // instead of opening a second connection.
    setImmediate(() => setImmediate(() => this.finish()));
  }

  onError(err: Error): void {
    if (this.statusCode > 0) this.finish();
    else this.fail(err);
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve({ statusCode: this.statusCode, rawHeaders: this.rawHeaders, kept: this.kept });
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }
}

/** The value of response header `name` (lower case; repeated ones joined with ", "), or undefined. */
function headerOf(raw: Buffer[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const field = raw[i]!;
    if (field.length !== name.length || field.toString('latin1').toLowerCase() !== name) continue;
    const v = raw[i + 1]!.toString('latin1');
    value = value === undefined ? v : `${value}, ${v}`;
  }
  return value;
}

function headersOf(raw: Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
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

  const none = { ok: false, statusCode: null, responseHeaders: null, responseBody: null, retryAfterMs: null };

  async function attempt(
    request: DeliveryRequest,
    headers: Record<string, string>,
    deadline: { timedOut: boolean; onTimeout: (() => void) | null },
  ): Promise<Omit<AttemptResult, 'durationMs'>> {
    const parsed = parseUrl(request.url);
    if (!parsed.ok) return { ...none, error: parsed.error };
    const { url } = parsed;
    const target = await checkTarget(url, options);
    if (deadline.timedOut) throw new AttemptTimeout(); // DNS took the whole time
    if (!target.ok) return { ...none, error: target.error };

    const release = connector.pin(target);
    let response: RawResponse;
    try {
      response = await new Promise<RawResponse>((resolve, reject) => {
        const handler = new AttemptHandler(resolve, reject);
        deadline.onTimeout = () => handler.timeout();
        agent.dispatch(
          {
            origin: url.origin,
            path: url.pathname + url.search,
            method: 'POST',
            headers,
            body: request.body,
          },
          handler as unknown as Dispatcher.DispatchHandler,
        );
      });
    } finally {
      release();
    }

    const { statusCode } = response;
    const responseHeaders = request.keepResponseHeaders ? headersOf(response.rawHeaders) : null;
    const ok = statusCode >= 200 && statusCode < 300;
    let error: AttemptError | null = null;
    if (statusCode >= 300 && statusCode < 400) {
      error = redirectFailure(statusCode, resolveLocation(headerOf(response.rawHeaders, 'location'), url));
    } else if (!ok) {
      error = httpStatusFailure(statusCode);
    }
    return {
      ok,
      statusCode,
      error,
      responseHeaders,
      // A NUL would make the whole batch of attempts unrecordable on PostgreSQL (its text type cannot hold
      // one), so a receiver's stray binary byte is kept as U+FFFD, as the built-in inbox keeps bodies.
      responseBody: utf8Excerpt(Buffer.concat(response.kept), MAX_RESPONSE_STORED_BYTES).replaceAll(
        '\u0000',
        '\uFFFD',
      ),
      retryAfterMs: parseRetryAfter(headerOf(response.rawHeaders, 'retry-after'), now()),
    };
  }

  async function send(request: DeliveryRequest): Promise<AttemptResult> {
    const headers = outgoingHeaders(request, options.userAgent);
    const started = performance.now();
    const deadline = { timedOut: false, onTimeout: null as (() => void) | null };
    let expired: () => void = () => {};
    const timedOut = new Promise<never>((_, reject) => (expired = () => reject(new AttemptTimeout())));
    timedOut.catch(() => {});
    const timer = setTimeout(() => {
      deadline.timedOut = true;
      if (deadline.onTimeout) deadline.onTimeout();
      else expired(); // still resolving the name
    }, options.requestTimeoutMs);
    try {
      const result = await Promise.race([attempt(request, headers, deadline), timedOut]);
      return { ...result, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      return {
        ...none,
        error: classifyError(err, options, deadline.timedOut),
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
