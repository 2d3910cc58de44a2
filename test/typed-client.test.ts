// The generated types are enough to drive the API: an openapi-fetch client typed only by
// web/src/lib/api-types.ts runs the whole runs workflow (survey → automation → response → runs list →
// run → replay) against a real server. It compiles under tsc --strict with no casts: a field the
// document lacked, or a response typed `never`, would fail the typecheck.
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths } from '../web/src/lib/api-types.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';

for (const engine of ENGINES) {
  describe(`the typed client (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let baseUrl = '';
    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => t.close());

    it('runs the runs workflow with generated types only', async () => {
      const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${owner.apiKey}` } });

      const survey = await api.POST('/api/v1/surveys', {
        body: {
          title: 'Typed',
          questions: [
            { type: 'single_choice', text: 'Colour?', options: [{ text: 'Red' }, { text: 'Blue' }] },
          ],
        },
      });
      expect(survey.response.status).toBe(201);
      if (!survey.data) throw new Error(JSON.stringify(survey.error));
      const question = survey.data.questions[0];
      if (!question) throw new Error('no question');

      const automation = await api.POST('/api/v1/automations', {
        body: {
          type: 'outgoing_webhook',
          surveyId: survey.data.id,
          name: 'Typed CRM',
          url: 'https://hooks.example.com/typed',
          variables: { mode: 'all' },
          labels: 'auto',
        },
      });
      if (!automation.data) throw new Error(JSON.stringify(automation.error));
      expect(automation.data.secret).toMatch(/^whsec_/);

      const response = await api.POST('/api/v1/surveys/{id}/responses', {
        params: { path: { id: survey.data.id } },
        body: { answers: { [question.id]: 2 } },
      });
      if (!response.data) throw new Error(JSON.stringify(response.error));
      const created = response.data.runs[0];
      expect(created?.automationId).toBe(automation.data.id);

      const runs = await api.GET('/api/v1/automations/{id}/runs', {
        params: { path: { id: automation.data.id }, query: { limit: 10 } },
      });
      if (!runs.data) throw new Error(JSON.stringify(runs.error));
      expect(runs.data.items.map((r) => r.id)).toEqual([created?.id]);
      const total: number = runs.data.counts.scheduled + runs.data.counts.running;
      expect(total).toBe(1);

      const runId = runs.data.items[0]?.id ?? '';
      const run = await api.GET('/api/v1/runs/{id}', { params: { path: { id: runId } } });
      if (!run.data) throw new Error(JSON.stringify(run.error));
      expect(JSON.parse(run.data.message).data.variables).toMatchObject({ Q1: 'Blue' });
      const attempts: number = run.data.attemptLog.length;
      expect(attempts).toBe(0);

      const replay = await api.POST('/api/v1/automations/{id}/runs/replay', {
        params: { path: { id: automation.data.id } },
        body: { runIds: [runId, 'run_unknown'] },
      });
      expect(replay.response.status).toBe(202);
      if (!replay.data) throw new Error(JSON.stringify(replay.error));
      expect(replay.data.replayed).toBe(1);
      expect(replay.data.skipped).toEqual([{ id: 'run_unknown', reason: 'not_found' }]);

      // Errors are typed too: the catalogue's envelope with the codes the document lists.
      const missing = await api.GET('/api/v1/runs/{id}', { params: { path: { id: 'run_missing' } } });
      expect(missing.response.status).toBe(404);
      const code: string | undefined = missing.error?.error.code;
      expect(code).toBe('NOT_FOUND');
    });
  });
}
