// Every setting of Svarbud: an environment variable, its default and a doc line.
// Parsed once at start-up, frozen; a bad value stops start-up with a message naming the variable.
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

interface Setting<T> {
  env: string;
  doc: string;
  /** Default shown in the README; `parse` receives undefined when the variable is unset. */
  shownDefault: string;
  parse: (raw: string | undefined, env: NodeJS.ProcessEnv) => T;
}

class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

function int(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string | undefined): number => {
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
    }
    return value;
  };
}

function oneOf<T extends string>(name: string, values: readonly T[], fallback: T) {
  return (raw: string | undefined): T => {
    if (raw === undefined || raw.trim() === '') return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  };
}

function parseUrl(name: string, raw: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${redactUrl(raw)}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  return url;
}

/** Hides the password of a URL so it can be printed. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return raw.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  }
}

export type DatabaseSetting = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

export const CIDR_PATTERN = /^([0-9.]+\/\d{1,2}|[0-9a-fA-F:.]+\/\d{1,3})$/;

const settings = {
  port: {
    env: 'PORT',
    doc: 'TCP port `serve` listens on.',
    shownDefault: '8080',
    parse: int('PORT', 8080, 0, 65535),
  },
  host: {
    env: 'HOST',
    doc: 'Address `serve` listens on (`0.0.0.0` to expose it).',
    shownDefault: '127.0.0.1',
    parse: (raw) => (raw && raw.trim() !== '' ? raw.trim() : '127.0.0.1'),
  },
  database: {
    env: 'DATABASE_URL',
    doc: '`sqlite:<path>` or `postgres://user:pass@host/db`; unset → SQLite at `./data/svarbud.db`.',
    shownDefault: 'sqlite:./data/svarbud.db',
    parse: (raw): DatabaseSetting => {
      if (raw === undefined || raw.trim() === '') return { engine: 'sqlite', path: './data/svarbud.db' };
      if (raw.startsWith('sqlite:')) {
        const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
        if (path === '')
          throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/svarbud.db');
        return { engine: 'sqlite', path };
      }
      if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
        parseUrl('DATABASE_URL', raw, ['postgres:', 'postgresql:']);
        return { engine: 'postgres', url: raw };
      }
      throw new ConfigError(
        'DATABASE_URL',
        `must start with sqlite: or postgres://, got "${redactUrl(raw)}"`,
      );
    },
  },
  publicUrl: {
    env: 'SVARBUD_PUBLIC_URL',
    doc: 'Base of links in e-mails and the UI.',
    shownDefault: 'http://localhost:<PORT>',
    parse: (raw, env) => {
      if (raw === undefined || raw.trim() === '') {
        return `http://localhost:${int('PORT', 8080, 0, 65535)(env.PORT)}`;
      }
      return parseUrl('SVARBUD_PUBLIC_URL', raw, ['http:', 'https:']).toString().replace(/\/$/, '');
    },
  },
  secretKey: {
    env: 'SVARBUD_SECRET_KEY',
    doc: 'Master key (≥ 32 characters) that encrypts signing secrets at rest; generated into the data folder on first SQLite start; required on PostgreSQL.',
    shownDefault: 'generated (SQLite) / required (PostgreSQL)',
    parse: (raw) => {
      if (raw === undefined || raw.trim() === '') return null;
      if (raw.length < 32) throw new ConfigError('SVARBUD_SECRET_KEY', 'must be at least 32 characters');
      return raw;
    },
  },
  allowCidrs: {
    env: 'SVARBUD_ALLOW_CIDRS',
    doc: 'Comma-separated extra address ranges deliveries may reach (e.g. `127.0.0.0/8` for local receivers).',
    shownDefault: '(empty)',
    parse: (raw) => {
      if (raw === undefined || raw.trim() === '') return [] as string[];
      const items = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const item of items) {
        if (!CIDR_PATTERN.test(item))
          throw new ConfigError('SVARBUD_ALLOW_CIDRS', `has an invalid CIDR "${item}"`);
      }
      return items;
    },
  },
  retrySchedule: {
    env: 'SVARBUD_RETRY_SCHEDULE',
    doc: 'Delay in seconds before each attempt (first 0); its length is the attempt count.',
    shownDefault: '0,60,300,1800,7200,21600,43200',
    parse: (raw) => {
      const text = raw === undefined || raw.trim() === '' ? '0,60,300,1800,7200,21600,43200' : raw;
      const delays = text.split(',').map((s) => Number(s.trim()));
      if (delays.length === 0 || delays.length > 50 || delays.some((d) => !Number.isInteger(d) || d < 0)) {
        throw new ConfigError(
          'SVARBUD_RETRY_SCHEDULE',
          `must be 1–50 comma-separated whole seconds ≥ 0, got "${raw}"`,
        );
      }
      return delays.map((d) => d * SECOND);
    },
  },
  disableAfterFailures: {
    env: 'SVARBUD_DISABLE_AFTER_FAILURES',
    doc: 'Consecutive failed runs that disable an automation.',
    shownDefault: '5',
    parse: int('SVARBUD_DISABLE_AFTER_FAILURES', 5, 1, 1000),
  },
  warnAfterFailures: {
    env: 'SVARBUD_WARN_AFTER_FAILURES',
    doc: 'Consecutive failed runs after which the notification recipients get one "at risk" mail per failure streak; below `SVARBUD_DISABLE_AFTER_FAILURES`; `0` sends none. Unset: the disable threshold minus 2 (none when that is below 1).',
    shownDefault: 'SVARBUD_DISABLE_AFTER_FAILURES − 2',
    parse: (raw, env): number | null => {
      const disableAt = int('SVARBUD_DISABLE_AFTER_FAILURES', 5, 1, 1000)(env.SVARBUD_DISABLE_AFTER_FAILURES);
      if (raw === undefined || raw.trim() === '') return disableAt - 2 >= 1 ? disableAt - 2 : null;
      const value = int('SVARBUD_WARN_AFTER_FAILURES', 0, 0, 999)(raw);
      if (value >= disableAt) {
        throw new ConfigError(
          'SVARBUD_WARN_AFTER_FAILURES',
          `must be below SVARBUD_DISABLE_AFTER_FAILURES (${disableAt}), got "${raw}"`,
        );
      }
      return value === 0 ? null : value;
    },
  },
  invitationsPerHour: {
    env: 'SVARBUD_INVITATIONS_PER_HOUR',
    doc: 'Invitations one organization may send in an hour (more → 429).',
    shownDefault: '30',
    parse: int('SVARBUD_INVITATIONS_PER_HOUR', 30, 1, 100_000),
  },
  requestTimeoutMs: {
    env: 'SVARBUD_REQUEST_TIMEOUT_MS',
    doc: 'Total time allowed for one delivery attempt, in milliseconds.',
    shownDefault: '15000',
    parse: int('SVARBUD_REQUEST_TIMEOUT_MS', 15 * SECOND, 100, 10 * MINUTE),
  },
  connectTimeoutMs: {
    env: 'SVARBUD_CONNECT_TIMEOUT_MS',
    doc: 'Time allowed to connect to a receiver, in milliseconds.',
    shownDefault: '5000',
    parse: int('SVARBUD_CONNECT_TIMEOUT_MS', 5 * SECOND, 100, 10 * MINUTE),
  },
  maxInFlightPerAutomation: {
    env: 'SVARBUD_MAX_IN_FLIGHT_PER_AUTOMATION',
    doc: 'Fairness cap: requests in flight at once for one automation.',
    shownDefault: '10',
    parse: int('SVARBUD_MAX_IN_FLIGHT_PER_AUTOMATION', 10, 1, 1000),
  },
  maxInFlight: {
    env: 'SVARBUD_MAX_IN_FLIGHT',
    doc: 'Global cap: requests in flight at once for one worker process.',
    shownDefault: '256',
    parse: int('SVARBUD_MAX_IN_FLIGHT', 256, 1, 10_000),
  },
  runRetentionDays: {
    env: 'SVARBUD_RUN_RETENTION_DAYS',
    doc: 'How long runs (with attempts and messages) are kept, in days.',
    shownDefault: '14',
    parse: int('SVARBUD_RUN_RETENTION_DAYS', 14, 1, 3650),
  },
  smtpUrl: {
    env: 'SVARBUD_SMTP_URL',
    doc: '`smtp://user:pass@host:587` or `smtps://…`; unset → mail goes to the built-in dev mailbox.',
    shownDefault: '(unset → dev mailbox)',
    parse: (raw) => {
      if (raw === undefined || raw.trim() === '') return null;
      parseUrl('SVARBUD_SMTP_URL', raw, ['smtp:', 'smtps:']);
      return raw;
    },
  },
  mailFrom: {
    env: 'SVARBUD_MAIL_FROM',
    doc: 'Sender of notification mail.',
    shownDefault: 'Svarbud <no-reply@localhost>',
    parse: (raw) => (raw && raw.trim() !== '' ? raw.trim() : 'Svarbud <no-reply@localhost>'),
  },
  signup: {
    env: 'SVARBUD_SIGNUP',
    doc: '`open` lets anyone sign up (creating an organization); `closed` refuses sign-up: people join an organization only by invitation.',
    shownDefault: 'open',
    parse: oneOf('SVARBUD_SIGNUP', ['open', 'closed'] as const, 'open'),
  },
  logLevel: {
    env: 'LOG_LEVEL',
    doc: 'pino log level.',
    shownDefault: 'info',
    parse: oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
  },
  logFormat: {
    env: 'LOG_FORMAT',
    doc: '`pretty` (human-readable lines, pino-pretty), `json` (one JSON object a line) or `auto`: pretty when standard output is a terminal, JSON otherwise.',
    shownDefault: 'auto',
    parse: oneOf('LOG_FORMAT', ['pretty', 'json', 'auto'] as const, 'auto'),
  },
  worker: {
    env: 'SVARBUD_WORKER',
    doc: '`on`: `serve` delivers too (dispatcher, mail sender, sweeper); `off` (or `serve --no-worker`, PostgreSQL only) makes an API-only node beside `svarbud worker` processes.',
    shownDefault: 'on',
    parse: oneOf('SVARBUD_WORKER', ['on', 'off'] as const, 'on'),
  },
  workerPort: {
    env: 'SVARBUD_WORKER_PORT',
    doc: '`svarbud worker`: TCP port (on `HOST`) for its `/healthz`, `/readyz` and `/metrics`; unset → a worker listens on no port.',
    shownDefault: '(unset)',
    parse: (raw) =>
      raw === undefined || raw.trim() === '' ? null : int('SVARBUD_WORKER_PORT', 0, 0, 65535)(raw),
  },
  metricsToken: {
    env: 'SVARBUD_METRICS_TOKEN',
    doc: 'Bearer token `GET /metrics` requires (≥ 16 characters); unset → `/metrics` answers loopback clients only.',
    shownDefault: '(unset → loopback only)',
    parse: (raw) => {
      if (raw === undefined || raw.trim() === '') return null;
      if (raw.trim().length < 16)
        throw new ConfigError('SVARBUD_METRICS_TOKEN', 'must be at least 16 characters');
      return raw.trim();
    },
  },
  bodyLimitBytes: {
    env: 'SVARBUD_BODY_LIMIT_BYTES',
    doc: 'Largest request body accepted (larger → 413).',
    shownDefault: '1048576',
    parse: int('SVARBUD_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
  },
  loginAttemptsPerWindow: {
    env: 'SVARBUD_LOGIN_ATTEMPTS',
    doc: 'Failed-or-not login attempts allowed per e-mail and per client address in 15 minutes (more → 429).',
    shownDefault: '10',
    parse: int('SVARBUD_LOGIN_ATTEMPTS', 10, 1, 100_000),
  },
  signupsPerHour: {
    env: 'SVARBUD_SIGNUPS_PER_HOUR',
    doc: 'Sign-ups allowed per client address (IPv6: per /64) in an hour (more → 429).',
    shownDefault: '10',
    parse: int('SVARBUD_SIGNUPS_PER_HOUR', 10, 1, 100_000),
  },
  passwordHashCost: {
    env: 'SVARBUD_PASSWORD_HASH_COST',
    doc: 'scrypt cost exponent N = 2^cost for password hashing (memory ≈ 128 × 8 × 2^cost bytes).',
    shownDefault: '15',
    parse: int('SVARBUD_PASSWORD_HASH_COST', 15, 10, 20),
  },
  demo: {
    env: 'SVARBUD_DEMO',
    doc: '`on` seeds the demo organization on first start with an empty database; `off` never does.',
    shownDefault: 'on',
    parse: oneOf('SVARBUD_DEMO', ['on', 'off'] as const, 'on'),
  },
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof settings;
export type Config = Readonly<{ [K in keyof Settings]: ReturnType<Settings[K]['parse']> }>;

/** Parses every setting from `env`; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings) as [string, Setting<unknown>][]) {
    out[key] = setting.parse(env[setting.env], env);
  }
  return Object.freeze(out) as Config;
}

/** The documentation table of every setting, as Markdown rows (kept in the README). */
export function configDocRows(): string[] {
  return Object.values(settings as Record<string, Setting<unknown>>).map(
    (s) => `| \`${s.env}\` | \`${s.shownDefault}\` | ${s.doc} |`,
  );
}

export { ConfigError };
