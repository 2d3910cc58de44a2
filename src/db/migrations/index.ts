// The migration set, in order. Append-only: never edit a migration that has shipped.
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_automations_runs.js';
import * as m0003 from './0003_run_search.js';
import * as m0004 from './0004_notifications.js';
import * as m0005 from './0005_request_inbox.js';
import * as m0006 from './0006_dispatcher_liveness.js';
import * as m0007 from './0007_secrets.js';
import * as m0008 from './0008_run_origin_erasure.js';
import * as m0009 from './0009_teams_warnings.js';
import * as m0010 from './0010_attempt_headers.js';
import * as m0011 from './0011_pg_run_search.js';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_automations_runs': m0002,
  '0003_run_search': m0003,
  '0004_notifications': m0004,
  '0005_request_inbox': m0005,
  '0006_dispatcher_liveness': m0006,
  '0007_secrets': m0007,
  '0008_run_origin_erasure': m0008,
  '0009_teams_warnings': m0009,
  '0010_attempt_headers': m0010,
  '0011_pg_run_search': m0011,
};
