// Templates: a survey shared for reuse within its organization. Sharing and creating a survey from a
// template both copy the data labels (SPEC §4); every copy gets fresh ids.
import { toIso } from '../clock.js';
import type { AppContext } from '../context.js';
import { notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { cloneDefinition, type SurveyRecord } from './survey-model.js';
import { decodeCursor, pageOf } from '../http/cursor.js';
import { getSurvey, insertNewSurvey } from './surveys.service.js';
import * as store from './templates.store.js';

/** The API's Template object. */
export function toTemplateApi(t: {
  id: string;
  name: string;
  sourceSurveyId: string | null;
  createdAt: number;
}) {
  return { id: t.id, name: t.name, sourceSurveyId: t.sourceSurveyId, createdAt: toIso(t.createdAt) };
}

/** Freezes the survey's title, anonymous flag and structure (with data labels) as a template. */
export async function shareAsTemplate(
  ctx: AppContext,
  orgId: string,
  surveyId: string,
  name: string | undefined,
) {
  const survey = await getSurvey(ctx, orgId, surveyId);
  const now = ctx.clock.now();
  const template: store.TemplateRecord = {
    id: newId('tpl', now),
    orgId,
    name: name?.trim() ?? survey.title,
    sourceSurveyId: survey.id,
    title: survey.title,
    anonymous: survey.anonymous,
    definition: cloneDefinition(survey.definition, true),
    createdAt: now,
  };
  await store.insertTemplate(ctx.db, template);
  return toTemplateApi(template);
}

export async function listTemplates(
  ctx: AppContext,
  orgId: string,
  limit: number,
  cursor: string | undefined,
) {
  const page = pageOf(await store.listTemplates(ctx.db, orgId, limit, decodeCursor(cursor)), limit);
  return { items: page.items.map(toTemplateApi), nextCursor: page.nextCursor };
}

/** A new survey from the template: its structure and data labels, fresh ids, the template's title by default. */
export async function createSurveyFromTemplate(
  ctx: AppContext,
  orgId: string,
  templateId: string,
  title: string | undefined,
): Promise<SurveyRecord> {
  const template = await store.findTemplate(ctx.db, orgId, templateId);
  if (!template) throw notFound('Template not found.');
  return insertNewSurvey(ctx, orgId, {
    title: title?.trim() ?? template.title,
    anonymous: template.anonymous,
    definition: cloneDefinition(template.definition, true),
  });
}

/** Renames a template (the surveys made from it keep their titles). */
export async function renameTemplate(ctx: AppContext, orgId: string, id: string, name: string) {
  const template = await store.renameTemplate(ctx.db, orgId, id, name);
  if (!template) throw notFound('Template not found.');
  return toTemplateApi(template);
}

export async function deleteTemplate(ctx: AppContext, orgId: string, id: string): Promise<void> {
  if (!(await store.deleteTemplate(ctx.db, orgId, id))) throw notFound('Template not found.');
}
