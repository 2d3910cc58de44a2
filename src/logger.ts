// Structured logs that never contain passwords, keys, cookies, CSRF tokens or signing secrets.
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.key',
  '*.apiKey',
  '*.csrfToken',
  '*.signingSecret',
  '*.headers.authorization',
  '*.headers.Authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'svarbud' },
    },
    destination,
  );
}
