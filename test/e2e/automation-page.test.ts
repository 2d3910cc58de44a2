// The automation page of issue 12 in a real browser: in parts (tabs with the part in the URL, Back and
// Forward between them, edits kept across parts) instead of one long column; the 14-day chart with a
// count axis, dates with months in the UI's language and a text alternative; and the connection test
// of settings not saved yet, with a question before a URL that has not passed a test is saved.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import {
  expectNoHorizontalScroll,
  openUiSession,
  watchPage,
  screenshot,
  type UiServer,
  type UiSession,
  signUpInBrowser,
  type ApiCall,
} from './browser.js';

interface Daily {
  days: { date: string; succeeded: number; failed: number; scheduled: number; running: number }[];
}

describe('the automation page', () => {
  let ui: UiSession;
  let server: UiServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let receiver: Receiver;
  let watched: { problems: string[] };
  let automationId = '';
  let automationPath = '';

  let api: ApiCall;
  const savedUrl = async () => (await api<{ url: string }>('GET', `/automations/${automationId}`)).url;
  const search = () => new URL(page.url()).search;

  beforeAll(async () => {
    // A failed attempt fails its run at once: the chart gets failed runs without waiting.
    ui = await openUiSession({ SVARBUD_RETRY_SCHEDULE: '0' });
    ({ server, browser, context, page, watched } = ui);
    receiver = await startReceiver({ reply: { status: 200, body: 'ok' } });

    api = await signUpInBrowser(context, {
      emailPrefix: 'parts',
      name: 'Per Parts',
      organizationName: 'Parts AS',
    });
    const survey = await api<{ id: string }>('POST', '/surveys', {
      title: 'Parts survey',
      questions: [{ type: 'text', text: 'Comments?' }],
    });
    automationId = (
      await api<{ id: string }>('POST', '/automations', {
        type: 'outgoing_webhook',
        surveyId: survey.id,
        name: 'Parts feed',
        url: receiver.urlFor('/hook'),
        variables: { mode: 'all' },
        labels: 'auto',
      })
    ).id;
    automationPath = `/automations/${automationId}`;
    // Five runs today: the first two attempts fail, the other three succeed.
    receiver.replyOnce({ status: 500 }, { status: 500 });
    for (let i = 0; i < 5; i++) await api('POST', `/surveys/${survey.id}/responses`, { answers: {} });
    await server.harness.waitFor(
      () => api<{ stats: Record<string, number> }>('GET', `/automations/${automationId}`),
      (a) => a.stats.succeeded === 3 && a.stats.failed === 2,
      20_000,
    );
  });

  afterAll(async () => {
    await ui?.close();
    await receiver?.close();
  });

  it('shows one part at a time, with the part in the URL and Back and Forward between parts', async () => {
    await page.goto(automationPath);
    const parts = page.getByRole('tablist', { name: 'Parts of the automation' });
    const tab = (name: string) => parts.getByRole('tab', { name, exact: true });
    await tab('Overview').waitFor();
    expect(await parts.getByRole('tab').allInnerTexts()).toEqual([
      'Overview',
      'Log',
      'Settings',
      'Failure notifications',
      'Payload contract',
    ]);
    expect(await tab('Overview').getAttribute('aria-selected')).toBe('true');
    await page.locator('svg.chart').waitFor();
    // Only the overview shows: no settings form, secret or payload contract below the chart.
    expect(await page.getByRole('heading', { name: 'Signing secret' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Payload contract' }).count()).toBe(0);
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    expect(height, 'the overview is one screenful, not the whole page in one column').toBeLessThan(1400);
    await screenshot(page, 'en-automation-part-overview');

    await tab('Settings').click();
    await expect.poll(search).toBe('?part=settings');
    await page.getByRole('heading', { name: 'Signing secret' }).waitFor();
    expect(await page.locator('svg.chart').isVisible()).toBe(false);
    await screenshot(page, 'en-automation-part-settings');
    await tab('Payload contract').click();
    await expect.poll(search).toBe('?part=contract');
    await page.getByRole('region', { name: 'Payload contract' }).waitFor();

    // The browser's Back and Forward move between the parts opened.
    await page.goBack();
    await expect.poll(search).toBe('?part=settings');
    await page.getByRole('heading', { name: 'Signing secret' }).waitFor();
    await page.goBack();
    await expect.poll(search).toBe('');
    await page.locator('svg.chart').waitFor();
    expect(await tab('Overview').getAttribute('aria-selected')).toBe('true');
    await page.goForward();
    await page.getByRole('heading', { name: 'Signing secret' }).waitFor();

    // By keyboard: arrows move between the tabs, Enter opens one.
    await tab('Settings').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(search).toBe('?part=notifications');
    await page.getByLabel('E-mail notifications').waitFor();

    // A link to a part opens it; an unknown part is the overview.
    await page.goto(`${automationPath}?part=log`);
    await page.getByRole('link', { name: 'Automation runs', exact: true }).waitFor();
    expect(await tab('Log').getAttribute('aria-selected')).toBe('true');
    await page.goto(`${automationPath}?part=nonsense`);
    await page.locator('svg.chart').waitFor();
    expect(await tab('Overview').getAttribute('aria-selected')).toBe('true');
  });

  it('keeps settings not saved yet while another part is looked at, without asking', async () => {
    await page.goto(`${automationPath}?part=settings`);
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('Renamed feed');
    const parts = page.getByRole('tablist', { name: 'Parts of the automation' });
    await parts.getByRole('tab', { name: 'Log' }).click();
    await page.getByRole('link', { name: 'Automation runs', exact: true }).waitFor();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await parts.getByRole('tab', { name: 'Settings' }).click();
    expect(await name.inputValue()).toBe('Renamed feed');
    // Leaving the page still asks.
    await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Leave without saving?' });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await name.fill('Parts feed');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
  });

  for (const { lang, locale, summary, busiest } of [
    {
      lang: 'en',
      locale: 'en-GB',
      summary: '5 runs in the last 14 days (Succeeded: 3, Failed: 2).',
      busiest: /Most on .+: 5 runs\./,
    },
    {
      lang: 'nb',
      locale: 'nb-NO',
      summary: '5 kjøringer de siste 14 dagene (Vellykket: 3, Mislykket: 2).',
      busiest: /Flest .+: 5 kjøringer\./,
    },
  ])
    it(`draws the 14-day chart with a count axis, dates with months and a text alternative (${lang})`, async () => {
      const ctx = await browser.newContext({
        baseURL: server.baseUrl,
        locale,
        viewport: { width: 375, height: 800 },
        // Signed in, but with no language remembered: the browser's locale chooses it.
        storageState: { cookies: (await context.storageState()).cookies, origins: [] },
      });
      const p = await ctx.newPage();
      p.setDefaultTimeout(15_000);
      const problems = watchPage(p).problems;
      try {
        await p.goto(automationPath);
        const chart = p.locator('svg.chart');
        await chart.waitFor();
        // Five runs on the busiest day: whole-number ticks up to a round top.
        expect(await chart.locator('.chart-y-axis text').allTextContents()).toEqual([
          '0',
          '1',
          '2',
          '3',
          '4',
          '5',
        ]);

        // The days from the same answer the chart draws; the axis names the month where it begins
        // and where it changes, as the UI's locale writes it.
        const zone = await p.evaluate<string>('Intl.DateTimeFormat().resolvedOptions().timeZone');
        const daily = await api<Daily>(
          'GET',
          `/automations/${automationId}/runs/daily?days=14&timeZone=${encodeURIComponent(zone)}`,
        );
        const month = new Intl.DateTimeFormat(locale, { month: 'short' });
        const months = daily.days
          .filter((d, i) => i === 0 || d.date.slice(0, 7) !== daily.days[i - 1]!.date.slice(0, 7))
          .map((d) => month.format(new Date(`${d.date}T00:00`)));
        expect(await chart.locator('.chart-month').allTextContents()).toEqual(months);
        const today = new Intl.DateTimeFormat(locale, { day: 'numeric' }).format(
          new Date(`${daily.days.at(-1)!.date}T00:00`),
        );
        const dayLabels = chart.locator('.chart-date');
        expect(await dayLabels.count()).toBe(14);
        expect(await dayLabels.last().textContent()).toBe(today);

        // Readable on a phone: the text keeps its size, and no two date labels overlap.
        // In the page (strings: the test tsconfig has no DOM types).
        expect(
          await p.evaluate<string>(
            "getComputedStyle(document.querySelector('svg.chart .chart-tick')).fontSize",
          ),
        ).toBe('12px');
        // Each line of labels (days, months) apart: no two labels of a line overlap.
        const overlaps = await p.evaluate<number>(`(() => {
          const overlapping = (selector) => {
            const boxes = [...document.querySelectorAll(selector)]
              .filter((t) => t.textContent.trim() !== '')
              .map((t) => t.getBoundingClientRect());
            return boxes.filter((b, i) => i > 0 && b.left < boxes[i - 1].right).length;
          };
          return overlapping('svg.chart .chart-date') + overlapping('svg.chart .chart-month');
        })()`);
        expect(overlaps).toBe(0);
        await expectNoHorizontalScroll(p, `${lang} automation chart`);

        // The text alternative: the image's name, and a sentence with the totals that describes it.
        await p
          .getByRole('img', {
            name: lang === 'en' ? 'Runs in the last 14 days' : 'Kjøringer de siste 14 dagene',
          })
          .waitFor();
        const described = await p.evaluate<string>(
          `(document.querySelector('svg.chart').getAttribute('aria-describedby') || '')
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ')`,
        );
        expect(described).toContain(summary);
        expect(described).toMatch(busiest);
        await p.getByText(summary).waitFor();
        await screenshot(p, `${lang}-375-automation-chart-axes`);
        expect(problems).toEqual([]);
      } finally {
        await ctx.close();
      }
    });

  it('tests the settings as edited, and asks before a URL that has not passed a test is saved', async () => {
    await page.goto(`${automationPath}?part=settings`);
    const url = page.getByLabel('URL', { exact: true });
    const save = page.getByRole('button', { name: 'Save' });
    const saved = page.getByText('The settings were saved.');

    // A test of a URL not saved yet reaches that URL; the automation keeps its own until saved.
    receiver.clear();
    await url.fill(receiver.urlFor('/edited'));
    await page.getByText('The new URL has not passed a connection test').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('heading', { name: 'Connection succeeded' }).waitFor();
    const [sample] = await receiver.waitForRequests(1);
    expect(sample!.path).toBe('/edited');
    expect(JSON.parse(sample!.text).type).toBe('automation.test');
    expect(await savedUrl()).toBe(receiver.urlFor('/hook'));
    await page.getByText('The new URL passed the connection test.').waitFor();
    await save.click();
    await saved.waitFor();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    expect(await savedUrl()).toBe(receiver.urlFor('/edited'));

    // A URL that has not passed a test: saving asks first, naming the risk; cancelling saves nothing.
    const closed = await startReceiver();
    const closedUrl = closed.urlFor('/gone');
    await closed.close();
    await url.fill(closedUrl);
    await save.click();
    const ask = page.getByRole('alertdialog', { name: 'Save a URL that has not been tested?' });
    await ask.getByText(`${closedUrl} has not passed a connection test. This automation is live`).waitFor();
    await ask.getByText('after 5 failures in a row it is disabled', { exact: false }).waitFor();
    await screenshot(page, 'en-automation-untested-url');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await savedUrl()).toBe(receiver.urlFor('/edited'));
    expect(await url.inputValue()).toBe(closedUrl);

    // A failed test does not count as passed; saving anyway is the user's choice.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('heading', { name: 'Connection failed' }).waitFor();
    await save.click();
    await ask.getByRole('button', { name: 'Save anyway' }).click();
    await saved.waitFor();
    expect(await savedUrl()).toBe(closedUrl);

    // A disabled automation sends nothing: its URL is saved without the question.
    await url.fill(receiver.urlFor('/later'));
    await page.getByLabel('Enabled').uncheck();
    await save.click();
    await page.getByRole('region', { name: 'This automation is disabled' }).waitFor();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    expect(await savedUrl()).toBe(receiver.urlFor('/later'));
    expect(watched.problems).toEqual([]);
  });
});
