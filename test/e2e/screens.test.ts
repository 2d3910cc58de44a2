// Every main screen in both languages at 375 and 1280 px: no word broken inside a table header or cell,
// no English in the Norwegian UI, no console error or failed load (favicon), no horizontal scroll, and
// a screenshot of each (test-results/screenshots/<lang>-<width>-<screen>.png). Also the defects a user
// meets in the runs log: primary link-buttons readable on hover and focus, no focus box on a page's
// heading, the whole row opens a run, a shortened push URL, status counts as filters, no pager for
// one page.
import type { APIRequestContext, Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/locales/en.json' with { type: 'json' };
import nb from '../../web/src/locales/nb.json' with { type: 'json' };
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { startSmtpServer, type SmtpServer } from '../helpers/smtp.js';
import {
  brokenWords,
  contrastOf,
  focusBoxOf,
  expectNoHorizontalScroll,
  launchBrowser,
  screenshot,
  startUiServer,
  watchPage,
  type UiServer,
} from './browser.js';

const WIDTHS = [375, 1280] as const;
const LANGS = [
  { lang: 'en', locale: 'en-GB' },
  { lang: 'nb', locale: 'nb-NO' },
] as const;

// English phrases of the UI (two words or more, not the same in Norwegian): none may show in the nb UI.
const enTable = en as Record<string, string>;
const nbTable = nb as Record<string, string>;
const ENGLISH = Object.entries(enTable)
  .filter(([key, text]) => nbTable[key] !== text && !text.includes('{{') && /\w \w/.test(text))
  .map(([, text]) => text);

describe('main screens in both languages and widths', () => {
  let server: UiServer;
  let browser: Browser;
  let context: BrowserContext;
  let receiver: Receiver;
  let smtp: SmtpServer;
  let csrf = '';
  let surveyId = '';
  let automationId = '';
  let runId = '';
  const longPath = '/hooks/svarbud/kundeundersokelse-2026/innkommende-svar';

  const request = (): APIRequestContext => context.request;
  async function apiPost<T>(path: string, data: unknown): Promise<T> {
    const res = await request().post(path, { data, headers: { 'x-csrf-token': csrf } });
    expect(res.status(), await res.text()).toBeLessThan(300);
    return (await res.json()) as T;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    smtp = await startSmtpServer();
    server = await startUiServer({ SVARBUD_SMTP_URL: smtp.url });
    receiver = await startReceiver({ reply: { status: 200, body: 'takk' } });
    context = await browser.newContext({ baseURL: server.baseUrl, locale: 'en-GB' });
    const signup = await request().post('/api/v1/auth/signup', {
      data: {
        email: `skjermer-${Date.now()}@eksempel.no`,
        password: 'correct horse battery',
        name: 'Sigrid Skjerm',
        organizationName: 'Anonymtilinnboks AS',
      },
    });
    expect(signup.status()).toBe(201);
    csrf = ((await (await request().get('/api/v1/me')).json()) as { csrfToken: string }).csrfToken;
    const survey = await apiPost<{ id: string }>('/api/v1/surveys', {
      title: 'Kundeundersøkelse',
      questions: [{ type: 'text', text: 'Kommentarer?' }],
    });
    surveyId = survey.id;
    const automation = await apiPost<{ id: string }>('/api/v1/automations', {
      type: 'outgoing_webhook',
      surveyId,
      name: 'Anonymtilinnboks',
      url: receiver.urlFor(longPath),
      variables: { mode: 'all' },
      labels: 'auto',
    });
    automationId = automation.id;
    for (const [firstName, lastName] of [
      ['Kari', 'Nordmann'],
      ['Bartholomeus', 'Langnavnsen-Kristoffersen'],
    ])
      await apiPost(`/api/v1/surveys/${surveyId}/responses`, {
        respondent: {
          firstName,
          lastName,
          email: `${firstName!.toLowerCase()}.${lastName!.toLowerCase()}@eksempel.no`,
        },
        answers: {},
      });
    await server.harness.waitFor(
      async () => {
        const res = await request().get(`/api/v1/automations/${automationId}/runs?status=succeeded`);
        return (await res.json()) as { items: { id: string }[] };
      },
      (page) => page.items.length === 2,
      20_000,
    );
    const runs = (await (await request().get(`/api/v1/automations/${automationId}/runs`)).json()) as {
      items: { id: string }[];
    };
    runId = runs.items[0]!.id;
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await receiver?.close();
    await server?.close();
    await smtp?.close();
  });

  /** The main screens and what shows each has loaded. */
  const screens = () => [
    { name: 'surveys', path: '/surveys', ready: 'table, .card' },
    { name: 'survey', path: `/surveys/${surveyId}`, ready: 'h2' },
    { name: 'data-labels', path: `/surveys/${surveyId}/settings/data-labels`, ready: '.labels-grid' },
    { name: 'templates', path: '/templates', ready: 'h1' },
    { name: 'automations', path: '/automations', ready: 'table' },
    { name: 'wizard', path: '/automations/new', ready: 'form.wizard select' },
    { name: 'automation', path: `/automations/${automationId}`, ready: 'svg.chart' },
    { name: 'automation-log', path: `/automations/${automationId}?part=log`, ready: '.stats' },
    { name: 'automation-settings', path: `/automations/${automationId}?part=settings`, ready: 'code.secret' },
    {
      name: 'automation-notifications',
      path: `/automations/${automationId}?part=notifications`,
      ready: '#notifications-heading',
    },
    { name: 'automation-contract', path: `/automations/${automationId}?part=contract`, ready: 'pre.json' },
    { name: 'runs-log', path: `/automations/${automationId}/runs`, ready: '.runs-table tbody tr' },
    { name: 'run-details', path: `/runs/${runId}`, ready: '.attempt' },
    { name: 'inbox', path: '/inbox', ready: 'code.inbox-url' },
  ];

  for (const { lang, locale } of LANGS)
    for (const width of WIDTHS)
      it(`${lang} at ${width} px: whole words, ${lang === 'nb' ? 'no English, ' : ''}no console error`, async () => {
        const ctx = await browser.newContext({
          baseURL: server.baseUrl,
          locale,
          viewport: { width, height: 800 },
          storageState: await context.storageState(),
        });
        const page = await ctx.newPage();
        page.setDefaultTimeout(15_000);
        const watched = watchPage(page);
        try {
          for (const screen of screens()) {
            await page.goto(screen.path);
            await page.locator(screen.ready).first().waitFor();
            await page.waitForLoadState('networkidle');
            const where = `${lang} ${width} px ${screen.name}`;
            await screenshot(page, `${lang}-${width}-${screen.name}`);
            expect(
              await brokenWords(page, 'th, td, dt, dd'),
              `words broken in a table or list on ${where}`,
            ).toEqual([]);
            await expectNoHorizontalScroll(page, where);
            if (width === 375) {
              // On a phone the header leaves the first screen to the page (it once took half of it).
              const header = await page.locator('header.app-header').boundingBox();
              expect(header!.height, `header height on ${where}`).toBeLessThanOrEqual(800 / 5);
            }
            if (lang === 'nb') {
              // Machine content shown verbatim (the payload contract's JSON, URLs, ids) is not UI wording.
              // A string: the test tsconfig has no DOM types.
              const text = await page.evaluate<string>(`(() => {
                const copy = document.body.cloneNode(true);
                for (const el of copy.querySelectorAll('pre, code')) el.remove();
                return copy.textContent ?? '';
              })()`);
              expect(
                ENGLISH.filter((phrase) => text.includes(phrase)),
                `English on ${where}`,
              ).toEqual([]);
            }
          }
          expect(watched.problems).toEqual([]);
        } finally {
          await ctx.close();
        }
      });

  it('keeps primary link-buttons readable on hover and keyboard focus', async () => {
    const page = await context.newPage();
    try {
      await page.goto('/automations');
      for (const name of ['Create automation']) {
        const link = page.getByRole('link', { name }).first();
        await link.waitFor();
        expect(await contrastOf(link), `${name} at rest`).toBeGreaterThanOrEqual(4.5);
        await link.hover();
        expect(await contrastOf(link), `${name} on hover`).toBeGreaterThanOrEqual(4.5);
        await link.focus();
        expect(await contrastOf(link), `${name} focused`).toBeGreaterThanOrEqual(4.5);
      }
      await page.goto(`/automations/${automationId}?part=log`);
      const runsLink = page.getByRole('link', { name: 'Automation runs', exact: true });
      await runsLink.hover();
      expect(await contrastOf(runsLink), 'Automation runs on hover').toBeGreaterThanOrEqual(4.5);
      await page.mouse.move(0, 0);
      await runsLink.focus();
      expect(await contrastOf(runsLink), 'Automation runs focused').toBeGreaterThanOrEqual(4.5);

      // In-app navigation gives the new page's heading focus, without a focus box around it.
      await page.keyboard.press('Enter');
      const h1 = page.getByRole('heading', { level: 1, name: 'Automation runs' });
      await h1.waitFor();
      await expect.poll(async () => (await focusBoxOf(h1)).focused).toBe(true);
      expect(await focusBoxOf(h1)).toEqual({ focused: true, outline: 'none', shadow: 'none' });
    } finally {
      await page.close();
    }
  });

  it('runs log: counts filter, a shortened push URL, no pager for one page, the whole row opens a run', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`/automations/${automationId}/runs`);
      await page.locator('.runs-table tbody tr').first().waitFor();
      expect(await page.locator('nav.pager').count()).toBe(0);
      // The push URL is shortened; the whole URL is on hover (title).
      const url = page.locator('.runs-table tbody tr').first().locator('.url');
      expect(await url.innerText()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…\/innkommende-svar$/);
      expect(await url.getAttribute('title')).toBe(receiver.urlFor(longPath));
      // Times to the second, and how long ago.
      const created = await page.locator('.runs-table tbody tr td.when').first().innerText();
      expect(created).toMatch(/\d{2}:\d{2}:\d{2}/);
      expect(created).toMatch(/ago|now/);

      await page
        .locator('.run-counts')
        .getByRole('link', { name: /Succeeded/ })
        .click();
      await expect.poll(() => new URL(page.url()).search).toBe('?status=succeeded');
      await page.locator('.active-filter', { hasText: 'Succeeded' }).waitFor();

      await page.locator('.runs-table tbody tr').first().locator('td.when').click();
      await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/runs\//);
      await page.locator('.attempt').first().waitFor();
    } finally {
      await page.close();
    }
  });

  it('asks before leaving unsaved settings, and keeps them when the user stays', async () => {
    const page = await context.newPage();
    const watched = watchPage(page);
    try {
      await page.goto(`/automations/${automationId}?part=settings`);
      const name = page.getByLabel('Name', { exact: true });
      await name.fill('Renamed feed');
      await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
      const ask = page.getByRole('alertdialog', { name: 'Leave without saving?' });
      await ask.waitFor();
      await ask.getByRole('button', { name: 'Cancel' }).click();
      expect(new URL(page.url()).pathname).toBe(`/automations/${automationId}`);
      expect(await name.inputValue()).toBe('Renamed feed');
      await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
      await ask.getByRole('button', { name: 'Leave without saving' }).click();
      await page.getByRole('heading', { level: 1, name: 'Surveys' }).waitFor();
      expect(watched.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('names the last error and its hint in the banner of an automation the receiver disabled', async () => {
    const gone = await startReceiver({ reply: { status: 410, body: 'no longer here' } });
    const page = await context.newPage();
    try {
      const survey = await apiPost<{ id: string }>('/api/v1/surveys', { title: 'Avsluttet', questions: [] });
      const automation = await apiPost<{ id: string }>('/api/v1/automations', {
        type: 'outgoing_webhook',
        surveyId: survey.id,
        name: 'Gammel mottaker',
        url: gone.urlFor('/old'),
        variables: { mode: 'all' },
        labels: 'auto',
      });
      await apiPost(`/api/v1/surveys/${survey.id}/responses`, { answers: {} });
      await server.harness.waitFor(
        async () => {
          const res = await request().get(`/api/v1/automations/${automation.id}`);
          return (await res.json()) as { enabled: boolean };
        },
        (a) => !a.enabled,
        20_000,
      );
      await page.goto(`/automations/${automation.id}`);
      const banner = page.getByRole('region', { name: 'This automation is disabled' });
      await banner.getByText('The receiver answered 410.').waitFor();
      await banner.locator('.hint-box', { hasText: 'it no longer wants deliveries' }).waitFor();
      await screenshot(page, 'en-1280-automation-disabled-gone');
    } finally {
      await page.close();
      await gone.close();
    }
  });
});
