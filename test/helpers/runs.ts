// Runs written straight into the database in multi-row batches (for process tests, runs-log tests and
// benchmarks): due runs, or runs with chosen respondents, statuses and creation times.
import type { Insertable } from 'kysely';
import type { Db } from '../../src/db/connect.js';
import type { RunsTable } from '../../src/db/schema.js';
import { newId } from '../../src/ids.js';
import { respondentName } from '../../src/runs/create-runs.js';
import { searchTextOf } from '../../src/runs/search-text.js';

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
  const runs: Insertable<RunsTable>[] = [];
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
        search_text: `respondent ${i}\u001fr${i}@example.com`,
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
  await insertInChunks(db, runs, messages);
  return ids;
}

export interface Respondent {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

export interface LogRunSpec {
  /** null: a run of an anonymous survey. */
  respondent: Respondent | null;
  createdAt: number;
  status?: 'scheduled' | 'running' | 'succeeded' | 'failed';
  attempts?: number;
  /** Scheduled runs: when the next attempt is due (default: at creation, i.e. due now). */
  nextAttemptAt?: number;
}

/** Inserts one run per spec for the automation, named as `createRunsForResponse` names them; returns ids. */
export async function insertLogRuns(
  db: Db,
  o: { orgId: string; automationId: string; runs: LogRunSpec[] },
): Promise<string[]> {
  const runs: Insertable<RunsTable>[] = [];
  const messages: { run_id: string; body: string }[] = [];
  for (const spec of o.runs) {
    const id = newId('run', spec.createdAt);
    const anonymous = spec.respondent === null;
    const r = spec.respondent ?? { firstName: null, lastName: null, email: null };
    const status = spec.status ?? 'scheduled';
    runs.push({
      id,
      org_id: o.orgId,
      automation_id: o.automationId,
      response_id: newId('rsp', spec.createdAt),
      status,
      status_changed_at: spec.createdAt,
      created_at: spec.createdAt,
      next_attempt_at:
        status === 'scheduled' || status === 'running' ? (spec.nextAttemptAt ?? spec.createdAt) : null,
      next_trigger: 'auto',
      schedule_start: 0,
      attempts: spec.attempts ?? (status === 'scheduled' ? 0 : 1),
      lease_token: status === 'running' ? 'lease' : null,
      lease_expires_at: status === 'running' ? spec.createdAt + 60_000 : null,
      push_url: 'http://127.0.0.1:9/hook',
      name: respondentName(anonymous, r),
      email: r.email,
      first_name: r.firstName,
      last_name: r.lastName,
      search_text: searchTextOf(anonymous, r),
    });
    messages.push({ run_id: id, body: JSON.stringify({ type: 'survey.response.completed', run: id }) });
  }
  await insertInChunks(db, runs, messages);
  return runs.map((r) => r.id);
}

async function insertInChunks(
  db: Db,
  runs: Insertable<RunsTable>[],
  messages: { run_id: string; body: string }[],
): Promise<void> {
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
}
