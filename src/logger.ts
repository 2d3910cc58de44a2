// Structured logs that never contain passwords, keys, cookies, CSRF tokens, signing secrets or the
// tokens in URLs (respondent page, invitation link, public survey API, request inbox). JSON lines, or human-readable
// lines (pino-pretty) on a terminal.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  'secret',
  'apiKey',
  'csrfToken',
  'signingSecret',
  '*.password',
  '*.secret',
  '*.key',
  '*.apiKey',
  '*.csrfToken',
  '*.signingSecret',
  '*.headers.authorization',
  '*.headers.Authorization',
];

// A token in a URL is a credential: whoever has it may answer the survey, post to the inbox or join.
const URL_TOKENS: RegExp[] = [
  /^(\/r\/)[^/?#]+/,
  /^(\/invite\/)[^/?#]+/,
  /^(\/api\/v1\/public\/surveys\/)[^/?#]+/,
  /^(\/api\/v1\/inbox\/)[^/?#]+/,
];

/** The URL with its token (respondent page, invitation, public survey API, inbox) replaced by `[redacted]`. */
export function redactUrlTokens(url: string): string {
  for (const pattern of URL_TOKENS) {
    if (pattern.test(url)) return url.replace(pattern, '$1[redacted]');
  }
  return url;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number; remoteAddress?: string } | null;
}

/** Fastify's request serializer (lib/logger-pino.js), with the URL's token redacted. */
function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrlTokens(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  };
}

export type LogFormat = 'pretty' | 'json' | 'auto';

/** `auto`: pretty when standard output is a terminal (a person reads it), JSON otherwise (a collector). */
export function resolveLogFormat(
  format: LogFormat,
  isTerminal = Boolean(process.stdout.isTTY),
): 'pretty' | 'json' {
  if (format !== 'auto') return format;
  return isTerminal ? 'pretty' : 'json';
}

export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'svarbud' },
    serializers: { req: serializeRequest },
  };
  if (resolveLogFormat(format) === 'pretty') {
    // In-process and synchronous, so nothing is lost at exit; the redaction above has already happened.
    const stream = pretty({
      destination: destination ?? 1,
      sync: true,
      colorize: destination === undefined && Boolean(process.stdout.isTTY),
      translateTime: 'SYS:HH:MM:ss.l',
      // A request is one short line each way ("GET /api/v1/me", "200 in 3 ms"), not a block of JSON.
      ignore: 'pid,hostname,service,req,res,reqId,responseTime',
      messageFormat: (log, messageKey) => {
        const msg = String(log[messageKey] ?? '');
        const req = log.req as { method?: string; url?: string } | undefined;
        const res = log.res as { statusCode?: number } | undefined;
        const id = typeof log.reqId === 'string' ? ` (${log.reqId})` : '';
        if (req) return `${msg}: ${req.method} ${req.url}${id}`;
        if (res) {
          const ms = typeof log.responseTime === 'number' ? ` in ${log.responseTime.toFixed(1)} ms` : '';
          return `${msg}: ${res.statusCode}${ms}${id}`;
        }
        return msg;
      },
    });
    return pino(options, stream);
  }
  return pino(options, destination);
}
