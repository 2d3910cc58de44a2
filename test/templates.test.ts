import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The structure of a survey without its ids: what a template must reproduce. */
function shape(s: Json) {
  return {
    anonymous: s.anonymous,
    backgroundVariables: s.backgroundVariables.map((b: Json) => [b.name, b.system]),
    questions: s.questions.map((q: Json) => ({
      type: q.type,
      text: q.text,
      position: q.position,
      options: q.options.map((o: Json) => [o.text, o.code]),
      rows: q.rows.map((r: Json) => r.text),
      min: q.min,
      max: q.max,
    })),
    variables: s.variables.map((x: Json) => [x.kind, x.text, x.autoLabel, x.dataLabel, x.label]),
  };
}

function idsOf(s: Json): string[] {
  return [
    ...s.variables.map((x: Json) => x.id),
    ...s.questions.flatMap((q: Json) => [
      q.id,
      ...q.options.map((o: Json) => o.id),
      ...q.rows.map((r: Json) => r.id),
    ]),
  ];
}

for (const engine of ENGINES) {
  describe(`templates (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let stranger: Caller;
    let source: Json;

    const call = (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      payload?: unknown,
      who = owner,
    ) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: who.bearer,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      stranger = await signUpCaller(t.app);
      const created = await call('POST', '/surveys', {
        title: 'Onboarding',
        backgroundVariables: [{ name: 'Avdeling' }],
        questions: [
          {
            type: 'single_choice',
            text: 'Pick',
            options: [
              { text: 'a', code: 3 },
              { text: 'b', code: 4 },
            ],
          },
          {
            type: 'matrix',
            text: 'Rate',
            options: [{ text: 'lo' }, { text: 'hi' }],
            rows: [{ text: 'team' }, { text: 'manager' }],
          },
          { type: 'scale', text: 'Score', min: 1, max: 7 },
        ],
      });
      const s = created.json();
      await call('PUT', `/surveys/${s.id}/data-labels`, {
        labels: {
          [s.variables[3].id]: 'dept',
          [s.variables[4].id]: 'pick',
          [s.variables[6].id]: 'rate_manager',
        },
      });
      source = (await call('GET', `/surveys/${s.id}`)).json();
    });
    afterAll(async () => t.close());

    it('shares a survey as a template (name defaults to the title) and lists templates newest first', async () => {
      const first = await call('POST', `/surveys/${source.id}/share-as-template`);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toEqual({
        id: expect.stringMatching(/^tpl_/),
        name: 'Onboarding',
        sourceSurveyId: source.id,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      });
      const second = await call('POST', `/surveys/${source.id}/share-as-template`, { name: 'Onboarding v2' });
      expect(second.statusCode).toBe(201);
      const list = await call('GET', '/templates');
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual({ items: [second.json(), first.json()], nextCursor: null });
      const paged = await call('GET', '/templates?limit=1');
      expect(paged.json().items).toEqual([second.json()]);
      const rest = await call('GET', `/templates?limit=1&cursor=${paged.json().nextCursor}`);
      expect(rest.json()).toEqual({ items: [first.json()], nextCursor: null });
      expect((await call('GET', '/templates', undefined, stranger)).json().items).toEqual([]);
      const bad = await call('POST', `/surveys/${source.id}/share-as-template`, { name: '' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('name');
    });

    it('creates a survey from a template with the structure and data labels, fresh ids and token', async () => {
      const template = (
        await call('POST', `/surveys/${source.id}/share-as-template`, { name: 'Base' })
      ).json();
      const res = await call('POST', `/templates/${template.id}/surveys`);
      expect(res.statusCode).toBe(201);
      const made = res.json();
      expect(made.title).toBe('Onboarding');
      expect(shape(made)).toEqual(shape(source));
      expect(made.variables.find((x: Json) => x.dataLabel === 'rate_manager').autoLabel).toBe('Q2_2');
      expect(idsOf(made).filter((id) => idsOf(source).includes(id))).toEqual([]);
      expect(made.publicToken).not.toBe(source.publicToken);
      // Two surveys from one template do not share ids either.
      const again = (
        await call('POST', `/templates/${template.id}/surveys`, { title: 'Second round' })
      ).json();
      expect(again.title).toBe('Second round');
      expect(idsOf(again).filter((id) => idsOf(made).includes(id))).toEqual([]);
      const list = (await call('GET', '/surveys')).json().items.map((s: Json) => s.id);
      expect(list).toEqual(expect.arrayContaining([made.id, again.id]));
    });

    it('a template is a frozen copy: later edits or deletion of the source do not change it', async () => {
      const extra = (
        await call('POST', '/surveys', {
          title: 'Temporary',
          anonymous: true,
          questions: [{ type: 'text', text: 'x' }],
        })
      ).json();
      const template = (await call('POST', `/surveys/${extra.id}/share-as-template`)).json();
      await call('PUT', `/surveys/${extra.id}/data-labels`, { labels: { [extra.variables[0].id]: 'later' } });
      expect((await call('DELETE', `/surveys/${extra.id}`)).statusCode).toBe(204);
      const made = (await call('POST', `/templates/${template.id}/surveys`, {})).json();
      expect(made).toMatchObject({ title: 'Temporary', anonymous: true, backgroundVariables: [] });
      expect(made.variables.map((x: Json) => x.label)).toEqual(['Q1']);
      expect(
        (await call('GET', '/templates')).json().items.find((x: Json) => x.id === template.id),
      ).toMatchObject({
        sourceSurveyId: extra.id,
      });
    });

    it("answers 404 for another organization's templates and surveys", async () => {
      const template = (await call('POST', `/surveys/${source.id}/share-as-template`)).json();
      const res = await call('POST', `/templates/${template.id}/surveys`, {}, stranger);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect((await call('DELETE', `/templates/${template.id}`, undefined, stranger)).statusCode).toBe(404);
      expect((await call('POST', `/surveys/${source.id}/share-as-template`, {}, stranger)).statusCode).toBe(
        404,
      );
      expect((await call('POST', '/templates/tpl_nope/surveys', {})).statusCode).toBe(404);
      const badTitle = await call('POST', `/templates/${template.id}/surveys`, { title: 'x'.repeat(201) });
      expect(badTitle.statusCode).toBe(400);
      expect(badTitle.json().error.details[0].field).toBe('title');
    });

    it('renames a template; surveys made from it keep their titles; a blank name is 400', async () => {
      const template = (
        await call('POST', `/surveys/${source.id}/share-as-template`, { name: 'Before' })
      ).json();
      const made = (await call('POST', `/templates/${template.id}/surveys`, {})).json();
      const renamed = await call('PATCH', `/templates/${template.id}`, { name: 'After' });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ id: template.id, name: 'After', createdAt: template.createdAt });
      const listed = (await call('GET', '/templates')).json().items.find((x: Json) => x.id === template.id);
      expect(listed.name).toBe('After');
      expect((await call('GET', `/surveys/${made.id}`)).json().title).toBe(made.title);
      const blank = await call('PATCH', `/templates/${template.id}`, { name: '' });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().error.details[0].field).toBe('name');
      expect(
        (await call('PATCH', `/templates/${template.id}`, { name: 'Stolen' }, stranger)).statusCode,
      ).toBe(404);
      expect(
        (await call('GET', '/templates')).json().items.find((x: Json) => x.id === template.id).name,
      ).toBe('After');
    });

    it('deletes a template', async () => {
      const template = (
        await call('POST', `/surveys/${source.id}/share-as-template`, { name: 'Gone' })
      ).json();
      expect((await call('DELETE', `/templates/${template.id}`)).statusCode).toBe(204);
      expect((await call('GET', '/templates')).json().items.map((x: Json) => x.id)).not.toContain(
        template.id,
      );
      expect((await call('POST', `/templates/${template.id}/surveys`, {})).statusCode).toBe(404);
      expect((await call('DELETE', `/templates/${template.id}`)).statusCode).toBe(404);
    });
  });
}
