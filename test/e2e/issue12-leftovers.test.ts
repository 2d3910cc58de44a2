// Issue 12's leftovers in a real browser: run details show the request headers each attempt sent
// (signature shortened, credentials masked), the dev mailbox screen (no SMTP server here: the invitation
// mail is kept there; from the header, in both languages), and renaming and deleting a template with a
// confirmation and a toast; two answer options reading the same are refused at the second; the respondent
// page gives the server's reasons (nothing answered, a bad e-mail) in Norwegian.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueMail } from '../../src/notifications/mail-sender.js';
import { createMailTransport } from '../../src/notifications/mail-transport.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import {
  brokenWords,
  expectNoHorizontalScroll,
  openUiSession,
  watchPage,
  screenshot,
  type UiServer,
  type UiSession,
  signUpInBrowser,
  type ApiCall,
} from './browser.js';

const TOKEN = 'sk-live-0123456789abcdef';
const NB_INVALID_EMAIL = 'Skriv inn en gyldig e-postadresse.';

describe("issue 12's leftovers in the web UI", () => {
  let ui: UiSession;
  let server: UiServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let receiver: Receiver;
  let watched: { problems: string[] };
  let surveyId = '';

  let api: ApiCall;

  beforeAll(async () => {
    // No SVARBUD_SMTP_URL: mail goes to the dev mailbox.
    ui = await openUiSession();
    ({ server, browser, context, page, watched } = ui);
    receiver = await startReceiver({ reply: { status: 200, body: 'received' } });
    api = await signUpInBrowser(context, {
      emailPrefix: 'i12',
      name: 'Rita Owner',
      organizationName: 'Leftovers AS',
    });
    surveyId = (
      await api<{ id: string }>('POST', '/surveys', {
        title: 'Staff survey',
        questions: [{ type: 'text', text: 'Comments?' }],
      })
    ).id;
  });

  afterAll(async () => {
    await ui?.close();
    await receiver?.close();
  });

  it('shows the request headers each attempt sent, the signature shortened and the token masked', async () => {
    await api('POST', '/automations', {
      type: 'outgoing_webhook',
      surveyId,
      name: 'CRM feed',
      url: receiver.urlFor('/crm'),
      variables: { mode: 'all' },
      labels: 'auto',
      headers: { Authorization: `Bearer ${TOKEN}`, 'X-Tenant': 'acme' },
    });
    const response = await api<{ runs: { id: string }[] }>('POST', `/surveys/${surveyId}/responses`, {
      respondent: { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com' },
      answers: {},
    });
    const [sent] = await receiver.waitForRequests(1);
    const signature = String(sent!.headers['webhook-signature']);
    const runId = response.runs[0]!.id;
    await server.harness.waitFor(
      () => api<{ status: string }>('GET', `/runs/${runId}`),
      (r) => r.status === 'succeeded',
    );

    await page.goto(`/runs/${runId}`);
    const table = page.getByRole('table', { name: 'Request headers sent' });
    await table.waitFor();
    const names = await table.locator('tbody th').allInnerTexts();
    const values = await table.locator('tbody td').allInnerTexts();
    const byName = new Map(names.map((n, i) => [n, values[i]]));
    expect(byName.get('authorization')).toBe('Bearer ••••••');
    expect(byName.get('x-tenant')).toBe('acme');
    expect(byName.get('webhook-id')).toBe(runId);
    const mac = signature.slice(3);
    expect(byName.get('webhook-signature')).toBe(`v1,${mac.slice(0, 4)}…${mac.slice(-4)}`);
    expect(await page.locator('main').innerText()).not.toContain(TOKEN);
    // The receiver's answer sits next to them.
    await page.getByRole('heading', { level: 4, name: 'Response excerpt' }).waitFor();
    expect(await brokenWords(page, '.sent-headers th, .sent-headers td')).toEqual([]);
    await screenshot(page, 'en-1280-run-headers');
    await page.setViewportSize({ width: 375, height: 800 });
    await expectNoHorizontalScroll(page, 'run details with headers at 375 px');
    expect(await brokenWords(page, '.sent-headers th, .sent-headers td')).toEqual([]);
    await screenshot(page, 'en-375-run-headers');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lists the mail kept in the dev mailbox, from the header, and opens one to its text', async () => {
    await api('POST', '/invitations', { email: 'nils@example.com', language: 'en' });
    const transport = createMailTransport(server.harness.ctx);
    try {
      await sendDueMail(server.harness.ctx, transport, Date.now());
    } finally {
      transport.close();
    }
    await page.goto('/surveys');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dev mailbox' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dev mailbox' }).waitFor();
    const mail = page.locator('.mailbox li').filter({ hasText: 'nils@example.com' });
    await mail.getByText('Rita Owner invited you to Leftovers AS on Svarbud').waitFor();
    const text = mail.locator('pre.mail-text');
    expect(await text.isVisible()).toBe(false); // collapsed until opened
    await mail.locator('summary').click();
    await expect.poll(() => text.innerText()).toMatch(/\/invite\/\S+/);
    await screenshot(page, 'en-1280-dev-mailbox');

    await page.locator('.lang-switch select').selectOption('nb');
    await page.getByRole('heading', { level: 1, name: 'Testpostkasse' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Testpostkasse' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Ingen SMTP-server er satt opp');
    await page.setViewportSize({ width: 375, height: 800 });
    await expectNoHorizontalScroll(page, 'dev mailbox at 375 px');
    await screenshot(page, 'nb-375-dev-mailbox');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('.lang-switch select').selectOption('en');
  });

  it('renames a template and deletes it after a confirmation, with a toast after each', async () => {
    await api('POST', `/surveys/${surveyId}/share-as-template`, { name: 'Staff template' });
    await page.goto('/templates');
    await page.getByRole('button', { name: 'Rename: Staff template' }).click();
    const name = page.getByLabel('New name for “Staff template”');
    await name.fill('');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Enter a name.').waitFor();
    await name.fill('Yearly staff survey');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('The template was renamed to “Yearly staff survey”.').waitFor();
    await page.locator('.list-item strong', { hasText: 'Yearly staff survey' }).waitFor();
    const listed = await api<{ items: { name: string }[] }>('GET', '/templates');
    expect(listed.items.map((t) => t.name)).toEqual(['Yearly staff survey']);

    const remove = page.getByRole('button', { name: 'Delete: Yearly staff survey' });
    await remove.click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete the template?' });
    await dialog.getByText('Surveys made from it stay as they are.').waitFor();
    await screenshot(page, 'en-1280-template-delete');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await api<{ items: unknown[] }>('GET', '/templates')).items).toHaveLength(1);

    await remove.click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The template “Yearly staff survey” was deleted.').waitFor();
    await page.getByText('No templates yet.').waitFor();
    expect((await api<{ items: unknown[] }>('GET', '/templates')).items).toEqual([]);
    // The survey it was shared from stays.
    expect((await api<{ id: string }>('GET', `/surveys/${surveyId}`)).id).toBe(surveyId);
    expect(watched.problems).toEqual([]);
  });

  it('refuses two answer options that read the same, at the second one, in Norwegian', async () => {
    await page.goto(`/surveys/${surveyId}`);
    await page.locator('.lang-switch select').selectOption('nb');
    try {
      await page.getByRole('button', { name: 'Legg til spørsmål' }).click();
      await page.getByLabel('Spørsmålstekst').fill('Hvordan var lunsjen?');
      await page.getByLabel('Alternativ 1', { exact: true }).fill('Bra');
      await page.getByLabel('Alternativ 2', { exact: true }).fill(' bra ');
      await page.getByRole('button', { name: 'Lagre' }).click();
      await page.locator('.field-error', { hasText: 'Dette alternativet er likt et annet' }).waitFor();
      // Nothing was saved: the survey still has its one question.
      const survey = await api<{ questions: unknown[] }>('GET', `/surveys/${surveyId}`);
      expect(survey.questions).toHaveLength(1);
    } finally {
      await page.locator('.lang-switch select').selectOption('en');
    }
    expect(watched.problems).toEqual([]);
  });
  it("the respondent page says the server's reason in Norwegian: nothing answered, then a bad e-mail", async () => {
    const { publicToken } = await api<{ publicToken: string }>('GET', `/surveys/${surveyId}`);
    const visitor = await browser.newContext({ baseURL: server.baseUrl, locale: 'nb-NO' });
    try {
      const r = await visitor.newPage();
      r.setDefaultTimeout(15_000);
      const seen = watchPage(r);
      await r.goto(`/r/${publicToken}`);
      await r.getByRole('heading', { level: 1, name: 'Staff survey' }).waitFor();
      // Sent without an answer: refused with the form's reason, not "check the marked answers".
      await r.getByRole('button', { name: 'Send inn' }).click();
      await r.getByRole('alert').filter({ hasText: 'Svar på minst ett spørsmål før du sender.' }).waitFor();
      // An answer, but a bad e-mail: the reason stands at the e-mail field.
      await r.getByLabel('Comments?').fill('Mer kaffe');
      await r.getByLabel('E-post').fill('ikke-en-adresse');
      await r.getByRole('button', { name: 'Send inn' }).click();
      await r.locator('.field-error', { hasText: NB_INVALID_EMAIL }).waitFor();
      expect(await r.getByText('Svar på minst ett spørsmål før du sender.').count()).toBe(0);
      await screenshot(r, 'nb-respondent-reasons');
      await r.getByLabel('E-post').fill('kari@example.com');
      await r.getByRole('button', { name: 'Send inn' }).click();
      await r.getByRole('heading', { level: 1, name: 'Takk!' }).waitFor();
      expect(seen.problems.filter((p) => !p.includes('400'))).toEqual([]);
    } finally {
      await visitor.close();
    }
  });
});
