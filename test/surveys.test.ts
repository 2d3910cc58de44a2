import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const EVERY_TYPE = [
  { type: 'single_choice', text: 'How satisfied are you?', options: [{ text: 'Low' }, { text: 'High' }] },
  {
    type: 'multiple_choice',
    text: 'Which benefits?',
    options: [
      { text: 'Gym', code: 10 },
      { text: 'Lunch', code: 20 },
    ],
  },
  { type: 'text', text: 'What should we improve?' },
  { type: 'number', text: 'Hours last week?' },
  { type: 'scale', text: 'Recommend us?', min: 0, max: 10 },
  { type: 'date', text: 'When did you start?' },
  {
    type: 'matrix',
    text: 'Rate',
    options: [{ text: 'Poor' }, { text: 'Good' }],
    rows: [{ text: 'team' }, { text: 'manager' }],
  },
];

for (const engine of ENGINES) {
  describe(`surveys (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let stranger: Caller;

    const call = (
      who: Caller,
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
      url: string,
      payload?: unknown,
    ) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: who.bearer,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const create = async (payload: Json, who = owner): Promise<Json> => {
      const res = await call(who, 'POST', '/surveys', payload);
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const fieldsOf = (res: { json(): Json }) =>
      res.json().error.details.map((d: { field: string }) => d.field);
    const labelsOf = (survey: Json) => survey.variables.map((v: Json) => v.label);

    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app, 'Owner');
      stranger = await signUpCaller(t.app, 'Stranger');
    });
    afterAll(async () => t.close());

    it('creates a survey with system and custom background variables and a question of every type', async () => {
      const res = await call(owner, 'POST', '/surveys', {
        title: '  Pulse  ',
        backgroundVariables: [{ name: 'Avdeling/Seksjon' }],
        questions: EVERY_TYPE,
      });
      expect(res.statusCode).toBe(201);
      const s = res.json();
      expect(Object.keys(s).sort()).toEqual(
        [
          'anonymous',
          'backgroundVariables',
          'createdAt',
          'id',
          'publicToken',
          'questions',
          'title',
          'updatedAt',
          'variables',
        ].sort(),
      );
      expect(s.title).toBe('Pulse');
      expect(s.anonymous).toBe(false);
      expect(s.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(s.updatedAt).toBe(s.createdAt);
      // ≥ 128 bits of base64url.
      expect(s.publicToken).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(s.backgroundVariables.map((b: Json) => [b.name, b.system])).toEqual([
        ['First name', true],
        ['Last name', true],
        ['E-mail', true],
        ['Avdeling/Seksjon', false],
      ]);
      expect(s.questions.map((q: Json) => [q.type, q.position])).toEqual(
        EVERY_TYPE.map((q, i) => [q.type, i + 1]),
      );
      const [single, multi, text, , scale, , matrix] = s.questions;
      expect(Object.keys(single).sort()).toEqual([
        'id',
        'max',
        'min',
        'options',
        'position',
        'rows',
        'text',
        'type',
      ]);
      expect(single.options.map((o: Json) => o.code)).toEqual([1, 2]);
      expect(multi.options.map((o: Json) => o.code)).toEqual([10, 20]);
      expect(text).toMatchObject({ options: [], rows: [], min: null, max: null });
      expect(scale).toMatchObject({ min: 0, max: 10, options: [] });
      expect(matrix.rows).toHaveLength(2);
      expect(labelsOf(s)).toEqual([
        'FirstName',
        'LastName',
        'Email',
        'Avdeling_Seksjon',
        'Q1',
        'Q2',
        'Q3',
        'Q4',
        'Q5',
        'Q6',
        'Q7_1',
        'Q7_2',
      ]);
      const variable = s.variables[4];
      expect(Object.keys(variable).sort()).toEqual([
        'autoLabel',
        'dataLabel',
        'id',
        'kind',
        'label',
        'questionId',
        'text',
      ]);
      expect(variable).toMatchObject({
        kind: 'question',
        questionId: single.id,
        autoLabel: 'Q1',
        dataLabel: null,
        label: 'Q1',
      });
      expect(s.variables[0]).toMatchObject({
        kind: 'background',
        questionId: null,
        id: s.backgroundVariables[0].id,
      });
      expect(s.variables[10]).toMatchObject({
        id: matrix.rows[0].variableId,
        questionId: matrix.id,
        autoLabel: 'Q7_1',
      });
      const again = await call(owner, 'GET', `/surveys/${s.id}`);
      expect(again.json()).toEqual(s);
    });

    it('an anonymous survey has no system variables and cannot get them; custom ones are allowed', async () => {
      const s = await create({ title: 'Anon', anonymous: true, backgroundVariables: [{ name: 'Team' }] });
      expect(s.backgroundVariables).toEqual([{ id: expect.any(String), name: 'Team', system: false }]);
      const added = await call(owner, 'POST', `/surveys/${s.id}/background-variables`, { name: 'E-mail' });
      expect(added.statusCode).toBe(201);
      expect(added.json().backgroundVariables.every((b: Json) => b.system === false)).toBe(true);
      expect(added.json().variables.map((v: Json) => v.label)).toEqual(['Team', 'E_mail']);
    });

    it('answers 400 naming the field for bad surveys and questions', async () => {
      const cases: [Json, string][] = [
        [{ title: '' }, 'title'],
        [{ title: 'x'.repeat(201) }, 'title'],
        [{}, 'title'],
        [{ title: 'T', anonymous: 'yes' }, 'anonymous'],
        [{ title: 'T', backgroundVariables: [{ name: 'x'.repeat(101) }] }, 'backgroundVariables.0.name'],
        [{ title: 'T', backgroundVariables: [{ name: '' }] }, 'backgroundVariables.0.name'],
        [{ title: 'T', questions: [{ type: 'essay', text: 'x' }] }, 'questions.0.type'],
        [{ title: 'T', questions: [{ type: 'text', text: '' }] }, 'questions.0.text'],
        [{ title: 'T', questions: [{ type: 'text', text: 'x'.repeat(1001) }] }, 'questions.0.text'],
        [
          {
            title: 'T',
            questions: [
              { type: 'text', text: 'ok' },
              { type: 'single_choice', text: 'x' },
            ],
          },
          'questions.1.options',
        ],
        [
          { title: 'T', questions: [{ type: 'single_choice', text: 'x', options: [] }] },
          'questions.0.options',
        ],
        [
          { title: 'T', questions: [{ type: 'single_choice', text: 'x', options: [{ text: '' }] }] },
          'questions.0.options.0.text',
        ],
        [
          {
            title: 'T',
            questions: [{ type: 'single_choice', text: 'x', options: [{ text: 'y'.repeat(501) }] }],
          },
          'questions.0.options.0.text',
        ],
        [
          {
            title: 'T',
            questions: [
              {
                type: 'single_choice',
                text: 'x',
                options: Array.from({ length: 101 }, (_, i) => ({ text: `o${i}` })),
              },
            ],
          },
          'questions.0.options',
        ],
        [
          {
            title: 'T',
            questions: [
              { type: 'multiple_choice', text: 'x', options: [{ text: 'a', code: 2 }, { text: 'b' }] },
            ],
          },
          'questions.0.options.1.code',
        ],
        [
          // Two options a respondent could not tell apart ("Bra" / " bra ").
          {
            title: 'T',
            questions: [{ type: 'single_choice', text: 'x', options: [{ text: 'Bra' }, { text: ' bra ' }] }],
          },
          'questions.0.options.1.text',
        ],
        [
          {
            title: 'T',
            questions: [
              { type: 'matrix', text: 'x', options: [{ text: 'a' }], rows: [{ text: 'R' }, { text: 'r' }] },
            ],
          },
          'questions.0.rows.1.text',
        ],
        [
          {
            title: 'T',
            questions: [{ type: 'single_choice', text: 'x', options: [{ text: 'a', code: 1.5 }] }],
          },
          'questions.0.options.0.code',
        ],
        [
          { title: 'T', questions: [{ type: 'matrix', text: 'x', options: [{ text: 'a' }] }] },
          'questions.0.rows',
        ],
        [
          { title: 'T', questions: [{ type: 'matrix', text: 'x', options: [{ text: 'a' }], rows: [] }] },
          'questions.0.rows',
        ],
        [{ title: 'T', questions: [{ type: 'scale', text: 'x', min: 5, max: 5 }] }, 'questions.0.max'],
        [{ title: 'T', questions: [{ type: 'scale', text: 'x', min: 0, max: 1001 }] }, 'questions.0.max'],
        [{ title: 'T', questions: [{ type: 'scale', text: 'x', max: 5 }] }, 'questions.0.min'],
        [{ title: 'T', questions: [{ type: 'scale', text: 'x', min: 0.5, max: 5 }] }, 'questions.0.min'],
        [
          { title: 'T', questions: [{ type: 'text', text: 'x', options: [{ text: 'a' }] }] },
          'questions.0.options',
        ],
        [
          {
            title: 'T',
            questions: [
              { type: 'single_choice', text: 'x', options: [{ text: 'a' }], rows: [{ text: 'r' }] },
            ],
          },
          'questions.0.rows',
        ],
        [{ title: 'T', questions: [{ type: 'number', text: 'x', min: 1 }] }, 'questions.0.min'],
        [{ title: 'T', questions: [{ type: 'date', text: 'x', max: 1 }] }, 'questions.0.max'],
      ];
      for (const [payload, field] of cases) {
        const res = await call(owner, 'POST', '/surveys', payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        expect(fieldsOf(res), JSON.stringify(payload)).toContain(field);
        expect(res.json().error.message).toContain(field);
      }
      // The scale range is inclusive up to 1000; a span of exactly 1000 is fine.
      await create({ title: 'T', questions: [{ type: 'scale', text: 'x', min: -500, max: 500 }] });
      // Round-tripping a question read from the API (nulls and empty lists for unused fields) works.
      await create({
        title: 'T',
        questions: [{ type: 'text', text: 'x', options: [], rows: [], min: null, max: null }],
      });
    });

    it('lists surveys newest first with response counts, paged, only of the own organization', async () => {
      const caller = await signUpCaller(t.app, 'Lister');
      const a = await create({ title: 'A' }, caller);
      const b = await create({ title: 'B', anonymous: true }, caller);
      const c = await create({ title: 'C' }, caller);
      const now = Date.now();
      const responses = [a.id, a.id, c.id].map((surveyId, i) => ({
        id: `rsp_test_${engine}_${i}`,
        org_id: caller.orgId,
        survey_id: surveyId,
        completed_at: now,
        created_at: now,
        first_name: null,
        last_name: null,
        email: null,
        answers: '{}',
      }));
      await t.ctx.db.insertInto('responses').values(responses).execute();
      const list = await call(caller, 'GET', '/surveys');
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual({
        items: [
          { id: c.id, title: 'C', anonymous: false, createdAt: c.createdAt, responseCount: 1 },
          { id: b.id, title: 'B', anonymous: true, createdAt: b.createdAt, responseCount: 0 },
          { id: a.id, title: 'A', anonymous: false, createdAt: a.createdAt, responseCount: 2 },
        ],
        nextCursor: null,
      });
      const page1 = await call(caller, 'GET', '/surveys?limit=2');
      expect(page1.json().items.map((s: Json) => s.id)).toEqual([c.id, b.id]);
      const page2 = await call(caller, 'GET', `/surveys?limit=2&cursor=${page1.json().nextCursor}`);
      expect(page2.json()).toMatchObject({ items: [{ id: a.id }], nextCursor: null });
      expect((await call(caller, 'GET', '/surveys?limit=0')).statusCode).toBe(400);
      expect((await call(caller, 'GET', '/surveys?limit=101')).statusCode).toBe(400);
      const badCursor = await call(caller, 'GET', '/surveys?cursor=nonsense');
      expect(badCursor.statusCode).toBe(400);
      expect(fieldsOf(badCursor)).toEqual(['cursor']);
      const others = await call(stranger, 'GET', '/surveys');
      expect(others.json().items.map((s: Json) => s.id)).not.toContain(a.id);
    });

    it('renames and deletes a survey; deleting removes its responses and automations', async () => {
      const s = await create({ title: 'Old', questions: [{ type: 'text', text: 'x' }] });
      const renamed = await call(owner, 'PATCH', `/surveys/${s.id}`, { title: 'New' });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({
        id: s.id,
        title: 'New',
        questions: [{ id: s.questions[0].id }],
      });
      expect(fieldsOf(await call(owner, 'PATCH', `/surveys/${s.id}`, { title: '' }))).toEqual(['title']);
      await t.ctx.db
        .insertInto('responses')
        .values({
          id: `rsp_del_${engine}`,
          org_id: owner.orgId,
          survey_id: s.id,
          completed_at: 1,
          created_at: 1,
          first_name: null,
          last_name: null,
          email: null,
          answers: '{}',
        })
        .execute();
      await t.ctx.db
        .insertInto('automations')
        .values({
          id: `aut_del_${engine}`,
          org_id: owner.orgId,
          survey_id: s.id,
          type: 'outgoing_webhook',
          name: 'Hook',
          url: 'https://example.com/hook',
          enabled: 1,
          disabled_reason: null,
          disabled_at: null,
          variables: '{"mode":"all"}',
          labels: 'auto',
          answer_format: 'text',
          headers_enc: '',
          secret_enc: '',
          earlier_secrets: '[]',
          failure_streak: 0,
          lost_variables: '[]',
          created_at: 1,
          updated_at: 1,
        })
        .execute();
      expect((await call(owner, 'DELETE', `/surveys/${s.id}`)).statusCode).toBe(204);
      expect((await call(owner, 'GET', `/surveys/${s.id}`)).statusCode).toBe(404);
      expect((await call(owner, 'DELETE', `/surveys/${s.id}`)).statusCode).toBe(404);
      const left = await t.ctx.db
        .selectFrom('responses')
        .select('id')
        .where('survey_id', '=', s.id)
        .execute();
      expect(left).toEqual([]);
      const automations = await t.ctx.db
        .selectFrom('automations')
        .select('id')
        .where('survey_id', '=', s.id)
        .execute();
      expect(automations).toEqual([]);
    });

    it("answers 404 for another organization's survey and question ids on every route, changing nothing", async () => {
      const s = await create({ title: 'Mine', questions: [{ type: 'text', text: 'x' }] });
      const qid = s.questions[0].id;
      const attempts: [Parameters<typeof call>[1], string, unknown?][] = [
        ['GET', `/surveys/${s.id}`],
        ['PATCH', `/surveys/${s.id}`, { title: 'Hijacked' }],
        ['DELETE', `/surveys/${s.id}`],
        ['POST', `/surveys/${s.id}/questions`, { type: 'text', text: 'x' }],
        ['PATCH', `/surveys/${s.id}/questions/${qid}`, { text: 'y' }],
        ['DELETE', `/surveys/${s.id}/questions/${qid}`],
        ['POST', `/surveys/${s.id}/questions/${qid}/copy`],
        ['POST', `/surveys/${s.id}/background-variables`, { name: 'Team' }],
        ['POST', `/surveys/${s.id}/copy`, {}],
        ['GET', `/surveys/${s.id}/data-labels`],
        ['PUT', `/surveys/${s.id}/data-labels`, { labels: {} }],
        ['POST', `/surveys/${s.id}/share-as-template`, {}],
      ];
      for (const [method, url, payload] of attempts) {
        const res = await call(stranger, method, url, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
      // A question id of another survey is 404 in mine.
      const stranger1 = await create({ title: 'Theirs', questions: [{ type: 'text', text: 'x' }] }, stranger);
      const foreignQ = stranger1.questions[0].id;
      for (const [method, url, payload] of [
        ['PATCH', `/surveys/${s.id}/questions/${foreignQ}`, { text: 'y' }],
        ['DELETE', `/surveys/${s.id}/questions/${foreignQ}`],
        ['POST', `/surveys/${s.id}/questions/${foreignQ}/copy`],
      ] as const) {
        expect((await call(owner, method, url, payload)).statusCode).toBe(404);
      }
      expect((await call(owner, 'GET', `/surveys/${s.id}`)).json()).toEqual(s);
      expect((await call(owner, 'GET', '/surveys/srv_nope')).statusCode).toBe(404);
    });

    it('requires sign-in', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/surveys' });
      expect(res.statusCode).toBe(401);
      const viaSession = await t.app.inject({
        method: 'GET',
        url: '/api/v1/surveys',
        headers: owner.session,
      });
      expect(viaSession.statusCode).toBe(200);
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner.cookie },
        payload: { title: 'x' },
      });
      expect(noCsrf.statusCode).toBe(403);
    });

    it('adds questions at the end or at a position; later auto labels shift', async () => {
      const s = await create({
        title: 'Q',
        questions: [
          { type: 'text', text: 'first' },
          { type: 'text', text: 'second' },
        ],
      });
      const appended = await call(owner, 'POST', `/surveys/${s.id}/questions`, {
        type: 'number',
        text: 'third',
      });
      expect(appended.statusCode).toBe(201);
      expect(appended.json().questions.map((q: Json) => q.text)).toEqual(['first', 'second', 'third']);
      const inserted = await call(owner, 'POST', `/surveys/${s.id}/questions`, {
        type: 'scale',
        text: 'new first',
        min: 1,
        max: 5,
        position: 1,
      });
      expect(inserted.statusCode).toBe(201);
      const after = inserted.json();
      expect(after.questions.map((q: Json) => [q.text, q.position])).toEqual([
        ['new first', 1],
        ['first', 2],
        ['second', 3],
        ['third', 4],
      ]);
      // The variable ids of existing questions are stable; only their auto labels moved.
      const before = new Map(s.variables.map((v: Json) => [v.id, v.autoLabel]));
      const moved = after.variables.filter((v: Json) => before.has(v.id));
      expect(moved.map((v: Json) => [before.get(v.id), v.autoLabel])).toEqual([
        ['FirstName', 'FirstName'],
        ['LastName', 'LastName'],
        ['Email', 'Email'],
        ['Q1', 'Q2'],
        ['Q2', 'Q3'],
      ]);
      for (const [position, field] of [
        [6, 'position'],
        [0, 'position'],
        [1.5, 'position'],
      ] as const) {
        const bad = await call(owner, 'POST', `/surveys/${s.id}/questions`, {
          type: 'text',
          text: 'x',
          position,
        });
        expect(bad.statusCode).toBe(400);
        expect(fieldsOf(bad)).toContain(field);
      }
      const badOptions = await call(owner, 'POST', `/surveys/${s.id}/questions`, {
        type: 'single_choice',
        text: 'x',
        options: [
          { text: 'a', code: 3 },
          { text: 'b', code: 3 },
        ],
      });
      expect(fieldsOf(badOptions)).toEqual(['options.1.code']);
      expect((await call(owner, 'GET', `/surveys/${s.id}`)).json().questions).toHaveLength(4);
    });

    it('patches a question partially, keeping ids, variable ids and data labels where it can', async () => {
      const s = await create({
        title: 'Patch',
        questions: [
          { type: 'single_choice', text: 'Pick', options: [{ text: 'a' }, { text: 'b' }] },
          {
            type: 'matrix',
            text: 'Rate',
            options: [{ text: 'lo' }, { text: 'hi' }],
            rows: [{ text: 'r1' }, { text: 'r2' }],
          },
          { type: 'text', text: 'Last' },
        ],
      });
      const [choice, matrix] = s.questions;
      const choiceVar = s.variables.find((v: Json) => v.questionId === choice.id).id;
      await call(owner, 'PUT', `/surveys/${s.id}/data-labels`, {
        labels: { [choiceVar]: 'pick', [matrix.rows[1].variableId]: 'second_row' },
      });

      const text = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, {
        text: 'Pick one',
      });
      expect(text.statusCode).toBe(200);
      const q1 = text.json().questions[0];
      expect(q1).toEqual({ ...choice, text: 'Pick one' });

      // Options naming existing ids keep them; new ones get fresh ids and default codes.
      const opts = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, {
        options: [{ id: choice.options[1].id, text: 'b!', code: 2 }, { text: 'c' }],
      });
      expect(opts.statusCode, opts.body).toBe(400);
      expect(fieldsOf(opts)).toEqual(['options.1.code']);
      const opts2 = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, {
        options: [{ id: choice.options[1].id, text: 'b!', code: 7 }, { text: 'c' }],
      });
      expect(opts2.json().questions[0].options).toEqual([
        { id: choice.options[1].id, text: 'b!', code: 7 },
        { id: expect.any(String), text: 'c', code: 2 },
      ]);
      expect(opts2.json().questions[0].options[1].id).not.toBe(choice.options[0].id);

      // Rows keep their variable ids and data labels when named; removed rows go.
      const rows = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${matrix.id}`, {
        rows: [{ id: matrix.rows[1].id, text: 'second' }, { text: 'third' }],
      });
      expect(rows.statusCode).toBe(200);
      const m = rows.json().questions[1];
      expect(m.rows[0]).toEqual({
        id: matrix.rows[1].id,
        text: 'second',
        variableId: matrix.rows[1].variableId,
      });
      expect(
        rows
          .json()
          .variables.filter((v: Json) => v.questionId === matrix.id)
          .map((v: Json) => v.label),
      ).toEqual(['second_row', 'Q2_2']);

      const unknownRow = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${matrix.id}`, {
        rows: [{ id: 'row_nope', text: 'x' }],
      });
      expect(fieldsOf(unknownRow)).toEqual(['rows.0.id']);

      // Changing the type drops what the new type does not use and keeps the variable and its label.
      const toText = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, { type: 'text' });
      expect(toText.statusCode).toBe(200);
      expect(toText.json().questions[0]).toMatchObject({
        type: 'text',
        options: [],
        rows: [],
        min: null,
        max: null,
      });
      expect(toText.json().variables.find((v: Json) => v.questionId === choice.id)).toMatchObject({
        id: choiceVar,
        dataLabel: 'pick',
      });
      const toScale = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, {
        type: 'scale',
      });
      expect(toScale.statusCode).toBe(400);
      expect(fieldsOf(toScale)).toEqual(['min', 'max']);
      const badRange = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, {
        type: 'scale',
        min: 3,
        max: 1,
      });
      expect(fieldsOf(badRange)).toEqual(['max']);
      const unused = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, {
        options: [{ text: 'x' }],
      });
      expect(fieldsOf(unused)).toEqual(['options']);
      const emptyText = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, { text: '' });
      expect(fieldsOf(emptyText)).toEqual(['text']);
      const badType = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, {
        type: 'essay',
      });
      expect(fieldsOf(badType)).toEqual(['type']);

      // Moving a question.
      const moved = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, { position: 3 });
      expect(moved.json().questions.map((q: Json) => q.id)).toEqual([
        matrix.id,
        s.questions[2].id,
        choice.id,
      ]);
      const tooFar = await call(owner, 'PATCH', `/surveys/${s.id}/questions/${choice.id}`, { position: 4 });
      expect(fieldsOf(tooFar)).toEqual(['position']);
    });

    it('deletes a question; later auto labels shift', async () => {
      const s = await create({
        title: 'Del',
        anonymous: true,
        questions: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
          { type: 'text', text: 'c' },
        ],
      });
      const res = await call(owner, 'DELETE', `/surveys/${s.id}/questions/${s.questions[0].id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().questions.map((q: Json) => [q.text, q.position])).toEqual([
        ['b', 1],
        ['c', 2],
      ]);
      expect(labelsOf(res.json())).toEqual(['Q1', 'Q2']);
      expect(
        (await call(owner, 'DELETE', `/surveys/${s.id}/questions/${s.questions[0].id}`)).statusCode,
      ).toBe(404);
    });

    it('copies a question right after the original with fresh ids and an auto label instead of the data label', async () => {
      const s = await create({
        title: 'Copy q',
        anonymous: true,
        questions: [
          {
            type: 'matrix',
            text: 'Rate',
            options: [
              { text: 'lo', code: 5 },
              { text: 'hi', code: 9 },
            ],
            rows: [{ text: 'r1' }, { text: 'r2' }],
          },
          { type: 'single_choice', text: 'Pick', options: [{ text: 'a' }] },
          { type: 'text', text: 'After' },
        ],
      });
      const [matrix, choice, after] = s.questions;
      const vars = s.variables;
      await call(owner, 'PUT', `/surveys/${s.id}/data-labels`, {
        labels: { [vars[0].id]: 'rate_first', [vars[2].id]: 'pick', [vars[3].id]: 'after' },
      });
      const res = await call(owner, 'POST', `/surveys/${s.id}/questions/${choice.id}/copy`);
      expect(res.statusCode).toBe(201);
      const copied = res.json();
      expect(copied.questions.map((q: Json) => q.text)).toEqual(['Rate', 'Pick', 'Pick', 'After']);
      const copy = copied.questions[2];
      expect(copy.id).not.toBe(choice.id);
      expect(copy.options.map((o: Json) => [o.text, o.code])).toEqual([['a', 1]]);
      expect(copy.options[0].id).not.toBe(choice.options[0].id);
      expect(copied.variables.map((v: Json) => [v.autoLabel, v.label])).toEqual([
        ['Q1_1', 'rate_first'],
        ['Q1_2', 'Q1_2'],
        ['Q2', 'pick'],
        ['Q3', 'Q3'], // the copy: an auto label, the data label is not copied
        ['Q4', 'after'], // the later question's auto label shifted; its data label stays
      ]);
      expect(copied.variables[3].questionId).toBe(copy.id);
      expect(new Set(copied.variables.map((v: Json) => v.id)).size).toBe(5);

      const matrixCopy = await call(owner, 'POST', `/surveys/${s.id}/questions/${matrix.id}/copy`);
      const m = matrixCopy.json().questions[1];
      expect(m.rows.map((r: Json) => r.text)).toEqual(['r1', 'r2']);
      expect(m.options.map((o: Json) => o.code)).toEqual([5, 9]);
      for (const [i, row] of m.rows.entries()) {
        expect(row.id).not.toBe(matrix.rows[i].id);
        expect(row.variableId).not.toBe(matrix.rows[i].variableId);
      }
      expect(
        matrixCopy
          .json()
          .variables.slice(0, 4)
          .map((v: Json) => v.label),
      ).toEqual(['rate_first', 'Q1_2', 'Q2_1', 'Q2_2']);
      expect(after.id).toBe(matrixCopy.json().questions[4].id);
    });

    it('adds custom background variables with unique auto labels; bad names are 400', async () => {
      const s = await create({ title: 'BG' });
      const first = await call(owner, 'POST', `/surveys/${s.id}/background-variables`, { name: 'Avdeling' });
      expect(first.statusCode).toBe(201);
      const second = await call(owner, 'POST', `/surveys/${s.id}/background-variables`, {
        name: 'avdeling!',
      });
      const third = await call(owner, 'POST', `/surveys/${s.id}/background-variables`, { name: 'Q1' });
      expect(second.statusCode).toBe(201);
      expect(labelsOf(third.json())).toEqual([
        'FirstName',
        'LastName',
        'Email',
        'Avdeling',
        'avdeling_2',
        'BG_Q1',
      ]);
      expect(third.json().backgroundVariables[4]).toEqual({
        id: third.json().variables[4].id,
        name: 'avdeling!',
        system: false,
      });
      for (const name of ['', 'x'.repeat(101)]) {
        const bad = await call(owner, 'POST', `/surveys/${s.id}/background-variables`, { name });
        expect(bad.statusCode).toBe(400);
        expect(fieldsOf(bad)).toEqual(['name']);
      }
      // A name whose auto label an owner already chose as a data label is refused (labels stay unique).
      await call(owner, 'PUT', `/surveys/${s.id}/data-labels`, {
        labels: { [third.json().variables[3].id]: 'Team' },
      });
      const clash = await call(owner, 'POST', `/surveys/${s.id}/background-variables`, { name: 'team' });
      expect(clash.statusCode).toBe(400);
      expect(fieldsOf(clash)).toEqual(['name']);
      expect((await call(owner, 'GET', `/surveys/${s.id}`)).json().backgroundVariables).toHaveLength(6);
    });

    it('copies a survey: fresh ids and public token, data labels kept, default title "Copy of …"', async () => {
      const s = await create({
        title: 'Original',
        backgroundVariables: [{ name: 'Department' }],
        questions: EVERY_TYPE,
      });
      const labels = {
        [s.variables[3].id]: 'dept',
        [s.variables[4].id]: 'satisfaction',
        [s.variables[11].id]: 'rate_manager',
      };
      expect((await call(owner, 'PUT', `/surveys/${s.id}/data-labels`, { labels })).statusCode).toBe(200);
      const original = (await call(owner, 'GET', `/surveys/${s.id}`)).json();

      const res = await call(owner, 'POST', `/surveys/${s.id}/copy`);
      expect(res.statusCode).toBe(201);
      const copy = res.json();
      expect(copy.title).toBe('Copy of Original');
      expect(copy.id).not.toBe(s.id);
      expect(copy.publicToken).not.toBe(s.publicToken);
      expect(copy.anonymous).toBe(false);
      expect(copy.variables.map((v: Json) => [v.kind, v.text, v.autoLabel, v.dataLabel, v.label])).toEqual(
        original.variables.map((v: Json) => [v.kind, v.text, v.autoLabel, v.dataLabel, v.label]),
      );
      expect(
        copy.questions.map((q: Json) => ({
          ...q,
          id: 0,
          options: q.options.map((o: Json) => [o.text, o.code]),
          rows: q.rows.map((r: Json) => r.text),
        })),
      ).toEqual(
        original.questions.map((q: Json) => ({
          ...q,
          id: 0,
          options: q.options.map((o: Json) => [o.text, o.code]),
          rows: q.rows.map((r: Json) => r.text),
        })),
      );
      const idsOf = (x: Json) => [
        ...x.variables.map((v: Json) => v.id),
        ...x.questions.flatMap((q: Json) => [
          q.id,
          ...q.options.map((o: Json) => o.id),
          ...q.rows.map((r: Json) => r.id),
        ]),
      ];
      const shared = idsOf(copy).filter((id: string) => idsOf(original).includes(id));
      expect(shared).toEqual([]);

      const titled = await call(owner, 'POST', `/surveys/${s.id}/copy`, { title: 'Named copy' });
      expect(titled.json().title).toBe('Named copy');
      const long = await create({ title: 'x'.repeat(200) });
      const longCopy = await call(owner, 'POST', `/surveys/${long.id}/copy`, {});
      expect(longCopy.json().title).toHaveLength(200);
      expect(fieldsOf(await call(owner, 'POST', `/surveys/${s.id}/copy`, { title: '' }))).toEqual(['title']);
      // The copy is independent of the original.
      await call(owner, 'DELETE', `/surveys/${s.id}/questions/${s.questions[0].id}`);
      expect((await call(owner, 'GET', `/surveys/${copy.id}`)).json().questions).toHaveLength(7);
    });

    it('never loses a concurrent edit', async () => {
      const s = await create({ title: 'Race', anonymous: true });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          call(owner, 'POST', `/surveys/${s.id}/questions`, { type: 'text', text: `q${i}` }),
        ),
      );
      expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
      const final = (await call(owner, 'GET', `/surveys/${s.id}`)).json();
      expect(final.questions.map((q: Json) => q.text).sort()).toEqual(['q0', 'q1', 'q2', 'q3', 'q4', 'q5']);
      const [renamed, labelled] = await Promise.all([
        call(owner, 'PATCH', `/surveys/${s.id}`, { title: 'Renamed' }),
        call(owner, 'PUT', `/surveys/${s.id}/data-labels`, { labels: { [final.variables[0].id]: 'first' } }),
      ]);
      expect([renamed.statusCode, labelled.statusCode]).toEqual([200, 200]);
      const after = (await call(owner, 'GET', `/surveys/${s.id}`)).json();
      expect(after.title).toBe('Renamed');
      expect(after.variables[0].dataLabel).toBe('first');
    });

    it('documents the routes in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      const paths = Object.keys(res.json().paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/surveys',
          '/api/v1/surveys/{id}',
          '/api/v1/surveys/{id}/questions/{qid}/copy',
          '/api/v1/surveys/{id}/data-labels',
          '/api/v1/templates/{id}/surveys',
        ]),
      );
    });
  });
}
