// Label impact on both engines (SPEC §12): `usedBy` on the data labels, the impact of deleting a question
// or a background variable before it is done, and `lostVariables` on automations whose specific selection
// lost a variable (cleared when a new selection is saved). Another organization's ids answer 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

type Impact = {
  automations: {
    automationId: string;
    name: string;
    lostVariables: { id: string; label: string }[];
    changedKeys: { variableId: string; from: string; to: string }[];
  }[];
};

for (const engine of ENGINES) {
  describe(`label impact (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let other: Caller;
    let fx: SurveyFixture;
    const ids: Record<'specificData' | 'allAuto' | 'allData' | 'matrixOnly', string> = {
      specificData: '',
      allAuto: '',
      allData: '',
      matrixOnly: '',
    };

    const api = (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      payload?: object,
      headers = owner.bearer,
    ) => t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      other = await signUpCaller(t.app, 'Other');
      fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      const create = async (name: string, variables: object, labels: 'auto' | 'data') => {
        const res = await api('POST', '/automations', {
          type: 'outgoing_webhook',
          surveyId: fx.survey.id,
          name,
          url: 'https://hooks.example.com/impact',
          variables,
          labels,
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().id as string;
      };
      const f = fx.ids;
      ids.specificData = await create(
        'Specific, data',
        { mode: 'specific', ids: [f.singleVar, f.textVar, f.department] },
        'data',
      );
      ids.allAuto = await create('All, auto', { mode: 'all' }, 'auto');
      ids.allData = await create('All, data', { mode: 'all' }, 'data');
      ids.matrixOnly = await create('Matrix row, auto', { mode: 'specific', ids: [f.matrixRows[1]] }, 'auto');
    });
    afterAll(async () => t.close());

    const names = (list: { automationId: string }[]) => list.map((a) => a.automationId).sort();

    it('names on each data label the automations whose keys a change of it would move', async () => {
      const res = await api('GET', `/surveys/${fx.survey.id}/data-labels`);
      expect(res.statusCode).toBe(200);
      const items = res.json().items as {
        id: string;
        label: string;
        usedBy: { automationId: string; name: string }[];
      }[];
      const byId = new Map(items.map((v) => [v.id, v]));
      expect(names(byId.get(fx.ids.singleVar)!.usedBy)).toEqual([ids.specificData, ids.allData].sort());
      expect(byId.get(fx.ids.singleVar)!.usedBy.find((a) => a.automationId === ids.allData)!.name).toBe(
        'All, data',
      );
      // Without a data label yet, setting one moves the keys of the same automations.
      expect(names(byId.get(fx.ids.textVar)!.usedBy)).toEqual([ids.specificData, ids.allData].sort());
      expect(names(byId.get(fx.ids.numberVar)!.usedBy)).toEqual([ids.allData]);
      // Auto-label automations never move with data labels.
      expect(names(byId.get(fx.ids.matrixRows[1])!.usedBy)).toEqual([ids.allData]);
      const put = await api('PUT', `/surveys/${fx.survey.id}/data-labels`, {
        labels: { [fx.ids.textVar]: 'improve' },
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(names(put.json().items.find((v: { id: string }) => v.id === fx.ids.textVar).usedBy)).toEqual(
        [ids.specificData, ids.allData].sort(),
      );
    });

    it('says what deleting a question would do, then records what a specific selection lost', async () => {
      const res = await api('GET', `/surveys/${fx.survey.id}/questions/${fx.ids.single}/impact`);
      expect(res.statusCode, res.body).toBe(200);
      const impact = (res.json() as Impact).automations;
      const of = (id: string) => impact.find((a) => a.automationId === id)!;
      // (Its text question has the data label `improve` since the test before: its key stays.)
      expect(of(ids.specificData)).toEqual({
        automationId: ids.specificData,
        name: 'Specific, data',
        lostVariables: [{ id: fx.ids.singleVar, label: 'colour' }],
        changedKeys: [],
      });
      expect(of(ids.allAuto).lostVariables).toEqual([{ id: fx.ids.singleVar, label: 'Q1' }]);
      // Every question after it moves up one auto label.
      expect(of(ids.allAuto).changedKeys).toContainEqual({
        variableId: fx.ids.multipleVar,
        from: 'Q2',
        to: 'Q1',
      });
      expect(of(ids.allAuto).changedKeys).toContainEqual({
        variableId: fx.ids.matrixRows[1],
        from: 'Q7_2',
        to: 'Q6_2',
      });
      // Data labels stay where they are: the matrix row labelled `team` keeps its key.
      expect(of(ids.allData).changedKeys.map((c) => c.variableId)).not.toContain(fx.ids.matrixRows[0]);
      expect(of(ids.matrixOnly)).toMatchObject({
        lostVariables: [],
        changedKeys: [{ variableId: fx.ids.matrixRows[1], from: 'Q7_2', to: 'Q6_2' }],
      });
      expect(
        (
          await api(
            'GET',
            `/surveys/${fx.survey.id}/questions/${fx.ids.single}/impact`,
            undefined,
            other.bearer,
          )
        ).statusCode,
      ).toBe(404);
      expect((await api('GET', `/surveys/${fx.survey.id}/questions/qst_nope/impact`)).statusCode).toBe(404);

      expect((await api('DELETE', `/surveys/${fx.survey.id}/questions/${fx.ids.single}`)).statusCode).toBe(
        200,
      );
      const specific = (await api('GET', `/automations/${ids.specificData}`)).json();
      expect(specific.lostVariables).toEqual([
        { id: fx.ids.singleVar, label: 'colour', lostAt: expect.any(String) },
      ]);
      expect((await api('GET', `/automations/${ids.allAuto}`)).json().lostVariables).toEqual([]);
    });

    it('deletes custom background variables only, with their impact first; a new selection clears the loss', async () => {
      const url = `/surveys/${fx.survey.id}/background-variables/${fx.ids.department}`;
      const impact = (await api('GET', `${url}/impact`)).json() as Impact;
      expect(names(impact.automations)).toEqual([ids.specificData, ids.allAuto, ids.allData].sort());
      const system = await api('DELETE', `/surveys/${fx.survey.id}/background-variables/${fx.ids.email}`);
      expect(system.statusCode).toBe(400);
      expect(system.json().error.details[0].field).toBe('vid');
      expect((await api('DELETE', url, undefined, other.bearer)).statusCode).toBe(404);

      const res = await api('DELETE', url);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().backgroundVariables.map((b: { name: string }) => b.name)).toEqual([
        'First name',
        'Last name',
        'E-mail',
      ]);
      expect((await api('DELETE', url)).statusCode).toBe(404);
      const lost = (await api('GET', `/automations/${ids.specificData}`)).json().lostVariables;
      expect(lost.map((l: { label: string }) => l.label)).toEqual(['colour', 'dept']);

      const saved = await api('PATCH', `/automations/${ids.specificData}`, {
        variables: { mode: 'specific', ids: [fx.ids.textVar] },
      });
      expect(saved.json().lostVariables).toEqual([]);
    });
  });
}
