// Due runs written straight into the database in multi-row batches (for process tests and benchmarks).
import type { Db } from '../../src/db/connect.js';
import type { RunsTable } from '../../src/db/schema.js';
import { newId } from '../../src/ids.js';

export interface BulkRunsOptions {
  orgId: string;
  automationIds: string[];
  /** Runs per automation. */
  perAutomation: number;
  now?: number;
  /** Message body for run `i` (default: a small JSON document). */
  body?: (runId: string, i: number) => string;
}

/** Inserts `perAutomation` scheduled, due runs for each automation; returns their ids. */
export async function insertDueRuns(db: Db, o: BulkRunsOptions): Promise<string[]> {
  const now = o.now ?? Date.now();
  const ids: string[] = [];
  const runs: RunsTable[] = [];
  const messages: { run_id: string; body: string }[] = [];
  let i = 0;
  for (let n = 0; n < o.perAutomation; n++) {
    for (const automationId of o.automationIds) {
      const id = newId('run', now);
      ids.push(id);
      runs.push({
        id,
        org_id: o.orgId,
        automation_id: automationId,
        response_id: newId('rsp', now),
        status: 'scheduled',
        status_changed_at: now,
        created_at: now,
        next_attempt_at: now,
        next_trigger: 'auto',
        schedule_start: 0,
        attempts: 0,
        lease_token: null,
        lease_expires_at: null,
        push_url: 'http://127.0.0.1/',
        name: `Respondent ${i}`,
        email: `r${i}@example.com`,
        first_name: 'Respondent',
        last_name: String(i),
      });
      messages.push({
        run_id: id,
        body:
          o.body?.(id, i) ??
          JSON.stringify({
            type: 'survey.response.completed',
            timestamp: new Date(now).toISOString(),
            data: { n: i },
          }),
      });
      i++;
    }
  }
  const CHUNK = 500;
  for (let k = 0; k < runs.length; k += CHUNK) {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('runs')
        .values(runs.slice(k, k + CHUNK))
        .execute();
      await trx
        .insertInto('run_messages')
        .values(messages.slice(k, k + CHUNK))
        .execute();
    });
  }
  return ids;
}
