import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { PUBLIC_SUBMISSIONS } from '../src/surveys/public.service.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

for (const engine of ENGINES) {
  describe(`respondent page (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let named: SurveyFixture;
    let anonymous: SurveyFixture;
    // A fixed clock keeps the rate-limit window from rolling over in the middle of a test.
    const clock = new ManualClock(Date.parse('2026-01-15T12:00:10Z'));
    let address = 0;
    const nextAddress = () => `198.51.100.${++address}`;

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      owner = await signUpCaller(t.app);
      named = await createSurveyFixture(t.ctx.db, owner.orgId);
      anonymous = await createSurveyFixture(t.ctx.db, owner.orgId, { anonymous: true });
    });
    afterAll(async () => t.close());

    const view = (token: string) => t.app.inject({ method: 'GET', url: `/api/v1/public/surveys/${token}` });
    const submit = (token: string, payload: object, remoteAddress = nextAddress()) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/public/surveys/${token}/responses`,
        payload,
        remoteAddress,
      });

    it('shows the survey as a respondent sees it, without labels or internal ids', async () => {
      const res = await view(named.survey.publicToken);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const ids = named.ids;
      expect(body).toMatchObject({
        title: 'Pulse',
        anonymous: false,
        asksIdentity: true,
        identityFields: ['firstName', 'lastName', 'email'],
        backgroundVariables: [{ id: ids.department, name: 'Department' }],
      });
      expect(body.questions.map((q: { id: string; type: string }) => [q.id, q.type])).toEqual([
        [ids.single, 'single_choice'],
        [ids.multiple, 'multiple_choice'],
        [ids.text, 'text'],
        [ids.number, 'number'],
        [ids.scale, 'scale'],
        [ids.date, 'date'],
        [ids.matrix, 'matrix'],
      ]);
      expect(body.questions[0]).toEqual({
        id: ids.single,
        type: 'single_choice',
        text: 'Favourite colour?',
        position: 1,
        options: [
          { text: 'Red', code: 1 },
          { text: 'Green', code: 2 },
          { text: 'Blue', code: 3 },
        ],
        rows: [],
        min: null,
        max: null,
      });
      expect(body.questions[4]).toMatchObject({ min: 1, max: 5 });
      expect(body.questions[6].rows).toEqual([
        { variableId: ids.matrixRows[0], text: 'your team' },
        { variableId: ids.matrixRows[1], text: 'your manager' },
      ]);
      const text = res.body;
      for (const secret of [
        'dataLabel',
        'autoLabel',
        '"dept"',
        '"colour"',
        named.survey.id,
        owner.orgId,
        'publicToken',
      ])
        expect(text).not.toContain(secret);
      expect(text).not.toContain(named.survey.definition.questions[0]!.options[0]!.id);
    });

    it('asks no identity on an anonymous survey; an unknown token is 404', async () => {
      const body = (await view(anonymous.survey.publicToken)).json();
      expect(body).toMatchObject({ anonymous: true, asksIdentity: false, identityFields: [] });
      expect(body.backgroundVariables).toEqual([{ id: anonymous.ids.department, name: 'Department' }]);
      const missing = await view('no-such-token');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('NOT_FOUND');
      expect((await submit('no-such-token', { answers: {} })).statusCode).toBe(404);
    });

    it('takes a response without sign-in and answers only its id', async () => {
      const ids = named.ids;
      const res = await submit(named.survey.publicToken, {
        respondent: { firstName: 'Ola', email: 'ola@example.no' },
        background: { [ids.department]: 'IT' },
        answers: { [ids.single]: 1, [ids.matrixRows[1]]: 2, [ids.date]: '2025-12-24' },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ id: expect.stringMatching(/^rsp_/) });
      const list = await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${named.survey.id}/responses`,
        headers: owner.bearer,
      });
      expect(list.json().items[0]).toMatchObject({
        id: res.json().id,
        completedAt: '2026-01-15T12:00:10.000Z',
        respondent: { firstName: 'Ola', lastName: null, email: 'ola@example.no' },
        background: { [ids.department]: 'IT' },
        answers: { [ids.singleVar]: 1, [ids.matrixRows[1]]: 2, [ids.dateVar]: '2025-12-24' },
      });
    });

    it('validates like the API: bad values are 400 naming the field, identity on anonymous is refused', async () => {
      const bad = await submit(named.survey.publicToken, {
        answers: { [named.ids.scale]: 11, [named.ids.multiple]: [1, 1], var_x: 1 },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('RESPONSE_INVALID');
      expect(bad.json().error.details.map((d: { field: string }) => d.field)).toEqual([
        `answers.${named.ids.scale}`,
        `answers.${named.ids.multiple}`,
        'answers.var_x',
      ]);
      const identity = await submit(anonymous.survey.publicToken, {
        respondent: { email: 'who@example.no' },
        answers: {},
      });
      expect(identity.statusCode).toBe(400);
      expect(identity.json().error).toMatchObject({
        code: 'ANONYMOUS_SURVEY',
        details: [{ field: 'respondent.email' }],
      });
      // Sent without answering anything (blank text, no choice): nothing is stored, nothing delivered.
      const blank = await submit(named.survey.publicToken, {
        answers: { [named.ids.text]: '  ', [named.ids.multiple]: [], [named.ids.scale]: null },
      });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().error).toMatchObject({
        code: 'RESPONSE_INVALID',
        details: [{ field: 'answers', code: 'NO_ANSWER' }],
      });
      const shape = await submit(named.survey.publicToken, { answers: 'all good' });
      expect(shape.statusCode).toBe(400);
      expect(shape.json().error.code).toBe('VALIDATION_FAILED');
    });

    it(`allows ${PUBLIC_SUBMISSIONS.limit} submissions a minute per address, then 429 with Retry-After`, async () => {
      const ip = nextAddress();
      const token = anonymous.survey.publicToken;
      for (let i = 0; i < PUBLIC_SUBMISSIONS.limit; i++) {
        const res = await submit(token, { answers: { [anonymous.ids.number]: i } }, ip);
        expect(res.statusCode).toBe(201);
      }
      const limited = await submit(token, { answers: { [anonymous.ids.number]: 1 } }, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect(limited.headers['retry-after']).toBe('50');
      // Other respondents are not affected, and the window ends.
      expect(
        (await submit(token, { answers: { [anonymous.ids.number]: 1 } }, nextAddress())).statusCode,
      ).toBe(201);
      clock.advance(50_000);
      expect((await submit(token, { answers: { [anonymous.ids.number]: 1 } }, ip)).statusCode).toBe(201);
    });
  });
}
