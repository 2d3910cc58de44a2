#!/usr/bin/env node
// svarbud serve [--no-worker] | worker | migrate | demo | backup <file> | api-key create --org <id> [--name <name>]
import { parseArgs } from 'node:util';
import { backupSqlite } from './db/backup.js';
import { Health } from './health.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, SECOND, type Config } from './config.js';
import type { AppContext } from './context.js';
import { describeDatabase, isShared, openDatabase, type DbHandle } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { dbQueriesTotal } from './metrics/metrics.js';
import { createLogger } from './logger.js';
import { resolveSecretKey } from './secret-key.js';
import { buildApp, buildOperationsApp } from './server.js';
import { createApiKey } from './accounts/accounts.service.js';
import { findOrganization } from './accounts/accounts.store.js';
import { seedDemoIfEmpty, seedDemo, type DemoDetails } from './demo.js';
import { startBackgroundWork, type BackgroundWork } from './background.js';
import { selfTargetsOf } from './inbox/self-targets.js';

const USAGE = `Usage: svarbud <command>

Commands:
  serve [--no-worker]           run the HTTP API and web UI, and deliver (dispatcher, mail sender,
                                retention sweeper); --no-worker (or SVARBUD_WORKER=off, PostgreSQL
                                only) makes an API-only node beside \`svarbud worker\` processes
  worker                        deliver without HTTP (PostgreSQL; run any number)
  migrate                       apply database migrations and exit
  backup <file>                 write a consistent copy of the SQLite database to <file>, safe while
                                \`serve\` runs (PostgreSQL: use pg_dump)
  demo                          create a demo organization, member and survey; print the sign-in details
  api-key create --org <id> [--name <name>]
                                create an API key for an organization and print it once

Configuration comes from environment variables; see the README.`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** What a process is, in its PostgreSQL sessions' application_name (pg_stat_activity). */
type Role = 'serve' | 'api' | 'worker' | 'cli';

function applicationName(role: Role): string {
  return `svarbud-${role}-${process.pid}`;
}

async function open(config: Config, role: Role): Promise<{ handle: DbHandle; ctx: AppContext }> {
  const log = createLogger(config.logLevel, undefined, config.logFormat);
  const handle = await openDatabase(config.database, {
    applicationName: applicationName(role),
    onQuery: () => dbQueriesTotal.inc(),
  });
  await migrateToLatest(handle.db, handle.engine);
  const secretKey = resolveSecretKey(config);
  return {
    handle,
    ctx: {
      db: handle.db,
      engine: handle.engine,
      queue: handle.queue,
      config,
      clock: systemClock,
      log,
      secretKey,
    },
  };
}

/**
 * The longest a shutdown may take: the requests in flight (bounded by the request timeout, after a
 * connect timeout) and the recording of their attempts. Past it the process exits anyway (code 1).
 */
function shutdownLimitMs(config: Config): number {
  return config.requestTimeoutMs + config.connectTimeoutMs + 10 * SECOND;
}

/**
 * SIGTERM / SIGINT: stop accepting and claiming, let requests in flight finish and be recorded, close
 * the database, exit 0. A second signal, or a shutdown past its limit, exits at once with 1.
 */
function onSignals(ctx: AppContext, stopAll: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      ctx.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    ctx.log.info({ signal }, 'shutting down: finishing the requests in flight');
    const limit = shutdownLimitMs(ctx.config);
    setTimeout(() => {
      ctx.log.error({ limitMs: limit }, 'shutdown took too long; exiting');
      process.exit(1);
    }, limit).unref();
    stopAll().then(
      () => {
        ctx.log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        ctx.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function serve(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'no-worker': { type: 'boolean' } } });
  const delivers = config.worker === 'on' && values['no-worker'] !== true;
  if (!delivers && !isShared(config.database)) {
    fail(
      'On SQLite `svarbud serve` is the only process that can deliver: --no-worker / SVARBUD_WORKER=off ' +
        'needs PostgreSQL (DATABASE_URL=postgres://…) with `svarbud worker` processes beside it.',
    );
  }
  const { handle, ctx } = await open(config, delivers ? 'serve' : 'api');
  if (config.demo === 'on') {
    const demo = await seedDemoIfEmpty(ctx);
    if (demo) printDemo(demo, config);
  }
  const health = delivers ? new Health(ctx.clock) : null;
  const app = await buildApp(ctx, { health });
  // Deliveries may reach this process's own inbox (at its listening address) and nothing else local.
  const selfTargets = selfTargetsOf(config.publicUrl, app.server);
  const background = health ? await startBackgroundWork(ctx, handle, { selfTargets, health }) : null;
  onSignals(ctx, async () => {
    // Stop accepting (requests in flight finish; new ones get 503) and stop claiming, together.
    await Promise.all([
      app.close().then(() => ctx.log.info('HTTP requests finished')),
      background?.stop().then(() => ctx.log.info('deliveries finished and recorded')),
    ]);
    await handle.close();
  });
  const address = await app.listen({ port: config.port, host: config.host });
  ctx.log.info(
    { address, database: describeDatabase(config.database), delivers },
    delivers
      ? 'svarbud is serving and delivering'
      : 'svarbud is serving (API only: `svarbud worker` delivers)',
  );
  console.log(
    `\nSvarbud is running at ${config.publicUrl} (listening on ${address}; API docs: ${config.publicUrl}/api/docs)` +
      (delivers ? '' : '\nAPI only (--no-worker): run `svarbud worker` processes to deliver.') +
      '\n',
  );
}

async function worker(config: Config): Promise<void> {
  if (!isShared(config.database)) {
    fail(
      'svarbud worker needs PostgreSQL (DATABASE_URL=postgres://…). On SQLite, `svarbud serve` delivers too.',
    );
  }
  const { handle, ctx } = await open(config, 'worker');
  const health = new Health(ctx.clock);
  const background: BackgroundWork = await startBackgroundWork(ctx, handle, { health });
  const ops = config.workerPort === null ? null : await buildOperationsApp(ctx, health);
  onSignals(ctx, async () => {
    await Promise.all([
      ops?.close(),
      background.stop().then(() => ctx.log.info('deliveries finished and recorded')),
    ]);
    await handle.close();
  });
  const address = ops ? await ops.listen({ port: config.workerPort!, host: config.host }) : null;
  ctx.log.info(
    { database: describeDatabase(config.database), operations: address },
    'svarbud worker is running',
  );
  console.log(
    `Svarbud worker is running on ${describeDatabase(config.database)}` +
      (address ? ` (operations on ${address}: /healthz, /readyz, /metrics)` : ''),
  );
}

async function backup(config: Config, args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const target = positionals[0];
  if (!target || positionals.length > 1) fail('Usage: svarbud backup <file>');
  if (isShared(config.database)) {
    fail(
      'svarbud backup copies a SQLite database. For PostgreSQL use its own tools, e.g.\n' +
        '  pg_dump --format=custom --file=svarbud.dump "$DATABASE_URL"',
    );
  }
  const started = Date.now();
  const result = await backupSqlite(config.database.path, target);
  console.log(
    `Backed up ${config.database.path} to ${target}: ${result.pages} pages (${(result.bytes / 1024 / 1024).toFixed(1)} MiB) in ${Date.now() - started} ms; integrity check: ${result.check}.\n` +
      'Keep the master key with it (SVARBUD_SECRET_KEY, or secret.key in the data folder): without it the\n' +
      "automations' signing secrets and custom headers cannot be read.",
  );
}

function printDemo(demo: DemoDetails, config: Config): void {
  console.log(
    [
      '',
      '┌─ Demo created (shown once) ─────────────────────────────',
      `│ Sign in at ${config.publicUrl}`,
      `│   e-mail:   ${demo.email}`,
      `│   password: ${demo.password}`,
      `│ Demo survey: "${demo.surveyTitle}"`,
      `│   answer it at ${config.publicUrl}/r/${demo.publicToken}`,
      `│ Its automation "${demo.automationName}" posts each response to the built-in inbox:`,
      `│   ${demo.inboxUrl}`,
      `│   watch the run in Automations and the message in Inbox (${config.publicUrl}/inbox)`,
      '└─────────────────────────────────────────────────────────',
      '',
    ].join('\n'),
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  switch (command) {
    case 'serve':
      return serve(config, rest);
    case 'worker':
      return worker(config);
    case 'backup':
      return backup(config, rest);
    case 'migrate': {
      const handle = await openDatabase(config.database, { applicationName: applicationName('cli') });
      const applied = await migrateToLatest(handle.db, handle.engine);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      await handle.close();
      return;
    }
    case 'demo': {
      const { handle, ctx } = await open(config, 'cli');
      printDemo(await seedDemo(ctx), config);
      await handle.close();
      return;
    }
    case 'api-key': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { org: { type: 'string' }, name: { type: 'string', default: 'CLI key' } },
        allowPositionals: true,
      });
      if (positionals[0] !== 'create' || !values.org)
        fail('Usage: svarbud api-key create --org <organization id> [--name <name>]');
      const { handle, ctx } = await open(config, 'cli');
      if (!(await findOrganization(ctx.db, values.org))) {
        await handle.close();
        fail(`No organization with id ${values.org}.`);
      }
      const key = await createApiKey(ctx, values.org, null, values.name ?? 'CLI key');
      console.log(`API key "${key.name}" (${key.id}) — shown once:\n${key.key}`);
      await handle.close();
      return;
    }
    default:
      fail(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) fail(err.message);
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
