// Shared steps of the operations tests (roles, outages, shutdown, backup): an organization with a
// survey and an automation to a real receiver, responses sent over real HTTP to a child process, and
// what the receiver and the database saw.
import type { TestApp, Caller } from './app.js';
import { signUpCaller } from './app.js';
import type { Receiver } from './receiver.js';
import { createSurveyFixture } from './surveys.js';

export interface DeliverySetup {
  owner: Caller;
  surveyId: string;
  automationId: string;
}

/** Signs up, creates the fixture survey and one automation posting to `receiver` (through `t.app`). */
export async function setUpDelivery(t: TestApp, receiver: Receiver, path = '/hook'): Promise<DeliverySetup> {
  const owner = await signUpCaller(t.app);
  const fx = await createSurveyFixture(t.ctx.db, owner.orgId);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/automations',
    headers: owner.bearer,
    payload: {
      type: 'outgoing_webhook',
      surveyId: fx.survey.id,
      name: 'Receiver',
      url: receiver.urlFor(path),
      variables: { mode: 'all' },
      labels: 'auto',
    },
  });
  if (res.statusCode !== 201) throw new Error(`create automation: ${res.statusCode} ${res.body}`);
  return { owner, surveyId: fx.survey.id, automationId: res.json().id as string };
}

export interface Submitted {
  status: number;
  retryAfter: string | null;
  code: string | null;
  /** The ids of the runs the response created (201 only). */
  runIds: string[];
}

/** Submits one response over HTTP to a `serve` process at `baseUrl`. Network errors count as status 0. */
export async function submitOverHttp(baseUrl: string, setup: DeliverySetup): Promise<Submitted> {
  try {
    const res = await fetch(`${baseUrl}/api/v1/surveys/${setup.surveyId}/responses`, {
      method: 'POST',
      headers: { ...setup.owner.bearer, 'content-type': 'application/json' },
      body: JSON.stringify({
        respondent: { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com' },
        answers: {},
      }),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let json: { runs?: { id: string }[]; error?: { code: string } } = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // not JSON (a proxy page, a reset): the status says enough
    }
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      code: json.error?.code ?? null,
      runIds: res.status === 201 ? (json.runs ?? []).map((r) => r.id) : [],
    };
  } catch {
    return { status: 0, retryAfter: null, code: null, runIds: [] };
  }
}

/** How many requests carried each webhook-id. */
export function deliveriesById(receiver: Receiver): Map<string, number> {
  const seen = new Map<string, number>();
  for (const r of receiver.requests) {
    const id = String(r.headers['webhook-id']);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return seen;
}

export async function runStatusCounts(t: TestApp): Promise<Record<string, number>> {
  const rows = await t.ctx.db
    .selectFrom('runs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Environment for child processes on the test's database, delivering to receivers on 127.0.0.1. */
export function childEnvFor(t: TestApp, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: t.database.url,
    SVARBUD_ALLOW_CIDRS: '127.0.0.0/8',
    SVARBUD_REQUEST_TIMEOUT_MS: '2000',
    SVARBUD_CONNECT_TIMEOUT_MS: '500',
    SVARBUD_PASSWORD_HASH_COST: '10',
    ...extra,
  };
}
