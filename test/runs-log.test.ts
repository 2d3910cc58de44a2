// The runs log over HTTP on both engines: newest first, keyset paging under concurrent inserts,
// counts (bounded: capped per status), search (trigram index, common fragments in log order, the
// short-search fallback), status and period filters, details.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { DAY, HOUR, MINUTE } from '../src/config.js';
import { createTestApp, signUpCaller, type Caller, type TestApp } from './helpers/app.js';
import { isCommonSearch } from '../src/db/run-search.js';
import { COUNT_CAP, SEARCH_COUNT_SAMPLE } from '../src/runs/runs.store.js';
import { ENGINES } from './helpers/db.js';
import { insertLogRuns, type LogRunSpec, type Respondent } from './helpers/runs.js';
import { createSurveyFixture, type SurveyFixture } from './helpers/surveys.js';

type Summary = {
  id: string;
  name: string;
  email: string | null;
  status: string;
  createdAt: string;
  nextAttemptAt: string | null;
} & Record<string, unknown>;
type Page = {
  items: Summary[];
  nextCursor: string | null;
  counts: Record<string, number>;
  countsCapped: Record<string, boolean>;
};
const NONE_CAPPED = { scheduled: false, running: false, succeeded: false, failed: false };

const KARI: Respondent = { firstName: 'Kari', lastName: 'Nordmann', email: 'kari.nordmann@example.com' };
const OLA: Respondent = { firstName: 'Ola', lastName: 'Hansen', email: 'ola@firma.no' };
const OYSTEIN: Respondent = { firstName: 'Øystein', lastName: 'Ås', email: 'oystein@eksempel.no' };
const PER: Respondent = { firstName: 'Per', lastName: 'Olsen', email: 'per_olsen@example.com' };
const EMAIL_ONLY: Respondent = { firstName: null, lastName: null, email: 'Solo.Person@Example.org' };
const NAME_ONLY: Respondent = { firstName: 'Anne-Lise', lastName: 'Berg', email: null };

for (const engine of ENGINES) {
  describe(`runs log (${engine})`, () => {
    let t: TestApp;
    let owner: Caller;
    let fx: SurveyFixture;
    let automationId: string;
    const clock = new ManualClock(Date.now());
    const start = clock.now();
    const ids: Record<string, string> = {};

    async function createAutomation(surveyId: string, caller = owner): Promise<string> {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: caller.bearer,
        payload: {
          type: 'outgoing_webhook',
          surveyId,
          name: 'Log',
          url: 'https://hooks.example.com/in',
          variables: { mode: 'all' },
          labels: 'auto',
        },
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    }

    async function list(query: string, id = automationId, caller = owner): Promise<Page> {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${id}/runs${query ? `?${query}` : ''}`,
        headers: caller.bearer,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    }

    async function listError(query: string) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/automations/${automationId}/runs?${query}`,
        headers: owner.bearer,
      });
      expect(res.statusCode, res.body).toBe(400);
      return res.json().error as { code: string; message: string; details: { field?: string }[] };
    }

    const names = (p: Page) => p.items.map((r) => r.name);

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      owner = await signUpCaller(t.app);
      fx = await createSurveyFixture(t.ctx.db, owner.orgId);
      automationId = await createAutomation(fx.survey.id);
      // Oldest first, an hour apart: Kari 5 h ago … Name-only now.
      const specs: [string, Respondent, LogRunSpec['status']][] = [
        ['kari', KARI, 'succeeded'],
        ['ola', OLA, 'failed'],
        ['oystein', OYSTEIN, 'failed'],
        ['per', PER, 'scheduled'],
        ['emailOnly', EMAIL_ONLY, 'running'],
        ['nameOnly', NAME_ONLY, 'succeeded'],
      ];
      const created = await insertLogRuns(t.ctx.db, {
        orgId: owner.orgId,
        automationId,
        runs: specs.map(([, respondent, status], i) => ({
          respondent,
          status,
          createdAt: start - (specs.length - 1 - i) * HOUR,
        })),
      });
      specs.forEach(([key], i) => (ids[key] = created[i]!));
    });
    afterAll(async () => {
      await t.close();
    });

    it('lists newest first as RunSummary objects with counts per status', async () => {
      const page = await list('');
      expect(names(page)).toEqual([
        'Anne-Lise Berg',
        'Solo.Person@Example.org',
        'Per Olsen',
        'Øystein Ås',
        'Ola Hansen',
        'Kari Nordmann',
      ]);
      expect(page.nextCursor).toBeNull();
      expect(page.counts).toEqual({ scheduled: 1, running: 1, succeeded: 2, failed: 2 });
      expect(page.countsCapped).toEqual(NONE_CAPPED);
      const per = page.items.find((r) => r.id === ids.per)!;
      expect(Object.keys(per).sort()).toEqual(
        [
          'id',
          'automationId',
          'responseId',
          'name',
          'email',
          'status',
          'statusChangedAt',
          'createdAt',
          'pushUrl',
          'attempts',
          'nextAttemptAt',
          'origin',
        ].sort(),
      );
      expect(per).toMatchObject({
        origin: 'completion', // runs stored without an origin (before migration 0008) came from completions
        automationId,
        email: 'per_olsen@example.com',
        status: 'scheduled',
        createdAt: new Date(start - 2 * HOUR).toISOString(),
        statusChangedAt: new Date(start - 2 * HOUR).toISOString(),
        nextAttemptAt: new Date(start - 2 * HOUR).toISOString(),
        pushUrl: 'http://127.0.0.1:9/hook',
        attempts: 0,
      });
      // Only scheduled runs have a next attempt.
      expect(page.items.filter((r) => r.nextAttemptAt !== null).map((r) => r.id)).toEqual([ids.per]);
      expect(page.items.find((r) => r.id === ids.nameOnly)!.email).toBeNull();
    });

    it('searches names and e-mails as case-insensitive substrings', async () => {
      expect(names(await list('search=NORDM'))).toEqual(['Kari Nordmann']);
      expect(names(await list('search=kari%20nord'))).toEqual(['Kari Nordmann']);
      expect(names(await list('search=FIRMA.NO'))).toEqual(['Ola Hansen']);
      expect(names(await list(`search=${encodeURIComponent('ØYSTEIN Å')}`))).toEqual(['Øystein Ås']);
      expect(names(await list('search=solo.person@example'))).toEqual(['Solo.Person@Example.org']);
      expect(names(await list('search=anne-lise'))).toEqual(['Anne-Lise Berg']);
      expect(names(await list('search=%20%20olsen%20'))).toEqual(['Per Olsen']); // trimmed
      // A match never spans the name and the e-mail, nor reorders the words.
      expect(names(await list('search=nordmann%20kari'))).toEqual([]);
      expect(names(await list('search=nordmannkari'))).toEqual([]);
      expect(names(await list('search=zzz'))).toEqual([]);
      // Counts follow the search (and ignore the status filter).
      const page = await list('search=o&status=failed');
      expect(names(page)).toEqual(['Øystein Ås', 'Ola Hansen']);
      expect(page.counts).toEqual({ scheduled: 1, running: 1, succeeded: 1, failed: 2 });
      expect(page.countsCapped).toEqual(NONE_CAPPED);
    });

    it('serves one- and two-character searches too (substring fallback), with LIKE characters literal', async () => {
      expect(names(await list(`search=${encodeURIComponent('ås')}`))).toEqual(['Øystein Ås']);
      expect(names(await list('search=b'))).toEqual(['Anne-Lise Berg']);
      expect(names(await list('search=_'))).toEqual(['Per Olsen']);
      expect(names(await list('search=%25'))).toEqual([]); // "%"
      expect(names(await list('search=r_o'))).toEqual(['Per Olsen']);
      expect(names(await list('search=r%25o'))).toEqual([]); // "r%o"
      expect(names(await list('search=.'))).toEqual([
        'Solo.Person@Example.org',
        'Per Olsen',
        'Øystein Ås',
        'Ola Hansen',
        'Kari Nordmann',
      ]);
    });

    it('filters by one or more statuses (repeated or comma-separated)', async () => {
      expect(names(await list('status=failed'))).toEqual(['Øystein Ås', 'Ola Hansen']);
      const both = await list('status=succeeded&status=running');
      expect(names(both)).toEqual(['Anne-Lise Berg', 'Solo.Person@Example.org', 'Kari Nordmann']);
      expect(both.counts).toEqual({ scheduled: 1, running: 1, succeeded: 2, failed: 2 });
      expect(names(await list('status=scheduled,failed'))).toEqual(['Per Olsen', 'Øystein Ås', 'Ola Hansen']);
    });

    it('filters by a period on creation time (from inclusive, to exclusive)', async () => {
      const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
      const page = await list(`from=${iso(start - 4 * HOUR)}&to=${iso(start - 2 * HOUR)}`);
      expect(names(page)).toEqual(['Øystein Ås', 'Ola Hansen']);
      expect(page.counts).toEqual({ scheduled: 0, running: 0, succeeded: 0, failed: 2 });
      expect(names(await list(`from=${iso(start - HOUR + 1)}`))).toEqual(['Anne-Lise Berg']);
      expect(names(await list(`to=${iso(start - 4 * HOUR)}`))).toEqual(['Kari Nordmann']);
      // An offset is fine too: the same instant written in +02:00.
      const withOffset = new Date(start - HOUR + 1 + 2 * HOUR).toISOString().replace('Z', '+02:00');
      expect(names(await list(`from=${encodeURIComponent(withOffset)}`))).toEqual(['Anne-Lise Berg']);
    });

    it('combines search, status and period', async () => {
      const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
      const page = await list(`search=o&status=failed&status=scheduled&from=${iso(start - 4 * HOUR)}`);
      expect(names(page)).toEqual(['Per Olsen', 'Øystein Ås', 'Ola Hansen']);
      expect(page.counts).toEqual({ scheduled: 1, running: 1, succeeded: 0, failed: 2 });
    });

    it('rejects a period that starts before the retention window, naming how long runs are kept', async () => {
      clock.set(start);
      const tooOld = new Date(start - 14 * DAY - HOUR).toISOString();
      const err = await listError(`from=${encodeURIComponent(tooOld)}`);
      expect(err.code).toBe('PERIOD_OUT_OF_RANGE');
      expect(err.message).toMatch(/kept for 14 days/);
      expect(err.details[0]!.field).toBe('from');
      // The window's own start (as a browser computes it a moment earlier) is fine.
      const edge = new Date(start - 14 * DAY - MINUTE).toISOString();
      expect((await list(`from=${encodeURIComponent(edge)}`)).items).toHaveLength(6);
    });

    it('answers 400 naming the field for invalid statuses, dates, periods, cursors and limits', async () => {
      const cases: [string, string][] = [
        ['status=done', 'status'],
        ['status=failed&status=nope', 'status'],
        ['from=yesterday', 'from'],
        ['to=2026-13-45T00:00:00Z', 'to'],
        ['from=2026-01-15', 'from'],
        [
          `from=${encodeURIComponent(new Date(start).toISOString())}&to=${encodeURIComponent(new Date(start - HOUR).toISOString())}`,
          'from',
        ],
        ['cursor=not-a-cursor', 'cursor'],
        [`cursor=${Buffer.from('123:bad id!').toString('base64url')}`, 'cursor'],
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=ten', 'limit'],
        ['limit=2.5', 'limit'],
      ];
      for (const [query, field] of cases) {
        const err = await listError(query);
        expect(err.code, query).toBe('VALIDATION_FAILED');
        expect(err.details[0]!.field, query).toBe(field);
        expect(err.message, query).toContain(field);
      }
    });

    it('names anonymous runs "Anonymous" without e-mail, and no identity search finds them', async () => {
      const anonymousSurvey = await createSurveyFixture(t.ctx.db, owner.orgId, { anonymous: true });
      const anonAutomation = await createAutomation(anonymousSurvey.survey.id);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${anonymousSurvey.survey.id}/responses`,
        headers: owner.bearer,
        payload: { answers: {} },
      });
      expect(res.statusCode, res.body).toBe(201);
      await insertLogRuns(t.ctx.db, {
        orgId: owner.orgId,
        automationId: anonAutomation,
        runs: [{ respondent: null, createdAt: start }],
      });
      const all = await list('', anonAutomation);
      expect(all.items).toHaveLength(2);
      for (const run of all.items) expect(run).toMatchObject({ name: 'Anonymous', email: null });
      for (const search of ['anon', 'Anonymous', 'ano', 'an', 'a', 'y', 'mous']) {
        const page = await list(`search=${search}`, anonAutomation);
        expect(page.items, search).toEqual([]);
        expect(page.counts, search).toEqual({ scheduled: 0, running: 0, succeeded: 0, failed: 0 });
      }
      const detail = await t.app.inject({
        method: 'GET',
        url: `/api/v1/runs/${all.items[0]!.id}`,
        headers: owner.bearer,
      });
      expect(detail.json()).toMatchObject({
        name: 'Anonymous',
        email: null,
        firstName: null,
        lastName: null,
      });
    });

    it('finds runs created through the API by their respondent', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${fx.survey.id}/responses`,
        headers: owner.bearer,
        payload: {
          respondent: { firstName: 'Åse', lastName: 'Grønli', email: 'ASE@Gronli.NO' },
          answers: {},
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const runId = res.json().runs[0].id as string;
      for (const search of ['GRØNLI', 'åse g', 'ase@gron', 'Gr']) {
        expect(
          (await list(`search=${encodeURIComponent(search)}`)).items.map((r) => r.id),
          search,
        ).toEqual([runId]);
      }
      await t.ctx.db.deleteFrom('runs').where('id', '=', runId).execute();
    });

    it('pages over 250 runs with inserts between pages: no run twice, none skipped', async () => {
      const pagingAutomation = await createAutomation(fx.survey.id);
      // Several runs share a millisecond, so the id breaks ties.
      const specs: LogRunSpec[] = Array.from({ length: 250 }, (_, i) => ({
        respondent: { firstName: `Person`, lastName: String(i), email: `p${i}@example.com` },
        createdAt: start - 10 * HOUR + Math.floor(i / 3) * 1000,
        status: (['scheduled', 'succeeded', 'failed'] as const)[i % 3],
      }));
      const original = new Set(
        await insertLogRuns(t.ctx.db, { orgId: owner.orgId, automationId: pagingAutomation, runs: specs }),
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(`limit=40${cursor ? `&cursor=${cursor}` : ''}`, pagingAutomation);
        pages += 1;
        if (pages === 1)
          expect(page.counts).toEqual({ scheduled: 84, running: 0, succeeded: 83, failed: 83 });
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        // New runs arrive while the owner pages (one of them in the very millisecond of the page's end).
        const last = page.items[page.items.length - 1]!;
        await insertLogRuns(t.ctx.db, {
          orgId: owner.orgId,
          automationId: pagingAutomation,
          runs: [
            { respondent: KARI, createdAt: clock.now() + pages },
            { respondent: OLA, createdAt: Date.parse(last.createdAt) },
          ],
        });
      } while (cursor !== null);
      expect(pages).toBe(7);
      expect(new Set(seen).size).toBe(seen.length);
      const fromOriginal = seen.filter((id) => original.has(id));
      expect(fromOriginal).toHaveLength(250);
      // Strictly newest first throughout.
      const rows = await t.ctx.db
        .selectFrom('runs')
        .select(['id', 'created_at'])
        .where('id', 'in', seen)
        .execute();
      const createdAt = new Map(rows.map((r) => [r.id, Number(r.created_at)]));
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        expect(
          createdAt.get(a)! > createdAt.get(b)! || (createdAt.get(a) === createdAt.get(b) && a > b),
        ).toBe(true);
      }
    });

    it('caps counts: each status up to COUNT_CAP, a common search over its newest matches; replay still takes all', async () => {
      const cappedAutomation = await createAutomation(fx.survey.id);
      const many = COUNT_CAP + 1;
      const base = start - 10 * HOUR;
      // Many failed runs of "Many Berg" (oldest), then a few rare ones (newest).
      const specs: LogRunSpec[] = [
        ...Array.from({ length: many }, (_, i) => ({
          respondent: { firstName: 'Many', lastName: 'Berg', email: `many${i}@berg.example` },
          createdAt: base + i,
          status: 'failed' as const,
        })),
        {
          respondent: { firstName: 'Rare', lastName: 'Person', email: null },
          createdAt: start - HOUR,
          status: 'scheduled',
        },
        ...Array.from({ length: 3 }, (_, i) => ({
          respondent: { firstName: 'Rare', lastName: 'Person', email: `rare${i}@example.com` },
          createdAt: start - i,
          status: 'succeeded' as const,
        })),
      ];
      await insertLogRuns(t.ctx.db, { orgId: owner.orgId, automationId: cappedAutomation, runs: specs });

      // No search: every status counted up to the cap; the failed count stops there and says so.
      const all = await list('', cappedAutomation);
      expect(all.counts).toEqual({ scheduled: 1, running: 0, succeeded: 3, failed: COUNT_CAP });
      expect(all.countsCapped).toEqual({ ...NONE_CAPPED, failed: true });
      // The status filter does not change the counts (they are for the filter minus status).
      const succeeded = await list('status=succeeded', cappedAutomation);
      expect(succeeded.items).toHaveLength(3);
      expect(succeeded.countsCapped).toEqual(all.countsCapped);
      // A period with fewer runs than the cap is exact again.
      const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
      const period = await list(`from=${iso(base)}&to=${iso(base + 100)}`, cappedAutomation);
      expect(period.counts).toEqual({ scheduled: 0, running: 0, succeeded: 0, failed: 100 });
      expect(period.countsCapped).toEqual(NONE_CAPPED);

      // A rare search: exact.
      const rare = await list('search=rare%20pers', cappedAutomation);
      expect(rare.items).toHaveLength(4);
      expect(rare.counts).toEqual({ scheduled: 1, running: 0, succeeded: 3, failed: 0 });
      expect(rare.countsCapped).toEqual(NONE_CAPPED);
      // Told apart by the FTS index's own count (SQLite) or by trying the automation's newest runs
      // (PostgreSQL; run-search.ts); too short for a trigram is never "common" (always a scan).
      const common = (search: string) => isCommonSearch(t.ctx.db, engine, search, cappedAutomation);
      expect(await common('rare pers')).toBe(false);
      expect(await common('many b')).toBe(true);
      expect(await common('be')).toBe(false);
      // A common search (more matches than the sample, tested in log order): the page is the newest
      // matches, the counts those of the newest SEARCH_COUNT_SAMPLE + 1, all lower bounds.
      for (const search of ['berg', 'many b', '@berg.example']) {
        const common = await list(`search=${encodeURIComponent(search)}&limit=5`, cappedAutomation);
        expect(
          common.items.map((r) => r.email),
          search,
        ).toEqual([10000, 9999, 9998, 9997, 9996].map((i) => `many${i}@berg.example`));
        expect(common.counts, search).toEqual({
          scheduled: 0,
          running: 0,
          succeeded: 0,
          failed: SEARCH_COUNT_SAMPLE + 1,
        });
        expect(common.countsCapped, search).toEqual({
          scheduled: true,
          running: true,
          succeeded: true,
          failed: true,
        });
        // Its second page continues where the first ended.
        const next = await list(
          `search=${encodeURIComponent(search)}&limit=5&cursor=${common.nextCursor}`,
          cappedAutomation,
        );
        expect(next.items[0]!.email, search).toBe('many9995@berg.example');
      }
      // A common search combined with a status and a period still finds exactly the matching runs.
      const combined = await list(
        `search=berg&status=failed&from=${iso(base + 10)}&to=${iso(base + 20)}`,
        cappedAutomation,
      );
      expect(combined.items).toHaveLength(10);
      expect(combined.counts).toEqual({ scheduled: 0, running: 0, succeeded: 0, failed: 10 });
      expect(combined.countsCapped).toEqual(NONE_CAPPED);

      // Replaying every failed run of the filter replays all of them, not just the counted ones.
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${cappedAutomation}/runs/replay`,
        headers: owner.bearer,
        payload: { filter: { status: ['failed'] } },
      });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json().replayed).toBe(many);
      const after = await list('', cappedAutomation);
      expect(after.counts).toEqual({ scheduled: COUNT_CAP, running: 0, succeeded: 3, failed: 0 });
      expect(after.countsCapped).toEqual({ ...NONE_CAPPED, scheduled: true });
    }, 60_000);

    it('shows one run with names, the exact message and its attempts in order', async () => {
      const body = '{"type":"survey.response.completed","data":{"text":"Hei \\u00e6\\u00f8\\u00e5 ✓"}}';
      await t.ctx.db.updateTable('run_messages').set({ body }).where('run_id', '=', ids.ola!).execute();
      const attempt = (number: number, trigger: string, status: number | null, error: boolean) => ({
        id: `att_test_${ids.ola}_${number}`,
        run_id: ids.ola!,
        number,
        trigger,
        url: `https://hooks.example.com/v${number}`,
        started_at: start - HOUR + number * 1000,
        duration_ms: 40 + number,
        status_code: status,
        error_code: error ? (status ? 'HTTP_STATUS' : 'TIMEOUT') : null,
        error_message: error ? 'It failed.' : null,
        error_hint: error ? 'Check the receiver.' : null,
        response_body: status ? `body ${number}` : null,
      });
      await t.ctx.db
        .insertInto('run_attempts')
        .values([
          attempt(2, 'replay', 500, true),
          attempt(1, 'auto', null, true),
          attempt(3, 'replay', 200, false),
        ])
        .execute();
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/runs/${ids.ola}`,
        headers: owner.bearer,
      });
      expect(res.statusCode).toBe(200);
      const run = res.json();
      expect(run).toMatchObject({
        id: ids.ola,
        automationId,
        name: 'Ola Hansen',
        email: 'ola@firma.no',
        firstName: 'Ola',
        lastName: 'Hansen',
        status: 'failed',
        nextAttemptAt: null,
        message: body,
      });
      expect(run.attemptLog).toEqual([
        {
          number: 1,
          trigger: 'auto',
          url: 'https://hooks.example.com/v1',
          startedAt: new Date(start - HOUR + 1000).toISOString(),
          durationMs: 41,
          statusCode: null,
          error: { code: 'TIMEOUT', message: 'It failed.', hint: 'Check the receiver.' },
          responseBody: null,
          requestHeaders: null, // recorded before headers were kept
        },
        {
          number: 2,
          trigger: 'replay',
          url: 'https://hooks.example.com/v2',
          startedAt: new Date(start - HOUR + 2000).toISOString(),
          durationMs: 42,
          statusCode: 500,
          error: { code: 'HTTP_STATUS', message: 'It failed.', hint: 'Check the receiver.' },
          responseBody: 'body 2',
          requestHeaders: null, // recorded before headers were kept
        },
        {
          number: 3,
          trigger: 'replay',
          url: 'https://hooks.example.com/v3',
          startedAt: new Date(start - HOUR + 3000).toISOString(),
          durationMs: 43,
          statusCode: 200,
          error: null,
          responseBody: 'body 3',
          requestHeaders: null, // recorded before headers were kept
        },
      ]);
      const scheduled = await t.app.inject({
        method: 'GET',
        url: `/api/v1/runs/${ids.per}`,
        headers: owner.bearer,
      });
      expect(scheduled.json()).toMatchObject({
        status: 'scheduled',
        nextAttemptAt: new Date(start - 2 * HOUR).toISOString(),
        attemptLog: [],
      });
    });

    it("answers 404 for another organization's automation and runs", async () => {
      const other = await signUpCaller(t.app, 'Other');
      const get = (url: string, caller: Caller) =>
        t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: caller.bearer });
      expect((await get(`/automations/${automationId}/runs`, other)).statusCode).toBe(404);
      expect((await get(`/runs/${ids.kari}`, other)).statusCode).toBe(404);
      expect((await get(`/runs/run_nope`, owner)).statusCode).toBe(404);
      expect((await get(`/automations/aut_nope/runs`, owner)).statusCode).toBe(404);
      const replay = await t.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${automationId}/runs/replay`,
        headers: other.bearer,
        payload: { runIds: [ids.kari] },
      });
      expect(replay.statusCode).toBe(404);
      // A cookie session sees the same.
      expect((await get(`/runs/${ids.kari}`, owner)).statusCode).toBe(200);
      const bySession = await t.app.inject({
        method: 'GET',
        url: `/api/v1/runs/${ids.kari}`,
        headers: { cookie: other.cookie },
      });
      expect(bySession.statusCode).toBe(404);
    });

    it('documents the routes in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      const paths = res.json().paths as Record<string, Record<string, unknown>>;
      expect(paths['/api/v1/automations/{id}/runs']?.get).toBeDefined();
      expect(paths['/api/v1/runs/{id}']?.get).toBeDefined();
      expect(paths['/api/v1/automations/{id}/runs/replay']?.post).toBeDefined();
    });
  });
}
