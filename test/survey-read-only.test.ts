// The read-only survey of the response path (surveys.store.ts findSurveyReadOnly): one parsed, frozen
// definition per stored text, replaced as soon as the stored text changes (an edit from any process), and
// messages rendered from it (labels worked out once per definition) equal to those of a fresh copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage, sampleResponse, type RenderSettings } from '../src/automations/message.js';
import { insertOrganizationWithUser } from '../src/accounts/accounts.store.js';
import { newId } from '../src/ids.js';
import { findSurvey, findSurveyReadOnly, updateSurvey } from '../src/surveys/surveys.store.js';
import { openTestDatabase, type TestDatabase } from './helpers/db.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

describe('read-only surveys of the response path', () => {
  let t: TestDatabase;
  let orgId: string;
  let fx: SurveyFixture;
  beforeAll(async () => {
    t = await openTestDatabase('sqlite');
    orgId = newId('org');
    await insertOrganizationWithUser(
      t.db,
      { id: orgId, name: 'Org', created_at: 1 },
      {
        id: newId('usr'),
        org_id: orgId,
        email: 'ro@example.com',
        name: 'R',
        password_hash: 'x',
        created_at: 1,
      },
    );
    fx = await createSurveyFixture(t.db, orgId, { title: 'Read only' });
  });
  afterAll(async () => t.destroy());

  it('shares one frozen definition while the stored text is unchanged, and a new one after an edit', async () => {
    const first = (await findSurveyReadOnly(t.db, orgId, fx.survey.id))!;
    const second = (await findSurveyReadOnly(t.db, orgId, fx.survey.id))!;
    expect(second.definition).toBe(first.definition);
    expect(Object.isFrozen(first.definition.questions[0])).toBe(true);
    expect(() => {
      (first.definition.questions[0] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
    expect(first).toEqual(await findSurvey(t.db, orgId, fx.survey.id));

    const edited = structuredClone(first);
    edited.definition.questions[0]!.text = 'Favourite season?';
    edited.definition.questions[0]!.dataLabel = 'season';
    expect(await updateSurvey(t.db, edited, first.version)).toBe(true);
    const after = (await findSurveyReadOnly(t.db, orgId, fx.survey.id))!;
    expect(after.definition).not.toBe(first.definition);
    expect(after.definition.questions[0]!.text).toBe('Favourite season?');
    expect(after.version).toBe(first.version + 1);
    expect(await findSurveyReadOnly(t.db, orgId, 'srv_none')).toBeUndefined();
  });

  it('renders the same message from the shared definition as from a fresh copy, for every setting', async () => {
    const shared = (await findSurveyReadOnly(t.db, orgId, fx.survey.id))!;
    const fresh = structuredClone(shared);
    const response = sampleResponse(fresh.definition, false, Date.UTC(2026, 0, 2));
    const some = [fx.ids.department, fx.ids.singleVar, fx.ids.matrixRows[1]];
    const settings: RenderSettings[] = [];
    for (const labels of ['auto', 'data'] as const)
      for (const answerFormat of ['text', 'code'] as const)
        for (const variables of [{ mode: 'all' as const }, { mode: 'specific' as const, ids: some }])
          settings.push({ labels, answerFormat, variables });
    for (const s of settings) {
      // Twice: the second rendering uses the labels worked out by the first.
      for (let i = 0; i < 2; i++) {
        expect(renderMessage('survey.response.completed', shared, response, s)).toBe(
          renderMessage('survey.response.completed', fresh, response, s),
        );
      }
    }
  });
});
