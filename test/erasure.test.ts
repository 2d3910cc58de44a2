// Erasure on both engines (SPEC §12): deleting a response or a respondent's every response takes their
// runs, messages, attempt logs and search entries with them; nothing of them is found afterwards by
// search, lists, run id, CSV or daily counts; a run in flight at that moment does not come back.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { signUpCaller, type Caller } from './helpers/app.js';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { insertRows } from '../src/db/raw-insert.js';
import { newRun } from '../src/runs/create-runs.js';
import { backfillBatch } from '../src/runs/send-existing.store.js';

for (const engine of ENGINES) {
  describe(`erasure (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    let other: Caller;
    let automationId: string;

    beforeAll(async () => {
      h = await createDeliveryHarness(engine);
      receiver = await startReceiver();
      other = await signUpCaller(h.app, 'Other');
      automationId = (await h.createAutomation({ url: receiver.urlFor('/hook') })).id;
    });
    afterAll(async () => {
      await h.close();
      await receiver.close();
    });

    const api = (
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      payload?: object,
      headers = h.owner.bearer,
    ) => h.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    const person = (firstName: string, email: string) => ({
      respondent: { firstName, lastName: 'Test', email },
    });
    const submitted = async (firstName: string, email: string) => {
      const r = await h.submit(person(firstName, email));
      await h.waitFor(
        () => h.run(r.runs[0]!.id),
        (run) => run.status === 'succeeded',
      );
      return { responseId: r.id, runId: r.runs[0]!.id };
    };
    /** What the database still holds of these runs, in every table and search index. */
    async function leftovers(runIds: string[]) {
      const db = h.ctx.db;
      const count = async (table: 'runs' | 'run_messages' | 'run_attempts', column: 'id' | 'run_id') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where(column, 'in', runIds)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const search =
        engine === 'sqlite'
          ? Number(
              (
                await sql<{
                  n: number;
                }>`select count(*) as n from run_search where run_search match 'erasme'`.execute(db)
              ).rows[0]!.n,
            ) +
            Number(
              (
                await sql<{ n: number }>`select count(*) as n from run_search_docs
                  where run_id in (${sql.join(runIds)})`.execute(db)
              ).rows[0]!.n,
            )
          : Number(
              (
                await sql<{ n: number }>`select count(*) as n from run_search_terms
                  where run_id in (${sql.join(runIds)}) or search_text like '%erasme%'`.execute(db)
              ).rows[0]!.n,
            );
      return {
        runs: await count('runs', 'id'),
        messages: await count('run_messages', 'run_id'),
        attempts: await count('run_attempts', 'run_id'),
        search,
      };
    }

    it('deletes one response with its runs: gone from run ids, search, lists, CSV and daily counts', async () => {
      const erased = await submitted('Erasme', 'erasme@example.com');
      const kept = await submitted('Keeper', 'keeper@example.com');
      const before = await leftovers([erased.runId]);
      expect(before.attempts).toBe(1);
      expect(before.search).toBeGreaterThan(0);
      const survey = h.fx.survey.id;

      // Another organization cannot delete it (404), and changes nothing.
      const foreign = await api(
        'DELETE',
        `/surveys/${survey}/responses/${erased.responseId}`,
        undefined,
        other.bearer,
      );
      expect(foreign.statusCode).toBe(404);
      expect((await api('GET', `/runs/${erased.runId}`)).statusCode).toBe(200);

      const res = await api('DELETE', `/surveys/${survey}/responses/${erased.responseId}`);
      expect(res.statusCode, res.body).toBe(204);
      expect(await leftovers([erased.runId])).toEqual({ runs: 0, messages: 0, attempts: 0, search: 0 });
      expect((await api('GET', `/runs/${erased.runId}`)).statusCode).toBe(404);
      expect((await api('DELETE', `/surveys/${survey}/responses/${erased.responseId}`)).statusCode).toBe(404);

      const found = await api('GET', `/automations/${automationId}/runs?search=erasme`);
      expect(found.json().items).toEqual([]);
      const log = (await api('GET', `/automations/${automationId}/runs`)).json();
      expect(log.items.map((r: { id: string }) => r.id)).toContain(kept.runId);
      expect(log.items.map((r: { id: string }) => r.id)).not.toContain(erased.runId);
      const responses = (await api('GET', `/surveys/${survey}/responses`)).json();
      expect(responses.items.map((r: { id: string }) => r.id)).toEqual([kept.responseId]);
      const csv = (await api('GET', `/surveys/${survey}/responses.csv`)).body;
      expect(csv).toContain('keeper@example.com');
      expect(csv).not.toContain('erasme');
      const daily = (await api('GET', `/automations/${automationId}/runs/daily?days=1`)).json();
      expect(daily.days[0].succeeded).toBe(1);
      await api('DELETE', `/surveys/${survey}/responses/${kept.responseId}`);
    });

    it('erases every response of one e-mail in the organization, any case, and answers the counts', async () => {
      const a = await submitted('Erasme', 'Erasme@Example.com');
      const b = await submitted('Erasme', 'erasme@example.COM');
      const c = await submitted('Else', 'else@example.com');

      const bad = await api('POST', '/responses/erase', { email: 'not an address' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toBe('email');
      // Another organization's erasure finds none of them.
      const foreign = await api('POST', '/responses/erase', { email: 'erasme@example.com' }, other.bearer);
      expect(foreign.json()).toEqual({ responses: 0, runs: 0 });

      // The dry run counts what would go and erases nothing.
      const count = await api('POST', '/responses/erase', { email: 'erasme@EXAMPLE.com', dryRun: true });
      expect(count.statusCode, count.body).toBe(200);
      expect(count.json()).toEqual({ responses: 2, runs: 2 });
      expect((await api('GET', `/runs/${a.runId}`)).statusCode).toBe(200);
      const res = await api('POST', '/responses/erase', { email: 'ERASME@example.com' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ responses: 2, runs: 2 });
      expect(await leftovers([a.runId, b.runId])).toEqual({ runs: 0, messages: 0, attempts: 0, search: 0 });
      expect((await api('GET', `/runs/${c.runId}`)).statusCode).toBe(200);
      expect((await api('POST', '/responses/erase', { email: 'erasme@example.com' })).json()).toEqual({
        responses: 0,
        runs: 0,
      });
      await api('POST', '/responses/erase', { email: 'else@example.com' });
    });

    it('fences out a run in flight: its attempt, answered after the erasure, is never recorded', async () => {
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      receiver.replyOnce(async ({ res }) => {
        await answered;
        res.writeHead(200);
        res.end('ok');
      });
      const before = receiver.requests.length;
      const r = await h.submit(person('Erasme', 'inflight@example.com'));
      const runId = r.runs[0]!.id;
      await receiver.waitForRequests(before + 1);
      expect((await h.run(runId)).status).toBe('running');

      const res = await api('POST', '/responses/erase', { email: 'inflight@example.com' });
      expect(res.json()).toEqual({ responses: 1, runs: 1 });
      answer();
      await h.dispatcher.idle();

      expect(await leftovers([runId])).toEqual({ runs: 0, messages: 0, attempts: 0, search: 0 });
      expect((await api('GET', `/runs/${runId}`)).statusCode).toBe(404);
      // The dispatcher carries on delivering.
      const next = await submitted('After', 'after@example.com');
      expect((await api('GET', `/runs/${next.runId}`)).json().status).toBe('succeeded');
    });
  });
}

// PostgreSQL only: there a backfill's batch and an erasure can overlap (SQLite's write transactions never
// do). The batch share-locks the responses it creates runs for, so an erasure that comes meanwhile waits
// for it and then deletes its runs too: none outlives the response.
describe('erasure while a backfill batch is open (postgres)', () => {
  let h: DeliveryHarness;

  beforeAll(async () => {
    h = await createDeliveryHarness('postgres', { start: false });
  });
  afterAll(async () => h.close());

  it('waits for the batch and erases the runs it created', async () => {
    const automation = await h.createAutomation({ url: 'https://hooks.example.com/x', enabled: false });
    const submitted = await h.submit({ respondent: { firstName: 'Race', email: 'race@example.com' } });
    const trx = await h.ctx.db.startTransaction().execute();
    let committed = false;
    onTestFinished(async () => {
      if (!committed) await trx.rollback().execute(); // a failed expectation must not leave it open
    });
    const scope = {
      orgId: h.owner.orgId,
      surveyId: h.fx.survey.id,
      automationId: automation.id,
      onlyMissing: false,
    };
    const [row] = await backfillBatch(trx, 'postgres', scope, null, null, 10);
    expect(row!.id).toBe(submitted.id);
    const built = newRun(
      {
        ...automation,
        id: automation.id,
        answer_format: 'text',
        variables: '{"mode":"all"}',
        labels: 'auto',
        enabled: 0,
        url: 'https://hooks.example.com/x',
      },
      h.fx.survey,
      {
        id: row!.id,
        orgId: row!.org_id,
        surveyId: row!.survey_id,
        completedAt: Number(row!.completed_at),
        firstName: row!.first_name,
        lastName: row!.last_name,
        email: row!.email,
        answers: {},
      },
      Date.now(),
      'backfill',
    );
    await insertRows(trx, 'runs', [built.run]);
    await insertRows(trx, 'run_messages', [built.message]);

    const erasing = h.app.inject({
      method: 'POST',
      url: '/api/v1/responses/erase',
      headers: h.owner.bearer,
      payload: { email: 'race@example.com' },
    });
    // The erasure is waiting for the batch's lock (seen by PostgreSQL itself, not by a timer).
    await h.waitFor(
      async () =>
        Number(
          (
            await sql<{ n: number }>`select count(*) as n from pg_stat_activity
              where wait_event_type = 'Lock' and query like 'delete from "responses"%'`.execute(h.ctx.db)
          ).rows[0]!.n,
        ),
      (n) => n > 0,
    );
    await trx.commit().execute();
    committed = true;
    const res = await erasing;
    expect(res.json()).toEqual({ responses: 1, runs: 1 }); // the backfill's (a disabled automation takes no completion)
    const left = await h.ctx.db
      .selectFrom('runs')
      .select('id')
      .where('response_id', '=', submitted.id)
      .execute();
    expect(left).toEqual([]);
  });
});
