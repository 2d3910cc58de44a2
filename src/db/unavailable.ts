// Which errors mean "the database is not there right now" (a restart, a failover, a terminated session,
// a full pool, a locked SQLite file) rather than a bug: requests answer them with 503 UNAVAILABLE and
// Retry-After, and the background loops simply try again.

/** Seconds a client is told to wait (Retry-After) while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

// SQLSTATE: class 08 (connection exception), operator intervention 57P01 admin shutdown (what
// pg_terminate_backend sends), 57P02 crash shutdown, 57P03 cannot connect now (starting or in
// recovery), 53300 too many connections.
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
// Node's socket errors on the way to the database.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// node-postgres raises these as plain Errors without a code.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection terminated due to connection timeout',
];

function one(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') && code.length === 5) return true;
    if (PG_CODES.has(code) || SOCKET_CODES.has(code)) return true;
    // Another connection holds the SQLite write lock beyond busy_timeout.
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
  }
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m));
}

/** True when `err` (or what caused it, or one of an AggregateError's errors) is a lost database. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 4 || !err || typeof err !== 'object') return false;
  if (one(err)) return true;
  const { cause, errors } = err as { cause?: unknown; errors?: unknown };
  if (cause && isDatabaseUnavailable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1));
}
