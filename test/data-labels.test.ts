import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

for (const engine of ENGINES) {
  describe(`data labels (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let survey: Json;
    // Variables by role.
    let v: Record<'first' | 'email' | 'dept' | 'choice' | 'row1' | 'row2' | 'text', string>;

    const call = (method: 'GET' | 'PUT', url: string, payload?: unknown, who: Caller = owner) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: who.bearer,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const put = (labels: Record<string, unknown>) =>
      call('PUT', `/surveys/${survey.id}/data-labels`, { labels });
    const read = async () => (await call('GET', `/surveys/${survey.id}/data-labels`)).json().items;

    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: owner.bearer,
        payload: {
          title: 'Labels',
          backgroundVariables: [{ name: 'Department' }],
          questions: [
            { type: 'single_choice', text: 'Pick', options: [{ text: 'a' }, { text: 'b' }] },
            {
              type: 'matrix',
              text: 'Rate',
              options: [{ text: 'lo' }, { text: 'hi' }],
              rows: [{ text: 'team' }, { text: 'manager' }],
            },
            { type: 'text', text: 'Why?' },
          ],
        },
      });
      survey = res.json();
      const ids = survey.variables.map((x: Json) => x.id);
      v = {
        first: ids[0],
        email: ids[2],
        dept: ids[3],
        choice: ids[4],
        row1: ids[5],
        row2: ids[6],
        text: ids[7],
      };
    });
    afterAll(async () => t.close());

    it('lists every variable with its auto label, data label and effective label', async () => {
      const items = await read();
      // Each with the automations that carry it under its data label: none on this survey.
      expect(items).toEqual(survey.variables.map((x: Json) => ({ ...x, usedBy: [] })));
      expect(items.map((x: Json) => [x.kind, x.autoLabel, x.dataLabel, x.label])).toEqual([
        ['background', 'FirstName', null, 'FirstName'],
        ['background', 'LastName', null, 'LastName'],
        ['background', 'Email', null, 'Email'],
        ['background', 'Department', null, 'Department'],
        ['question', 'Q1', null, 'Q1'],
        ['question', 'Q2_1', null, 'Q2_1'],
        ['question', 'Q2_2', null, 'Q2_2'],
        ['question', 'Q3', null, 'Q3'],
      ]);
    });

    it('sets labels for questions, matrix rows and background variables; the survey shows them', async () => {
      const res = await put({
        [v.dept]: 'dept',
        [v.choice]: 'pick',
        [v.row1]: 'rate_team',
        [v.first]: 'fname',
      });
      expect(res.statusCode).toBe(200);
      const byId = new Map(res.json().items.map((x: Json) => [x.id, x]));
      expect(byId.get(v.dept)).toMatchObject({ autoLabel: 'Department', dataLabel: 'dept', label: 'dept' });
      expect(byId.get(v.row1)).toMatchObject({
        autoLabel: 'Q2_1',
        dataLabel: 'rate_team',
        label: 'rate_team',
      });
      expect(byId.get(v.row2)).toMatchObject({ dataLabel: null, label: 'Q2_2' });
      const fresh = await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${survey.id}`,
        headers: owner.bearer,
      });
      expect(fresh.json().variables.map((x: Json) => ({ ...x, usedBy: [] }))).toEqual(res.json().items);
      expect(await read()).toEqual(res.json().items);
    });

    it('null or "" restores the auto label', async () => {
      await put({ [v.text]: 'why', [v.email]: 'mail' });
      const res = await put({ [v.text]: null, [v.email]: '' });
      expect(res.statusCode).toBe(200);
      const byId = new Map(res.json().items.map((x: Json) => [x.id, x]));
      expect(byId.get(v.text)).toMatchObject({ dataLabel: null, label: 'Q3' });
      expect(byId.get(v.email)).toMatchObject({ dataLabel: null, label: 'Email' });
      // Labels not named in the batch are untouched.
      expect(byId.get(v.dept)).toMatchObject({ dataLabel: 'dept' });
    });

    it('judges uniqueness after the whole batch: a swap in one request succeeds', async () => {
      const res = await put({ [v.dept]: 'pick', [v.choice]: 'dept' });
      expect(res.statusCode).toBe(200);
      const byId = new Map<string, Json>(res.json().items.map((x: Json) => [x.id, x]));
      expect([byId.get(v.dept).label, byId.get(v.choice).label]).toEqual(['pick', 'dept']);
      expect((await put({ [v.dept]: 'dept', [v.choice]: 'pick' })).statusCode).toBe(200);
    });

    const cases: [string, () => Record<string, unknown>, [keyof typeof v | string, string][]][] = [
      ['TOO_LONG', () => ({ [v.text]: 'a'.repeat(101) }), [['text', 'TOO_LONG']]],
      ['INVALID_CHARACTERS', () => ({ [v.text]: 'hvorfor?' }), [['text', 'INVALID_CHARACTERS']]],
      ['INVALID_CHARACTERS (space)', () => ({ [v.text]: 'two words' }), [['text', 'INVALID_CHARACTERS']]],
      ['RESERVED', () => ({ [v.dept]: 'q12' }), [['dept', 'RESERVED']]],
      ['RESERVED (row form)', () => ({ [v.dept]: 'Q9_9' }), [['dept', 'RESERVED']]],
      ['DUPLICATE of a data label', () => ({ [v.text]: 'PICK' }), [['text', 'DUPLICATE']]],
      ['DUPLICATE of an auto label', () => ({ [v.text]: 'email' }), [['text', 'DUPLICATE']]],
      [
        'DUPLICATE within the batch',
        () => ({ [v.text]: 'same', [v.row2]: 'Same' }),
        [
          ['text', 'DUPLICATE'],
          ['row2', 'DUPLICATE'],
        ],
      ],
      [
        'NOT_LABELABLE (option)',
        () => ({ [survey.questions[0].options[0].id]: 'opt' }),
        [['option', 'NOT_LABELABLE']],
      ],
      [
        'NOT_LABELABLE (matrix question)',
        () => ({ [survey.questions[1].id]: 'mx' }),
        [['matrix', 'NOT_LABELABLE']],
      ],
      [
        'NOT_LABELABLE (matrix row id)',
        () => ({ [survey.questions[1].rows[0].id]: 'r' }),
        [['rowid', 'NOT_LABELABLE']],
      ],
      ['UNKNOWN_VARIABLE', () => ({ var_nope: 'x' }), [['var_nope', 'UNKNOWN_VARIABLE']]],
    ];

    it.each(cases)(
      'refuses %s with 422 DATA_LABELS_INVALID and saves nothing',
      async (_name, labels, expected) => {
        const before = (
          await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${survey.id}`, headers: owner.bearer })
        ).json();
        // A valid change in the same batch is not saved either.
        const res = await put({ ...labels(), [v.email]: 'would_be_fine' });
        expect(res.statusCode).toBe(422);
        const error = res.json().error;
        expect(error.code).toBe('DATA_LABELS_INVALID');
        const idOf = (role: string) =>
          ({
            ...v,
            option: survey.questions[0].options[0].id,
            matrix: survey.questions[1].id,
            rowid: survey.questions[1].rows[0].id,
          })[role] ?? role;
        expect(error.details.map((d: Json) => [d.variableId, d.code])).toEqual(
          expected.map(([r, c]) => [idOf(r), c]),
        );
        for (const d of error.details) {
          expect(Object.keys(d).sort()).toEqual(['code', 'message', 'variableId']);
          expect(d.message.length).toBeGreaterThan(10);
        }
        const after = (
          await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${survey.id}`, headers: owner.bearer })
        ).json();
        expect(after).toEqual(before);
      },
    );

    it('reports every violation of a batch at once', async () => {
      const res = await put({ [v.text]: 'Q1', [v.row2]: `${'x'.repeat(100)}-`, var_nope: 'ok' });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.details.map((d: Json) => [d.variableId, d.code])).toEqual([
        [v.text, 'RESERVED'],
        [v.text, 'DUPLICATE'],
        [v.row2, 'TOO_LONG'],
        [v.row2, 'INVALID_CHARACTERS'],
        ['var_nope', 'UNKNOWN_VARIABLE'],
      ]);
    });

    it('answers 400 for a malformed body and 404 for another organization', async () => {
      for (const payload of [{}, { labels: { [v.text]: 5 } }, { labels: [] }]) {
        const res = await call('PUT', `/surveys/${survey.id}/data-labels`, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.details[0].field).toMatch(/^labels/);
      }
      const stranger = await signUpCaller(t.app);
      expect((await call('GET', `/surveys/${survey.id}/data-labels`, undefined, stranger)).statusCode).toBe(
        404,
      );
      const res = await call(
        'PUT',
        `/surveys/${survey.id}/data-labels`,
        { labels: { [v.text]: 'mine' } },
        stranger,
      );
      expect(res.statusCode).toBe(404);
      expect((await read()).find((x: Json) => x.id === v.text).dataLabel).toBeNull();
    });

    it('an empty batch changes nothing', async () => {
      const before = await read();
      const res = await put({});
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual(before);
    });
  });
}
