import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import type { ResponsesTable } from '../src/db/schema.js';
import { newId } from '../src/ids.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

const BIG = 100_000;
const INSERT_BATCH = 1000;

/** Inserts `count` responses straight into the table, 1000 rows per statement, ids in time order. */
async function insertManyResponses(db: Db, fixture: SurveyFixture, count: number): Promise<string[]> {
  const start = Date.parse('2025-06-01T00:00:00Z');
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += INSERT_BATCH) {
    const rows: ResponsesTable[] = [];
    for (let i = offset; i < Math.min(count, offset + INSERT_BATCH); i++) {
      const id = newId('rsp', start + i);
      ids.push(id);
      rows.push({
        id,
        org_id: fixture.survey.orgId,
        survey_id: fixture.survey.id,
        completed_at: start + i * 1000,
        created_at: start + i,
        first_name: `First${i}`,
        last_name: 'Last',
        email: `r${i}@example.com`,
        answers: JSON.stringify({
          [fixture.ids.department]: 'Sales',
          [fixture.ids.singleVar]: (i % 3) + 1,
          [fixture.ids.numberVar]: i,
          [fixture.ids.textVar]: `answer ${i}`,
        }),
      });
    }
    await db.insertInto('responses').values(rows).execute();
  }
  // A live table has planner statistics (autovacuum); a freshly bulk-loaded one has none yet.
  await sql`analyze responses`.execute(db);
  return ids;
}

for (const engine of ENGINES) {
  describe(`response download (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let fixture: SurveyFixture;
    const download = (surveyId: string, query = '') =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${surveyId}/responses.csv${query}`,
        headers: owner.bearer,
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      owner = await signUpCaller(t.app);
      fixture = await createSurveyFixture(t.ctx.db, owner.orgId, { title: 'Pulse: Ålesund' });
    });
    afterAll(async () => t.close());

    it('writes a header of auto labels in survey order, then rows oldest first, quoted and guarded', async () => {
      const ids = fixture.ids;
      const submit = async (payload: object) => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${fixture.survey.id}/responses`,
          headers: owner.bearer,
          payload,
        });
        expect(res.statusCode).toBe(201);
        return res.json() as { id: string; completedAt: string };
      };
      const first = await submit({
        respondent: { firstName: 'Kari', lastName: "O'Neil, Jr.", email: 'kari@example.no' },
        background: { [ids.department]: '=HYPERLINK("http://evil","x")' },
        answers: {
          [ids.single]: 2,
          [ids.multiple]: [3, 1],
          [ids.text]: 'Line one\r\nsaid "hi", then -left',
          [ids.number]: -5,
          [ids.scale]: 1,
          [ids.date]: '2026-01-02',
          [ids.matrixRows[0]]: 3,
          [ids.matrixRows[1]]: 1,
        },
        completedAt: '2026-01-02T10:00:00Z',
      });
      const second = await submit({ answers: { [ids.text]: '-2+3', [ids.number]: 0.25 } });
      const third = await submit({ respondent: { firstName: '-Ola' }, answers: { [ids.text]: '@SUM(1)' } });

      const res = await download(fixture.survey.id);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="Pulse-Alesund-responses.csv"');
      expect(res.body.endsWith('\r\n')).toBe(true);
      const expected = [
        'ResponseId,CompletedAt,FirstName,LastName,Email,Department,Q1,Q2,Q3,Q4,Q5,Q6,Q7_1,Q7_2\r\n',
        `${first.id},2026-01-02T10:00:00.000Z,Kari,"O'Neil, Jr.",kari@example.no,` +
          `"'=HYPERLINK(""http://evil"",""x"")",Green,Gym; Home office,` +
          `"Line one\r\nsaid ""hi"", then -left",-5,1,2026-01-02,Good,Poor\r\n`,
        `${second.id},${second.completedAt},,,,,,,'-2+3,0.25,,,,\r\n`,
        `${third.id},${third.completedAt},'-Ola,,,,,,'@SUM(1),,,,,\r\n`,
      ].join('');
      expect(res.body).toBe(expected);
    });

    it('uses data labels where set with labels=data, and refuses other label modes', async () => {
      const res = await download(fixture.survey.id, '?labels=data');
      expect(res.statusCode).toBe(200);
      expect(res.body.split('\r\n')[0]).toBe(
        'ResponseId,CompletedAt,FirstName,LastName,Email,dept,colour,Q2,Q3,Q4,Q5,Q6,team,Q7_2',
      );
      const auto = await download(fixture.survey.id, '?labels=auto');
      expect(auto.body.split('\r\n')[0]).toContain(',Department,Q1,');
      const bad = await download(fixture.survey.id, '?labels=fancy');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('labels');
    });

    it('downloads an empty survey as just the header', async () => {
      const empty = await createSurveyFixture(t.ctx.db, owner.orgId, { anonymous: true });
      const res = await download(empty.survey.id);
      expect(res.body).toBe('ResponseId,CompletedAt,Department,Q1,Q2,Q3,Q4,Q5,Q6,Q7_1,Q7_2\r\n');
    });

    describe('a big survey over real HTTP', () => {
      let big: SurveyFixture;
      let ids: string[];
      let base: string;

      beforeAll(async () => {
        big = await createSurveyFixture(t.ctx.db, owner.orgId);
        ids = await insertManyResponses(t.ctx.db, big, BIG);
        await t.app.listen({ host: '127.0.0.1', port: 0 });
        base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      }, 120_000);

      it(`streams all ${BIG} responses completely`, async () => {
        const started = performance.now();
        const res = await fetch(`${base}/api/v1/surveys/${big.survey.id}/responses.csv`, {
          headers: owner.bearer,
        });
        expect(res.status).toBe(200);
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let lines = 0;
        let head = '';
        let tail = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const byte of value) if (byte === 0x0a) lines++;
          const text = decoder.decode(value, { stream: true });
          if (head.length < 2000) head += text;
          tail = (tail + text).slice(-2000);
        }
        const ms = performance.now() - started;
        console.log(`[${engine}] downloaded ${BIG} responses as CSV in ${Math.round(ms)} ms`);
        expect(lines).toBe(BIG + 1);
        const [, firstRow] = head.split('\r\n');
        expect(firstRow).toBe(
          `${ids[0]},2025-06-01T00:00:00.000Z,First0,Last,r0@example.com,Sales,Red,,answer 0,0,,,,`,
        );
        const n = BIG - 1;
        const lastRow = tail.split('\r\n').at(-2);
        expect(lastRow).toBe(
          `${ids[n]},${new Date(Date.parse('2025-06-01T00:00:00Z') + n * 1000).toISOString()},` +
            `First${n},Last,r${n}@example.com,Sales,${['Red', 'Green', 'Blue'][n % 3]},,answer ${n},${n},,,,`,
        );
      }, 120_000);

      it('leaves the database free for others while a client is slow to read', async () => {
        const res = await fetch(`${base}/api/v1/surveys/${big.survey.id}/responses.csv`, {
          headers: owner.bearer,
        });
        const reader = res.body!.getReader();
        await reader.read();
        // The client stops reading; the download pauses between batches instead of holding a query open.
        const started = performance.now();
        const other = await t.app.inject({
          method: 'GET',
          url: `/api/v1/surveys/${big.survey.id}/responses?limit=1`,
          headers: owner.bearer,
        });
        expect(other.statusCode).toBe(200);
        const write = await t.app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${fixture.survey.id}/responses`,
          headers: owner.bearer,
          payload: { answers: {} },
        });
        expect(write.statusCode).toBe(201);
        expect(performance.now() - started).toBeLessThan(2000);
        await reader.cancel();
      });
    });
  });
}
