#!/usr/bin/env node
// svarbud serve | migrate | demo | api-key create --org <id> [--name <name>]
import { parseArgs } from 'node:util';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, redactUrl, type Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase, type DbHandle } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger } from './logger.js';
import { resolveSecretKey } from './secret-key.js';
import { buildApp } from './server.js';
import { createApiKey } from './accounts/accounts.service.js';
import { findOrganization } from './accounts/accounts.store.js';
import { seedDemoIfEmpty, seedDemo, type DemoDetails } from './demo.js';
import { startBackgroundWork, type BackgroundWork } from './background.js';
import { selfTargetsOf } from './inbox/self-targets.js';

const USAGE = `Usage: svarbud <command>

Commands:
  serve                         run the HTTP API and web UI (on SQLite also the delivery worker)
  worker                        run the delivery worker without HTTP (PostgreSQL; run any number)
  migrate                       apply database migrations and exit
  demo                          create a demo organization, member and survey; print the sign-in details
  api-key create --org <id> [--name <name>]
                                create an API key for an organization and print it once

Configuration comes from environment variables; see the README.`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function describeDatabase(config: Config): string {
  return config.database.engine === 'sqlite'
    ? `SQLite ${config.database.path}`
    : `PostgreSQL ${redactUrl(config.database.url)}`;
}

async function open(config: Config): Promise<{ handle: DbHandle; ctx: AppContext }> {
  const log = createLogger(config.logLevel);
  const handle = await openDatabase(config.database);
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

async function serve(config: Config): Promise<void> {
  const { handle, ctx } = await open(config);
  if (config.demo === 'on') {
    const demo = await seedDemoIfEmpty(ctx);
    if (demo) printDemo(demo, config);
  }
  const app = await buildApp(ctx);
  // SQLite has one writer: the process that serves also delivers. On PostgreSQL, run `svarbud worker`.
  // Deliveries may reach this process's own inbox (at its listening address) and nothing else local.
  const selfTargets = selfTargetsOf(config.publicUrl, app.server);
  const background =
    handle.engine === 'sqlite' ? await startBackgroundWork(ctx, handle, { selfTargets }) : null;
  const address = await app.listen({ port: config.port, host: config.host });
  ctx.log.info({ address, database: describeDatabase(config) }, 'svarbud is serving');
  console.log(
    `\nSvarbud is running at ${config.publicUrl} (listening on ${address}; API docs: ${config.publicUrl}/api/docs)\n`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    await app.close();
    await background?.stop();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function worker(config: Config): Promise<void> {
  if (config.database.engine !== 'postgres') {
    fail(
      'svarbud worker needs PostgreSQL (DATABASE_URL=postgres://…). On SQLite, `svarbud serve` delivers too.',
    );
  }
  const { handle, ctx } = await open(config);
  const background: BackgroundWork = await startBackgroundWork(ctx, handle);
  ctx.log.info({ database: describeDatabase(config) }, 'svarbud worker is running');
  console.log(`Svarbud worker is running on ${describeDatabase(config)}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'worker shutting down');
    await background.stop();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
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
      return serve(config);
    case 'worker':
      return worker(config);
    case 'migrate': {
      const handle = await openDatabase(config.database);
      const applied = await migrateToLatest(handle.db, handle.engine);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      await handle.close();
      return;
    }
    case 'demo': {
      const { handle, ctx } = await open(config);
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
      const { handle, ctx } = await open(config);
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
