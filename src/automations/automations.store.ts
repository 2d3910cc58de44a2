// SQL for automations.
import type { Db } from '../db/connect.js';
import { hotSql } from '../db/hot-sql.js';
import type { AutomationsTable } from '../db/schema.js';

export type AutomationRow = AutomationsTable;

export async function insertAutomation(db: Db, row: AutomationRow): Promise<void> {
  await db.insertInto('automations').values(row).execute();
}

export function findAutomation(db: Db, orgId: string, id: string) {
  return db
    .selectFrom('automations')
    .selectAll()
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

export function listAutomations(db: Db, orgId: string, surveyId?: string) {
  let q = db.selectFrom('automations').selectAll().where('org_id', '=', orgId);
  if (surveyId) q = q.where('survey_id', '=', surveyId);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Automations of a survey that take new runs: enabled, or disabled by failures or 410 (held runs). */
/** Automations of a survey that take runs: enabled, or disabled by failures or 410 (held runs). */
export async function findAutomationsTakingRuns(db: Db, surveyId: string): Promise<AutomationRow[]> {
  // Every completed response asks this: compiled once (see db/hot-sql.ts).
  const { rows } = await hotSql<AutomationRow>(db)`
    select * from automations
    where survey_id = ${surveyId} and (enabled = 1 or disabled_reason in ('failures', 'gone'))
    order by id`;
  return rows;
}

export async function updateAutomation(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<AutomationRow>,
): Promise<void> {
  await db.updateTable('automations').set(changes).where('id', '=', id).where('org_id', '=', orgId).execute();
}

export async function deleteAutomation(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('automations')
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export type RunStatusCounts = { scheduled: number; running: number; succeeded: number; failed: number };

export const emptyCounts = (): RunStatusCounts => ({ scheduled: 0, running: 0, succeeded: 0, failed: 0 });

/** Run counts per status for each of `automationIds`, in one grouped query. */
export async function runCountsByAutomation(
  db: Db,
  automationIds: string[],
): Promise<Map<string, RunStatusCounts>> {
  const out = new Map<string, RunStatusCounts>();
  if (automationIds.length === 0) return out;
  const rows = await db
    .selectFrom('runs')
    .select(['automation_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('automation_id', 'in', automationIds)
    .groupBy(['automation_id', 'status'])
    .execute();
  for (const id of automationIds) out.set(id, emptyCounts());
  for (const r of rows) {
    const counts = out.get(r.automation_id)!;
    if (r.status in counts) counts[r.status as keyof RunStatusCounts] = Number(r.n);
  }
  return out;
}

/** Makes every scheduled run of the automation due now at the latest (used when it is enabled again). */
export async function resumeScheduledRuns(db: Db, automationId: string, now: number): Promise<number> {
  const r = await db
    .updateTable('runs')
    .set({ next_attempt_at: now })
    .where('automation_id', '=', automationId)
    .where('status', '=', 'scheduled')
    .where('next_attempt_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
