// The migration set, in order. Append-only: never edit a migration that has shipped.
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_automations_runs.js';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_automations_runs': m0002,
};
