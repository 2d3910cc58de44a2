// SQL for templates: a frozen copy of a survey's title, anonymous flag and definition.
import type { Db } from '../db/connect.js';
import type { TemplatesTable } from '../db/schema.js';
import type { SurveyDefinition } from './survey-model.js';
import type { ListPosition } from './surveys.store.js';

export interface TemplateRecord {
  id: string;
  orgId: string;
  name: string;
  sourceSurveyId: string | null;
  title: string;
  anonymous: boolean;
  definition: SurveyDefinition;
  createdAt: number;
}

function toTemplateRecord(row: TemplatesTable): TemplateRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    sourceSurveyId: row.source_survey_id,
    title: row.title,
    anonymous: row.anonymous === 1,
    definition: JSON.parse(row.definition),
    createdAt: Number(row.created_at),
  };
}

export async function insertTemplate(db: Db, t: TemplateRecord): Promise<void> {
  await db
    .insertInto('templates')
    .values({
      id: t.id,
      org_id: t.orgId,
      name: t.name,
      source_survey_id: t.sourceSurveyId,
      title: t.title,
      anonymous: t.anonymous ? 1 : 0,
      definition: JSON.stringify(t.definition),
      created_at: t.createdAt,
    })
    .execute();
}

/** The template with `id` in organization `orgId`, or undefined (another organization's id too). */
export async function findTemplate(db: Db, orgId: string, id: string): Promise<TemplateRecord | undefined> {
  const row = await db
    .selectFrom('templates')
    .selectAll()
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return row ? toTemplateRecord(row) : undefined;
}

/** One page of an organization's templates, newest first (`limit + 1` rows, see listSurveys). */
export async function listTemplates(db: Db, orgId: string, limit: number, after: ListPosition | null) {
  let query = db
    .selectFrom('templates')
    .select(['id', 'name', 'source_survey_id', 'title', 'anonymous', 'created_at'])
    .where('org_id', '=', orgId);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    sourceSurveyId: r.source_survey_id,
    title: r.title,
    anonymous: r.anonymous === 1,
    createdAt: Number(r.created_at),
  }));
}

/** Renames the template; undefined when the organization has no template `id`. */
export async function renameTemplate(
  db: Db,
  orgId: string,
  id: string,
  name: string,
): Promise<TemplateRecord | undefined> {
  const row = await db
    .updateTable('templates')
    .set({ name })
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .returningAll()
    .executeTakeFirst();
  return row ? toTemplateRecord(row) : undefined;
}

export async function deleteTemplate(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('templates')
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
