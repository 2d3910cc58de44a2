// SQL for surveys and templates. Definitions are JSON text; the version column fences concurrent edits.
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/connect.js';
import { hotSql } from '../db/hot-sql.js';
import type { SurveysTable } from '../db/schema.js';
import type { SurveyDefinition, SurveyRecord } from './survey-model.js';

export function toSurveyRecord(
  row: SurveysTable,
  definition: SurveyDefinition = JSON.parse(row.definition) as SurveyDefinition,
): SurveyRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    title: row.title,
    anonymous: row.anonymous === 1,
    publicToken: row.public_token,
    definition,
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toSurveyRow(s: SurveyRecord): SurveysTable {
  return {
    id: s.id,
    org_id: s.orgId,
    title: s.title,
    anonymous: s.anonymous ? 1 : 0,
    public_token: s.publicToken,
    definition: JSON.stringify(s.definition),
    version: s.version,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

/** The survey with `id` in organization `orgId`, or undefined (another organization's id too). */
export async function findSurvey(db: Db, orgId: string, id: string): Promise<SurveyRecord | undefined> {
  const row = await findSurveyRow(db, orgId, id);
  return row ? toSurveyRecord(row) : undefined;
}

async function findSurveyRow(db: Db, orgId: string, id: string): Promise<SurveysTable | undefined> {
  // Every submitted response asks this: compiled once (see db/hot-sql.ts).
  const query = hotSql<SurveysTable>(db);
  const { rows } = await query`select * from surveys where id = ${id} and org_id = ${orgId}`;
  return rows[0];
}

/**
 * Definitions parsed from the text stored for each survey: every response to a survey reads it, and
 * parsing it (and deriving labels from it, message.ts) each time cost more than the read itself. An
 * entry serves only while the stored text is exactly the same, so an edit from any process counts at once;
 * the 1 000 surveys read last are kept (lru-cache).
 */
const sharedDefinitions = new LRUCache<string, { text: string; definition: SurveyDefinition }>({ max: 1000 });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * As `findSurvey`, for callers that only read the survey: its definition is shared with other readers
 * of the same stored text, and deeply frozen (writing to it throws).
 */
export async function findSurveyReadOnly(
  db: Db,
  orgId: string,
  id: string,
): Promise<SurveyRecord | undefined> {
  const row = await findSurveyRow(db, orgId, id);
  if (!row) return undefined;
  let shared = sharedDefinitions.get(row.id);
  if (shared?.text !== row.definition) {
    const definition = deepFreeze(JSON.parse(row.definition) as SurveyDefinition);
    shared = { text: row.definition, definition };
    sharedDefinitions.set(row.id, shared);
  }
  return toSurveyRecord(row, shared.definition);
}

export async function findSurveyByPublicToken(db: Db, token: string): Promise<SurveyRecord | undefined> {
  const row = await db.selectFrom('surveys').selectAll().where('public_token', '=', token).executeTakeFirst();
  return row ? toSurveyRecord(row) : undefined;
}

export async function insertSurvey(db: Db, survey: SurveyRecord): Promise<void> {
  await db.insertInto('surveys').values(toSurveyRow(survey)).execute();
}

/**
 * Saves a changed survey if nobody else saved since it was read (same version); returns false on a
 * lost race so the caller can re-read and retry.
 */
export async function updateSurvey(db: Db, survey: SurveyRecord, readVersion: number): Promise<boolean> {
  const result = await db
    .updateTable('surveys')
    .set({
      title: survey.title,
      definition: JSON.stringify(survey.definition),
      version: readVersion + 1,
      updated_at: survey.updatedAt,
    })
    .where('id', '=', survey.id)
    .where('org_id', '=', survey.orgId)
    .where('version', '=', readVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteSurvey(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('surveys')
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A position in a newest-first list: the last item of the previous page. */
export interface ListPosition {
  createdAt: number;
  id: string;
}

/**
 * One page of an organization's surveys, newest first, with each survey's response count; `limit + 1`
 * rows are read so the caller knows whether another page follows.
 */
export async function listSurveysWithResponseCounts(
  db: Db,
  orgId: string,
  limit: number,
  after: ListPosition | null,
) {
  let query = db
    .selectFrom('surveys')
    .select(['surveys.id', 'surveys.title', 'surveys.anonymous', 'surveys.created_at'])
    .select((eb) =>
      eb
        .selectFrom('responses')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('responses.survey_id', '=', 'surveys.id')
        .as('response_count'),
    )
    .where('surveys.org_id', '=', orgId);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('surveys.created_at', '<', after.createdAt),
        eb.and([eb('surveys.created_at', '=', after.createdAt), eb('surveys.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('surveys.created_at', 'desc')
    .orderBy('surveys.id', 'desc')
    .limit(limit + 1)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    anonymous: r.anonymous === 1,
    createdAt: Number(r.created_at),
    responseCount: Number(r.response_count ?? 0),
  }));
}
