// What every service needs: the database, the configuration, the clock and the logger.
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db, Engine } from './db/connect.js';
import type { RunQueue } from './db/run-queue.js';

export interface AppContext {
  db: Db;
  engine: Engine;
  /** Runs waiting to be delivered: made due by the features, claimed by the dispatcher. */
  queue: RunQueue;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Master key that encrypts signing secrets and custom headers at rest. */
  secretKey: string;
}
