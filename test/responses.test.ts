import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

type Detail = { field: string; code?: string; message: string };

for (const engine of ENGINES) {
  describe(`responses (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let other: Caller;
    let named: SurveyFixture;
    let anonymous: SurveyFixture;

    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app, 'Owner');
      other = await signUpCaller(t.app, 'Other');
      named = await createSurveyFixture(t.ctx.db, owner.orgId);
      anonymous = await createSurveyFixture(t.ctx.db, owner.orgId, { anonymous: true });
    });
    afterAll(async () => t.close());

    const submit = (surveyId: string, payload: unknown, headers = owner.bearer) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${surveyId}/responses`,
        headers,
        payload: payload as object,
      });
    const list = (surveyId: string, query = '', headers = owner.bearer) =>
      t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses${query}`, headers });
    const fieldsOf = (body: { error: { details: Detail[] } }) => body.error.details.map((d) => d.field);

    it('stores a response with every question type and lists it keyed by variable id', async () => {
      const ids = named.ids;
      const res = await submit(named.survey.id, {
        respondent: { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.no' },
        background: { [ids.department]: 'Økonomi' },
        answers: {
          [ids.single]: 3,
          [ids.multiple]: [2, 1],
          [ids.text]: 'Flere møterom, takk',
          [ids.number]: 37.5,
          [ids.scale]: 4,
          [ids.date]: '2020-02-29',
          [ids.matrixRows[0]]: 2,
          [ids.matrixRows[1]]: null,
        },
        completedAt: '2026-01-10T08:30:00Z',
      });
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created).toEqual({
        id: expect.stringMatching(/^rsp_/),
        surveyId: named.survey.id,
        completedAt: '2026-01-10T08:30:00.000Z',
        runs: [],
      });

      const page = await list(named.survey.id);
      expect(page.statusCode).toBe(200);
      expect(page.json().items[0]).toEqual({
        id: created.id,
        surveyId: named.survey.id,
        completedAt: '2026-01-10T08:30:00.000Z',
        respondent: { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.no' },
        background: { [ids.department]: 'Økonomi' },
        answers: {
          [ids.singleVar]: 3,
          [ids.multipleVar]: [1, 2],
          [ids.textVar]: 'Flere møterom, takk',
          [ids.numberVar]: 37.5,
          [ids.scaleVar]: 4,
          [ids.dateVar]: '2020-02-29',
          [ids.matrixRows[0]]: 2,
        },
      });
    });

    it('creates a run per automation taking runs, stored with the response, and answers them', async () => {
      const survey = await createSurveyFixture(t.ctx.db, owner.orgId);
      const automation = async (enabled: boolean) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/automations',
          headers: owner.bearer,
          payload: {
            type: 'outgoing_webhook',
            surveyId: survey.survey.id,
            name: enabled ? 'CRM' : 'Paused',
            url: 'https://example.com/hook',
            enabled,
            variables: { mode: 'all' },
            labels: 'auto',
          },
        });
        expect(res.statusCode).toBe(201);
        return res.json().id as string;
      };
      const enabledId = await automation(true);
      await automation(false);
      const res = await submit(survey.survey.id, {
        respondent: { firstName: 'Kari' },
        answers: { [survey.ids.scale]: 5 },
      });
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created.runs).toEqual([
        { id: expect.any(String), automationId: enabledId, status: 'scheduled' },
      ]);
      const runs = await t.ctx.db
        .selectFrom('runs')
        .select(['id', 'response_id'])
        .where('automation_id', '=', enabledId)
        .execute();
      expect(runs).toEqual([{ id: created.runs[0].id, response_id: created.id }]);
    });

    it('stores no response when its runs cannot be created (one transaction)', async () => {
      const survey = await createSurveyFixture(t.ctx.db, owner.orgId);
      const now = Date.now();
      // A corrupt automation row makes run creation throw after the response row was inserted.
      await t.ctx.db
        .insertInto('automations')
        .values({
          id: 'aut_corrupt',
          org_id: owner.orgId,
          survey_id: survey.survey.id,
          type: 'outgoing_webhook',
          name: 'Corrupt',
          url: 'https://example.com/hook',
          enabled: 1,
          disabled_reason: null,
          disabled_at: null,
          variables: 'not json',
          labels: 'auto',
          answer_format: 'text',
          headers_enc: '',
          secret_enc: '',
          earlier_secrets: '[]',
          failure_streak: 0,
          lost_variables: '[]',
          created_at: now,
          updated_at: now,
        })
        .execute();
      const res = await submit(survey.survey.id, { answers: { [survey.ids.scale]: 2 } });
      // (The error handler currently reports a server-side SyntaxError as 400 INVALID_JSON.)
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect((await list(survey.survey.id)).json().items).toEqual([]);
    });

    it('accepts an empty response (every question is optional) completed now, by session too', async () => {
      const before = Date.now();
      const res = await submit(named.survey.id, { answers: {} }, owner.session);
      expect(res.statusCode).toBe(201);
      expect(Date.parse(res.json().completedAt)).toBeGreaterThanOrEqual(before - 1000);
    });

    it.each([
      ['single choice: unknown option', 'single', 7, 'UNKNOWN_OPTION'],
      ['single choice: wrong type', 'single', 'Blue', 'WRONG_TYPE'],
      ['multiple choice: unknown option', 'multiple', [1, 4], 'UNKNOWN_OPTION'],
      ['multiple choice: wrong type', 'multiple', 'Gym', 'WRONG_TYPE'],
      ['text: wrong type', 'text', { a: 1 }, 'WRONG_TYPE'],
      ['text: too long', 'text', 'x'.repeat(10_001), 'TOO_LONG'],
      ['number: wrong type', 'number', '7', 'WRONG_TYPE'],
      ['scale: out of range', 'scale', 9, 'OUT_OF_RANGE'],
      ['scale: wrong type', 'scale', 3.5, 'WRONG_TYPE'],
      ['date: not a calendar date', 'date', '2026-02-30', 'INVALID_DATE'],
      ['date: wrong type', 'date', 1, 'WRONG_TYPE'],
      ['matrix: keyed by the question id', 'matrix', 1, 'MATRIX_ROW_REQUIRED'],
    ] as const)('rejects %s with 400 RESPONSE_INVALID naming the field', async (_name, key, value, code) => {
      const id = named.ids[key];
      const res = await submit(named.survey.id, { answers: { [id]: value } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'RESPONSE_INVALID',
        details: [{ field: `answers.${id}`, code }],
      });
    });

    it('rejects a matrix row answer that is not an option, and unknown variables', async () => {
      const res = await submit(named.survey.id, {
        answers: { [named.ids.matrixRows[0]]: 5, var_unknown: 1 },
        background: { var_nobody: 'x' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('RESPONSE_INVALID');
      expect(fieldsOf(res.json())).toEqual([
        'background.var_nobody',
        `answers.${named.ids.matrixRows[0]}`,
        'answers.var_unknown',
      ]);
    });

    it('reports every fault of one submission together and stores nothing', async () => {
      const before = (await list(named.survey.id, '?limit=100')).json().items.length;
      const res = await submit(named.survey.id, {
        respondent: { email: 'nope' },
        answers: { [named.ids.scale]: 0, [named.ids.date]: '2026-1-5', [named.ids.single]: 1 },
        completedAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res.json())).toEqual([
        'respondent.email',
        `answers.${named.ids.scale}`,
        `answers.${named.ids.date}`,
        'completedAt',
      ]);
      expect((await list(named.survey.id, '?limit=100')).json().items.length).toBe(before);
    });

    it('answers wrong shapes with VALIDATION_FAILED', async () => {
      const noAnswers = await submit(named.survey.id, { respondent: { firstName: 'A' } });
      expect(noAnswers.statusCode).toBe(400);
      expect(noAnswers.json().error.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(noAnswers.json())).toContain('answers');
      const badName = await submit(named.survey.id, { respondent: { firstName: 5 }, answers: {} });
      expect(badName.statusCode).toBe(400);
      expect(fieldsOf(badName.json())).toContain('respondent.firstName');
      const listAnswers = await submit(named.survey.id, { answers: [1, 2] });
      expect(listAnswers.statusCode).toBe(400);
      expect(listAnswers.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('refuses identity on an anonymous survey with ANONYMOUS_SURVEY and stores no name', async () => {
      const res = await submit(anonymous.survey.id, {
        respondent: { lastName: 'Nordmann', email: 'kari@example.no' },
        answers: { [anonymous.ids.scale]: 3 },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('ANONYMOUS_SURVEY');
      expect(fieldsOf(res.json())).toEqual(['respondent.lastName', 'respondent.email']);

      const ok = await submit(anonymous.survey.id, {
        background: { [anonymous.ids.department]: 'Sales' },
        answers: { [anonymous.ids.scale]: 3 },
      });
      expect(ok.statusCode).toBe(201);
      const items = (await list(anonymous.survey.id)).json().items;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        respondent: null,
        background: { [anonymous.ids.department]: 'Sales' },
        answers: { [anonymous.ids.scaleVar]: 3 },
      });
      const row = await t.ctx.db
        .selectFrom('responses')
        .select(['first_name', 'last_name', 'email'])
        .where('survey_id', '=', anonymous.survey.id)
        .execute();
      expect(row).toEqual([{ first_name: null, last_name: null, email: null }]);
    });

    it("answers 404 for another organization's survey and 401 without sign-in", async () => {
      const id = named.survey.id;
      expect((await submit(id, { answers: {} }, other.bearer)).statusCode).toBe(404);
      expect((await list(id, '', other.bearer)).statusCode).toBe(404);
      const csv = await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${id}/responses.csv`,
        headers: other.bearer,
      });
      expect(csv.statusCode).toBe(404);
      expect(csv.json().error.code).toBe('NOT_FOUND');
      expect((await submit('srv_nothing', { answers: {} })).statusCode).toBe(404);
      expect((await submit(id, { answers: {} }, {})).statusCode).toBe(401);
    });

    it('pages through responses newest first without duplicates or gaps', async () => {
      const paged = await createSurveyFixture(t.ctx.db, owner.orgId);
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await submit(paged.survey.id, { answers: { [paged.ids.number]: i } });
        created.push(res.json().id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = (await list(paged.survey.id, query)).json();
        seen.push(...page.items.map((r: { id: string }) => r.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual([...created].reverse());

      const all = (await list(paged.survey.id, '?limit=7')).json();
      expect(all.items).toHaveLength(7);
      expect(all.nextCursor).toBeNull();
      expect((await list(paged.survey.id)).json().items).toHaveLength(7);
    });

    it('documents the routes in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      expect(Object.keys(res.json().paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/surveys/{id}/responses',
          '/api/v1/surveys/{id}/responses.csv',
          '/api/v1/public/surveys/{token}',
          '/api/v1/public/surveys/{token}/responses',
        ]),
      );
    });

    it('refuses a bad cursor or limit with 400 naming the field', async () => {
      const bad = await list(named.survey.id, '?cursor=not-a-cursor');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('cursor');
      for (const limit of ['0', '101', 'x']) {
        const res = await list(named.survey.id, `?limit=${limit}`);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.details[0].field).toBe('limit');
      }
    });
  });
}
