// The runs log in a real browser: a failing receiver makes runs fail at once (one-attempt retry
// schedule) → the e-mail link's `?status=failed` view → filter by status and name → replay the chosen
// runs → they succeed once the receiver is fixed; "Replay all failed" with its count; run details with
// the message and the attempt log (hint, response excerpt as text, never run); the period limited to the
// retention window; the chart and list columns; Norwegian wording; no horizontal scroll at 375 px.
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import {
  expectNoHorizontalScroll,
  expectNoXss,
  focused,
  launchBrowser,
  screenshot,
  startUiServer,
  watchPage,
  XSS_PROBE,
  type UiServer,
} from './browser.js';

type Page1 = { items: { id: string; name: string; status: string }[]; counts: Record<string, number> };

describe('runs log in the web UI', () => {
  let server: UiServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let receiver: Receiver;
  let watched: { problems: string[] };
  let automationId = '';
  let runsPath = '';
  let csrf = '';

  const request = (): APIRequestContext => context.request;
  async function apiPost<T>(path: string, data: unknown): Promise<T> {
    const res = await request().post(path, { data, headers: { 'x-csrf-token': csrf } });
    expect(res.status(), await res.text()).toBeLessThan(300);
    return (await res.json()) as T;
  }
  async function runsOf(query: string): Promise<Page1> {
    const res = await request().get(`/api/v1/automations/${automationId}/runs?${query}`);
    return (await res.json()) as Page1;
  }
  /** The run rows' text, in order. */
  const rows = () => page.locator('.runs-table tbody tr').allInnerTexts();

  beforeAll(async () => {
    browser = await launchBrowser();
    // One attempt: a failed attempt fails the run at once.
    server = await startUiServer({ SVARBUD_RETRY_SCHEDULE: '0' });
    receiver = await startReceiver({ reply: { status: 500, body: XSS_PROBE } });
    context = await browser.newContext({ baseURL: server.baseUrl, locale: 'en-GB' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watched = watchPage(page);

    const signup = await request().post('/api/v1/auth/signup', {
      data: {
        email: `runs-${Date.now()}@example.com`,
        password: 'correct horse battery',
        name: 'Rita Runs',
        organizationName: 'Runs AS',
      },
    });
    expect(signup.status()).toBe(201);
    const me = (await (await request().get('/api/v1/me')).json()) as {
      csrfToken: string;
      runRetentionDays: number;
    };
    expect(me.runRetentionDays).toBe(14);
    csrf = me.csrfToken;
    const survey = await apiPost<{ id: string }>('/api/v1/surveys', {
      title: 'Event feedback',
      questions: [{ type: 'text', text: 'Comments?' }],
    });
    const automation = await apiPost<{ id: string }>('/api/v1/automations', {
      type: 'outgoing_webhook',
      surveyId: survey.id,
      name: 'CRM feed',
      url: receiver.urlFor('/hook'),
      variables: { mode: 'all' },
      labels: 'auto',
    });
    automationId = automation.id;
    runsPath = `/automations/${automationId}/runs`;
    for (const [firstName, lastName] of [
      ['Kari', 'Nordmann'],
      ['Per', 'Olsen'],
      ['Ola', 'Nordmann'],
    ]) {
      await apiPost(`/api/v1/surveys/${survey.id}/responses`, {
        respondent: { firstName, lastName, email: `${firstName!.toLowerCase()}@example.com` },
        answers: {},
      });
    }
    await server.harness.waitFor(
      async () => (await runsOf('status=failed')).counts.failed,
      (n) => n === 3,
      20_000,
    );
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await receiver?.close();
    await server?.close();
  });

  it('opens from the automation page and from the e-mail link with ?status=failed', async () => {
    await page.goto(`/automations/${automationId}`);
    // The 14-day chart (in the overview): an image with a name, and the same numbers as a table.
    await page.getByRole('img', { name: 'Runs in the last 14 days' }).waitFor();
    await page.getByText('Show as table').click();
    const today = page.locator('.chart-table tbody tr').last();
    await expect.poll(() => today.innerText()).toMatch(/\b3\s*$/);
    await screenshot(page, 'en-automation-chart');
    // "Under log, click automation runs", as the help article says.
    await page.getByRole('tab', { name: 'Log' }).click();
    await page.getByRole('heading', { level: 2, name: 'Log' }).waitFor();
    await page.getByRole('link', { name: 'Failed runs (3)' }).waitFor();
    await page.getByRole('link', { name: 'Automation runs', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Automation runs' }).waitFor();
    await expect.poll(async () => (await rows()).length).toBe(3);

    await page.goto(`${runsPath}?status=failed`);
    await page.locator('.active-filter', { hasText: 'Failed' }).waitFor();
    await expect.poll(async () => (await rows()).length).toBe(3);
    expect((await rows()).every((r) => r.includes('Failed'))).toBe(true);
    // Newest first; the push URL is the receiver's.
    expect((await rows())[0]).toContain('Ola Nordmann');
    expect((await rows())[0]).toContain(receiver.urlFor('/hook'));
    const counts = await page.locator('.run-counts').innerText();
    expect(counts).toMatch(/Failed\s*3/);
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.getByLabel('Failed').isChecked()).toBe(true);
    expect(await page.getByLabel('Succeeded').isChecked()).toBe(false);
    await screenshot(page, 'en-runs-failed-filter-open');
  });

  it('shows run details: message, attempt log with hint, receiver response as text', async () => {
    await page.goto(runsPath);
    await page.getByRole('link', { name: 'Per Olsen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Per Olsen' }).waitFor();
    const facts = await page.locator('.run-facts').innerText();
    expect(facts).toContain('per@example.com');
    expect(facts).toContain('Olsen');
    expect(facts).toContain(receiver.urlFor('/hook'));
    expect(facts).toMatch(/Failed\s+since/);
    const message = await page.locator('pre.message').innerText();
    expect(JSON.parse(message).type).toBe('survey.response.completed');
    expect(message).toContain('\n  "type"'); // pretty-printed
    const attempt = page.locator('.attempt').first();
    await attempt.getByRole('heading', { name: 'Attempt 1' }).waitFor();
    const text = await attempt.innerText();
    expect(text).toContain('Automatic');
    expect(text).toContain('500');
    expect(text).toContain('The receiver answered 500.');
    // The hint fits a 500 (no Authorization advice, no promise of a retry for a failed run).
    const hint = await attempt.locator('.hint-box').innerText();
    expect(hint).toContain('The receiver failed while handling the message (500)');
    expect(hint).not.toMatch(/Authorization|retried/);
    expect(await attempt.locator('pre.excerpt').innerText()).toBe(XSS_PROBE);
    await expectNoXss(page);
    await screenshot(page, 'en-run-details');
  });

  it('filters by status and name, replays the chosen runs, and they succeed', async () => {
    await page.goto(runsPath);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByLabel('Failed').check();
    await page.getByLabel('Search by name or e-mail').fill('nordmann');
    await screenshot(page, 'en-runs-filter-panel');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?search=nordmann&status=failed');
    await expect.poll(async () => (await rows()).length).toBe(2);
    expect((await rows()).join('\n')).not.toContain('Per Olsen');

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Replay runs…' }).click();
    const replay = page.getByRole('button', { name: 'Replay', exact: true });
    expect(await replay.isDisabled()).toBe(true);
    await page.getByLabel('Select the run of Kari Nordmann').check();
    await page.getByText('1 selected').waitFor();
    await page.getByLabel('Select all runs on this page').check();
    await page.getByText('2 selected').waitFor();
    await screenshot(page, 'en-runs-replay-selected');

    receiver.reply({ status: 200, body: 'thanks' });
    await replay.click();
    await page.getByText('2 runs scheduled to be sent again now.').waitFor();
    // The filter still says failed: once sent, the replayed runs leave it.
    await expect.poll(async () => (await rows()).length, { timeout: 20_000 }).toBe(0);
    await page.getByText('No runs match the filter.').waitFor();

    await page.getByRole('link', { name: 'Clear filter' }).first().click();
    await expect.poll(async () => (await rows()).filter((r) => r.includes('Succeeded')).length).toBe(2);
    expect((await rows()).find((r) => r.includes('Per Olsen'))).toContain('Failed');
  });

  it('replays all failed runs of the filter after confirming their count', async () => {
    await page.goto(runsPath);
    await expect.poll(async () => (await rows()).length).toBe(3);
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Replay all failed (1)' }).click();
    // An accessible dialog asks first (never the browser's confirm()); the menu has closed.
    const ask = page.getByRole('alertdialog', { name: 'Replay all failed runs?' });
    await ask.getByText('Replay the failed run that matches the filter?').waitFor();
    expect(await page.getByRole('menu').count()).toBe(0);
    await screenshot(page, 'en-runs-replay-all-dialog');
    await ask.getByRole('button', { name: 'Replay' }).click();
    await page.getByText('1 run scheduled to be sent again now.').waitFor();
    await expect
      .poll(async () => (await rows()).filter((r) => r.includes('Succeeded')).length, { timeout: 20_000 })
      .toBe(3);
    expect((await runsOf('')).counts).toEqual({ scheduled: 0, running: 0, succeeded: 3, failed: 0 });

    // The second attempt was a replay and succeeded.
    await page.getByRole('link', { name: 'Per Olsen' }).click();
    const second = page.locator('.attempt', { hasText: 'Attempt 2' });
    await second.waitFor();
    expect(await second.innerText()).toContain('Replay');
    expect(await second.locator('pre.excerpt').innerText()).toBe('thanks');

    // The automations list: last run and the 14-day success rate (3 of 3).
    await page.getByRole('navigation').getByRole('link', { name: 'Automations' }).click();
    const row = page.locator('tr', { hasText: 'CRM feed' });
    await expect.poll(() => row.innerText()).toContain('100%');
  });

  it('limits the period to the retention window and translates the API error', async () => {
    await page.goto(runsPath);
    await page.getByRole('button', { name: 'Filter' }).click();
    // A date field typed segment by segment in the UI's locale (dd/mm/yyyy in en-GB).
    const from = page.getByRole('group', { name: 'From' });
    const typeDate = async (ddmmyyyy: string) => {
      await from.getByRole('spinbutton').first().click();
      await page.keyboard.type(ddmmyyyy);
    };
    const earliest = new Date(Date.now() - 14 * 24 * 3600 * 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    await page.getByText('Runs are kept for 14 days').waitFor();
    await typeDate('01012020');
    expect(await from.innerText()).toMatch(/01\s*\/\s*01\s*\/\s*2020/);
    await page.locator('.field-error', { hasText: 'The period can start on' }).waitFor();
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await screenshot(page, 'en-runs-period-too-early');
    // The earliest allowed date is accepted (the API would refuse its midnight).
    await typeDate(`${pad(earliest.getDate())}${pad(earliest.getMonth() + 1)}${earliest.getFullYear()}`);
    await page.locator('.field-error').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await rows()).length).toBe(3);

    await page.goto(`${runsPath}?from=2020-01-01`);
    await page.getByText('The period starts before the oldest runs that are kept.').waitFor();
    expect(watched.problems.filter((p) => !p.includes('400'))).toEqual([]);
  });

  it('works from the keyboard: menu and filter panel open with focus inside and close with Escape', async () => {
    await page.goto(runsPath);
    await page.locator('.runs-table tbody tr').first().waitFor();
    const filterButton = page.getByRole('button', { name: 'Filter', exact: true });
    const actionsButton = page.getByRole('button', { name: 'Actions', exact: true });

    // Filter: Enter opens it with focus in the search field; Escape closes it, focus back on Filter.
    await filterButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => filterButton.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(async () => (await focused(page)).tag).toBe('input');
    await page.keyboard.type('kari');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await page.locator('form.filter-panel').waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Filter' });
    // Cancel returns focus too; Apply keeps it on Filter in the filtered log.
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Filter' });
    await page.keyboard.press('Enter');
    await page.keyboard.type('olsen');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).search).toBe('?search=olsen');
    await expect.poll(async () => (await rows()).length).toBe(1);
    await expect.poll(async () => (await focused(page)).name).toBe('Filter');

    // Actions: Enter opens it on its first item, arrows move, Escape closes back to Actions.
    await actionsButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).name).toBe('Replay runs…');
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).name).toMatch(/^Replay all failed/);
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).name).toBe('Replay runs…');
    await page.keyboard.press('ArrowUp');
    expect((await focused(page)).name).toMatch(/^Replay all failed/);
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    // React Aria gives focus back once the popover has gone (a frame later).
    await expect.poll(async () => await focused(page)).toMatchObject({ tag: 'button', name: 'Actions' });
    expect(await actionsButton.getAttribute('aria-expanded')).toBe('false');

    // A click anywhere else closes it.
    await actionsButton.click();
    await page.getByRole('menu').waitFor();
    const title = (await page.getByRole('heading', { level: 1 }).boundingBox())!;
    await page.mouse.click(title.x + title.width / 2, title.y + title.height / 2);
    await page.getByRole('menu').waitFor({ state: 'detached' });

    // ArrowDown on the button opens it too; Enter on an item chooses it, and focus goes to what it opened.
    await actionsButton.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await focused(page)).name).toBe('Replay runs…');
    await page.keyboard.press('Enter');
    await page.locator('.replay-bar').waitFor();
    await expect.poll(async () => await focused(page)).toMatchObject({ tag: 'h2', name: 'Replay runs…' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.getByText('1 selected').waitFor();
    expect(await page.getByRole('menu').count()).toBe(0);
    // Tabbing out of the open menu closes it.
    await actionsButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).name).toBe('Replay runs…');
    await page.keyboard.press('Tab');
    await page.getByRole('menu').waitFor({ state: 'detached' });
  });

  it('speaks Norwegian in the runs log', async () => {
    await page.goto(runsPath);
    await page.getByLabel('Language').selectOption('nb');
    await page.getByRole('heading', { level: 1, name: 'Automatiseringskjøringer' }).waitFor();
    const counts = await page.locator('.run-counts').innerText();
    for (const status of ['Planlagt', 'Spiller', 'Vellykket', 'Mislykket']) expect(counts).toContain(status);
    expect((await rows())[0]).toContain('Vellykket');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByLabel('Søk etter navn eller e-postadresse').waitFor();
    await page.getByText('Tidsperiode', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'Bruk' }).waitFor();
    await screenshot(page, 'nb-runs-filter-panel');
    await page.getByRole('button', { name: 'Handlinger' }).click();
    await page.getByRole('menuitem', { name: 'Spill på nytt …' }).click();
    await page.getByRole('button', { name: 'Spill på nytt', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Per Olsen' }).click();
    await page.getByRole('heading', { name: 'Forsøkslogg' }).waitFor();
    await page.getByText('Spilt på nytt').waitFor();
    await page.getByText('Utgående melding').waitFor();
    await screenshot(page, 'nb-run-details');
    await page.getByLabel('Språk').selectOption('en');
    await page.getByRole('heading', { name: 'Attempt log' }).waitFor();
  });

  it('names runs of anonymous surveys "Anonymous" and shows no name or e-mail', async () => {
    const survey = await apiPost<{ id: string }>('/api/v1/surveys', {
      title: 'Anonymous poll',
      anonymous: true,
    });
    const automation = await apiPost<{ id: string }>('/api/v1/automations', {
      type: 'outgoing_webhook',
      surveyId: survey.id,
      name: 'Anonymous feed',
      url: receiver.urlFor('/anon'),
      variables: { mode: 'all' },
      labels: 'auto',
    });
    await apiPost(`/api/v1/surveys/${survey.id}/responses`, { answers: {} });
    await page.goto(`/automations/${automation.id}/runs`);
    await page.getByRole('link', { name: 'Anonymous', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Anonymous' }).waitFor();
    const facts = await page.locator('.run-facts').innerText();
    expect(facts).not.toContain('First name');
    expect(facts).not.toContain('E-mail');
    await page.locator('pre.message').waitFor();
  });

  it('has no horizontal scroll at 375 px on the runs log and run details', async () => {
    const phone = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 375, height: 740 },
      storageState: await context.storageState(),
    });
    const p = await phone.newPage();
    try {
      await p.goto(runsPath);
      await p.locator('.runs-table tbody tr').first().waitFor();
      await p.getByRole('button', { name: 'Filter' }).click();
      await p.getByRole('button', { name: 'Actions' }).click();
      await p.getByRole('menuitem', { name: 'Replay runs…' }).click();
      await expectNoHorizontalScroll(p, 'runs log');
      await screenshot(p, '375-runs-log-filter-replay');
      await p.getByRole('link', { name: 'Per Olsen' }).click();
      await p.locator('.attempt').first().waitFor();
      await expectNoHorizontalScroll(p, 'run details');
      await screenshot(p, '375-run-details');
      await p.goto(`/automations/${automationId}`);
      await p.locator('svg.chart').waitFor();
      await p.waitForLoadState('networkidle');
      await expectNoHorizontalScroll(p, 'automation page');
      await screenshot(p, '375-automation-chart');
      await expectNoXss(p);
    } finally {
      await phone.close();
    }
  });
});
