// SQLite statements benchmark (npm run bench -- sqlite-statements): what the database itself costs per
// delivered run, with no JavaScript of ours around it — the floor under the drain's database path.
// 50 000 due runs across 50 automations (the drain's set-up), then, straight through better-sqlite3 on the
// same file and schema (WAL, synchronous=NORMAL as the service runs it), the statements the dispatcher
// runs for each run in the batches it makes: the claim (10 runs per automation and statement), the fenced
// completion and the attempt-log insert (100 runs per transaction), and the commits. CPU time of this
// process per run (process.cpuUsage), so other work on the machine moves it less than wall time.
import Database from 'better-sqlite3';
import { newId } from '../src/ids.js';
import { insertDueRuns } from '../test/helpers/runs.js';
import { sampleBody, setUp } from './delivery.js';

const AUTOMATIONS = 50;
const PER_AUTOMATION = 1000;
const CLAIM = 10;
const RECORD_BATCH = 100;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Claimed {
  id: string;
}

async function measure(): Promise<Record<string, number>> {
  const s = await setUp('sqlite', 'http://127.0.0.1:9', AUTOMATIONS);
  const body = sampleBody(s.fx);
  await insertDueRuns(s.ctx.db, {
    orgId: s.orgId,
    automationIds: s.automationIds,
    perAutomation: PER_AUTOMATION,
    body: () => body,
  });
  await s.ctx.db.destroy();
  const db = new Database(s.database.location);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('analyze');
  const claim = db.prepare<unknown[], Claimed>(`
    update runs set status = 'running', lease_token = ?, lease_expires_at = ?, lease_owner = ?, status_changed_at = ?
    where id in (select id from runs where automation_id = ? and status = 'scheduled' and next_attempt_at <= ?
                 order by next_attempt_at limit ?)
    returning id, automation_id, attempts, schedule_start, next_trigger`);
  const complete = db.prepare(`
    update runs set status = v.status, next_attempt_at = v.next, attempts = v.attempts, push_url = v.url,
      status_changed_at = ?, lease_token = null, lease_expires_at = null, lease_owner = null, next_trigger = 'auto'
    from (select value ->> '$.id' as id, value ->> '$.token' as token, value ->> '$.status' as status,
            value ->> '$.next' as next, value ->> '$.attempts' as attempts, value ->> '$.url' as url
          from jsonb_each(?)) as v
    where runs.id = v.id and runs.lease_token = v.token and +runs.status = 'running' returning runs.id`);
  const all = [
    'id',
    'run_id',
    'number',
    'trigger',
    'url',
    'started_at',
    'duration_ms',
    'status_code',
    'error_code',
    'error_message',
    'error_hint',
    'response_body',
    'request_headers',
  ];
  const insert = db.prepare(`
    insert into run_attempts (${all.join(', ')})
    select ${all.map((c) => `value ->> '$.${c}'`).join(', ')} from jsonb_each(?)`);
  const headers = JSON.stringify([
    ['content-type', 'application/json'],
    ['user-agent', 'Svarbud-Webhooks/bench'],
    ['webhook-id', 'run_01jdq9x8y7z6w5v4u3t2s1r0qp'],
    ['webhook-timestamp', '1764590000'],
    ['webhook-signature', 'v1,abcd…wxyz'],
  ]);
  const url = 'http://127.0.0.1:9/a';
  const now = Date.now() + 1000;
  const spent = { claim: 0, complete: 0, insert: 0, commit: 0 };
  let runs = 0;
  for (let round = 0; runs < AUTOMATIONS * PER_AUTOMATION; round++) {
    const token = `tok${round}`;
    let t = cpuMs();
    db.exec('begin immediate');
    const claimed: Claimed[] = [];
    for (const a of s.automationIds)
      claimed.push(...claim.all(token, now + 30_000, 'bench', now, a, now, CLAIM));
    db.exec('commit');
    spent.claim += cpuMs() - t;
    for (let i = 0; i < claimed.length; i += RECORD_BATCH) {
      const batch = claimed.slice(i, i + RECORD_BATCH);
      t = cpuMs();
      db.exec('begin immediate');
      complete.all(
        now,
        JSON.stringify(
          batch.map((r) => ({ id: r.id, token, status: 'succeeded', next: null, attempts: 1, url })),
        ),
      );
      const t1 = cpuMs();
      insert.run(
        JSON.stringify(
          batch.map((r) => ({
            id: newId('att', now),
            run_id: r.id,
            number: 1,
            trigger: 'auto',
            url,
            started_at: now,
            duration_ms: 2,
            status_code: 200,
            error_code: null,
            error_message: null,
            error_hint: null,
            response_body: 'ok',
            request_headers: headers,
          })),
        ),
      );
      const t2 = cpuMs();
      db.exec('commit');
      const t3 = cpuMs();
      spent.complete += t1 - t;
      spent.insert += t2 - t1;
      spent.commit += t3 - t2;
      runs += batch.length;
    }
    if (claimed.length === 0) break;
  }
  db.close();
  await s.database.destroy();
  const perRun = (ms: number) => (ms * 1000) / runs;
  return {
    claim: perRun(spent.claim),
    complete: perRun(spent.complete),
    insert: perRun(spent.insert),
    commit: perRun(spent.commit),
  };
}

export async function main(): Promise<void> {
  const rounds: Record<string, number>[] = [];
  for (let i = 0; i < 3; i++) rounds.push(await measure());
  const median = (k: string) => rounds.map((r) => r[k]!).sort((a, b) => a - b)[1]!;
  const parts = ['claim', 'complete', 'insert', 'commit'];
  const total = parts.reduce((n, k) => n + median(k), 0);
  console.log(
    `SQLite statements per delivered run, CPU µs (median of 3 × ${AUTOMATIONS * PER_AUTOMATION} runs): ` +
      parts.map((k) => `${k} ${median(k).toFixed(1)}`).join(', ') +
      `; total ${total.toFixed(1)} µs = at most ${Math.round(1e6 / total)} runs/s on one core`,
  );
}
