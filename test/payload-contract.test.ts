// GET /automations/:id/schema on both engines: the schema follows the automation's current settings, its
// example validates, a real delivery's stored message validates, another organization's id is 404.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));

for (const engine of ENGINES) {
  describe(`payload contract (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let other: Caller;
    let fx: SurveyFixture;

    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      other = await signUpCaller(t.app, 'Other');
      fx = await createSurveyFixture(t.ctx.db, owner.orgId);
    });
    afterAll(async () => t.close());

    const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers = owner.bearer) =>
      t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

    it('publishes the schema of the current settings; the example and real messages validate', async () => {
      const created = await api('POST', '/automations', {
        type: 'outgoing_webhook',
        surveyId: fx.survey.id,
        name: 'Contract',
        url: 'https://hooks.example.com/contract',
        enabled: false,
        variables: { mode: 'specific', ids: [fx.ids.singleVar, fx.ids.multipleVar, fx.ids.department] },
        labels: 'data',
      });
      const id = created.json().id as string;
      const res = await api('GET', `/automations/${id}/schema`);
      expect(res.statusCode, res.body).toBe(200);
      const { schema, example } = res.json();
      const variables = schema.properties.data.properties.variables;
      expect(Object.keys(variables.properties)).toEqual(['dept', 'colour', 'Q2']);
      expect(variables.additionalProperties).toBe(false);
      expect(variables.properties.colour.anyOf).toEqual([
        { type: 'string', enum: ['Red', 'Green', 'Blue'] },
        { type: 'null' },
      ]);
      expect(variables.properties.Q2.anyOf[0]).toEqual({
        type: 'array',
        items: { type: 'string', enum: ['Gym', 'Lunch', 'Home office'] },
      });
      const validate = ajv.compile(schema);
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);

      // A real response, held by the disabled automation: its stored message validates too.
      await api('PATCH', `/automations/${id}`, { enabled: true });
      await t.ctx.db.updateTable('automations').set({ enabled: 0, disabled_reason: 'failures' }).execute();
      const submitted = await api('POST', `/surveys/${fx.survey.id}/responses`, {
        respondent: { firstName: 'Kari', email: 'kari@example.com' },
        background: { [fx.ids.department]: 'Sales' },
        answers: { [fx.ids.single]: 3 },
      });
      const runId = submitted.json().runs[0].id as string;
      const message = (await api('GET', `/runs/${runId}`)).json().message as string;
      expect(validate(JSON.parse(message)), JSON.stringify(validate.errors)).toBe(true);

      // Codes and auto labels: the schema follows the settings saved now.
      await api('PATCH', `/automations/${id}`, { labels: 'auto', answerFormat: 'code' });
      const after = (await api('GET', `/automations/${id}/schema`)).json();
      const props = after.schema.properties.data.properties.variables.properties;
      expect(Object.keys(props)).toEqual(['Department', 'Q1', 'Q2']);
      expect(props.Q1.anyOf[0]).toEqual({ type: 'integer', enum: [1, 2, 3] });
      expect(validate(after.example)).toBe(false); // other keys than the old schema's
      expect(ajv.compile(after.schema)(after.example)).toBe(true);

      expect((await api('GET', `/automations/${id}/schema`, undefined, other.bearer)).statusCode).toBe(404);
    });
  });
}
