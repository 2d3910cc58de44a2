// The web UI end to end in a real browser: sign up → survey with questions → data labels (rule
// errors as you type) → automation wizard with a connection test against a local receiver → a
// respondent completes the survey → the receiver gets the delivery. Also: Norwegian UI, XSS probes
// rendered as text, and no horizontal scroll at 375 px.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import {
  expectNoHorizontalScroll,
  expectNoXss,
  launchBrowser,
  screenshot,
  startUiServer,
  watchPage,
  XSS_PROBE,
  type UiServer,
} from './browser.js';

describe('web UI', () => {
  let server: UiServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let receiver: Receiver;
  let watched: { problems: string[] };
  const email = `e2e-${Date.now()}@example.com`;
  let surveyUrl = '';
  let automationUrl = '';
  let respondentUrl = '';
  let wizardSecret = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startUiServer();
    receiver = await startReceiver({ reply: { status: 200, body: XSS_PROBE } });
    context = await browser.newContext({ baseURL: server.baseUrl, locale: 'en-GB' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watched = watchPage(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await receiver?.close();
    await server?.close();
  });

  it('signs up, signs out and signs in again', async () => {
    await page.goto('/surveys');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/signin');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect
      .poll(() => page.getByText('The password needs at least 10 characters.').isVisible())
      .toBe(true);
    await page.getByLabel('Your name').fill('Eva Tester');
    await page.getByLabel('Organization').fill('E2E AS');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Surveys' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    // Empty fields are marked, each one.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.field-error', { hasText: 'Fill in this field.' }).count()).toBe(2);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The e-mail or password is wrong.').waitFor();
    await screenshot(page, 'en-signin-wrong-password');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Surveys' }).waitFor();
    await screenshot(page, 'en-surveys-empty');
  });

  it('creates a survey with questions, an XSS probe shown as text', async () => {
    await page.getByLabel('Title').fill('Customer feedback');
    await page.getByRole('button', { name: 'Create survey' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customer feedback' }).waitFor();
    surveyUrl = page.url();

    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Question text').fill(XSS_PROBE);
    await page.getByLabel('Option 1', { exact: true }).fill('Yes');
    await page.getByLabel('Option 2', { exact: true }).fill('No');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The question was saved.').waitFor();
    await page.getByText(XSS_PROBE, { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Question type').selectOption('text');
    await page.getByLabel('Question text').fill('Any comments?');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Any comments?', { exact: true }).waitFor();

    // Copy question 2: the copy follows it; then delete the copy again.
    await page.getByRole('button', { name: 'Copy Question 2' }).click();
    await page.getByText('Question 2 was copied', { exact: false }).waitFor();
    expect(await page.getByText('Any comments?', { exact: true }).count()).toBe(2);
    await page.getByRole('button', { name: 'Delete Question 3' }).click();
    // Confirmed in an accessible dialog, not the browser's confirm().
    const ask = page.getByRole('alertdialog', { name: 'Delete the question?' });
    await ask.getByText('Delete question 3?').waitFor();
    await ask.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The question was deleted.').waitFor();
    expect(await page.getByText('Any comments?', { exact: true }).count()).toBe(1);

    await page.getByLabel('New background variable').fill('Department');
    await page.getByRole('button', { name: 'Add background variable' }).click();
    await page.locator('.chips li', { hasText: 'Department' }).waitFor();
    await expectNoXss(page);
    await screenshot(page, 'en-survey');
  });

  it('sets data labels: rule errors as you type, fixed, saved', async () => {
    await page.getByRole('link', { name: 'Settings: data labels' }).click();
    await page.getByRole('heading', { level: 1, name: 'Data labels' }).waitFor();
    const q1 = page.getByPlaceholder('Q1', { exact: true });
    const q2 = page.getByPlaceholder('Q2', { exact: true });
    const save = page.getByRole('button', { name: 'Save' });
    const fieldError = (text: string) => page.locator('.field-error', { hasText: text });

    await q1.fill('happy customer');
    await fieldError('Only A–Z, a–z, 0–9 and _').waitFor();
    expect(await save.isDisabled()).toBe(true);
    await q1.fill('q7');
    await fieldError('is reserved for auto labels').waitFor();
    await q1.fill('x'.repeat(101));
    await fieldError('At most 100 characters.').waitFor();
    await q1.fill('satisfied');
    await q2.fill('SATISFIED');
    // Both labels are new and equal regardless of case: each is marked, as the API would.
    await expect.poll(() => fieldError('Another variable already has this label').count()).toBe(2);
    expect(await q2.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'en-data-labels-rule-error');
    await q2.fill('comments');
    expect(await page.locator('.field-error').count()).toBe(0);
    await save.click();
    await page.getByText('The data labels were saved.').waitFor();

    const res = await server.harness.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyUrl.split('/').pop()}/data-labels`,
      headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    const labels = (res.json().items as { autoLabel: string; dataLabel: string | null }[]).map((v) => [
      v.autoLabel,
      v.dataLabel,
    ]);
    expect(labels).toContainEqual(['Q1', 'satisfied']);
    expect(labels).toContainEqual(['Q2', 'comments']);
    await expectNoXss(page);
  });

  it('creates an automation with the wizard after a successful connection test', async () => {
    await page.goto(surveyUrl);
    respondentUrl = (await page.getByRole('link', { name: 'Respondent page' }).getAttribute('href'))!;
    await page.getByRole('link', { name: 'Create automation' }).click();
    await page.getByRole('heading', { level: 2, name: 'Step 1 of 7: Survey' }).waitFor();
    expect(await page.getByLabel('Survey whose completed responses').inputValue()).toBe(
      surveyUrl.split('/').pop(),
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: /Outgoing webhook/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Step 3 of 7: Variables' }).waitFor();
    await page.getByLabel('Variables to include').selectOption('specific');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await screenshot(page, 'en-wizard-variables');
    await page.getByLabel('Variables to include').selectOption('all');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Data labels').check();
    await screenshot(page, 'en-wizard-labels');

    // A trip to the survey's data labels keeps the wizard's state, by the browser's Back and by the
    // link back; Back and Forward move between the wizard's steps.
    const labelsStep = page.getByRole('heading', { level: 2, name: 'Step 4 of 7: Labels' });
    const editLabels = page.getByRole('link', { name: 'Edit the survey’s data labels' });
    await editLabels.click();
    await page.getByRole('heading', { level: 1, name: 'Data labels' }).waitFor();
    await page.goBack();
    await labelsStep.waitFor();
    expect(await page.getByLabel('Data labels').isChecked()).toBe(true);
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Step 3 of 7: Variables' }).waitFor();
    await page.goForward();
    await labelsStep.waitFor();
    await editLabels.click();
    await page.getByRole('link', { name: 'Back to the automation wizard' }).click();
    await labelsStep.waitFor();
    expect(await page.getByLabel('Data labels').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();

    // A refused connection: diagnosis and hint, and no way on.
    const closed = await startReceiver();
    const closedUrl = closed.urlFor('/gone');
    await closed.close();
    await page.getByLabel('URL', { exact: true }).fill(closedUrl);
    await page.getByText('This URL uses http').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('heading', { name: 'Connection failed' }).waitFor();
    await page.locator('.diagnosis', { hasText: 'The connection was refused.' }).waitFor();
    await page.locator('.hint-box', { hasText: 'Nothing is listening at that address' }).waitFor();
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await screenshot(page, 'en-wizard-url-failed');

    // The receiver verifies signatures, as Standard Webhooks tells receivers to, with the secret the
    // wizard shows before the test: the test passes only if it is signed with that secret.
    await page.getByRole('button', { name: 'Reveal' }).click();
    wizardSecret = await page.locator('code.secret').innerText();
    expect(wizardSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const verifier = new Webhook(wizardSecret);
    receiver.reply(({ request, res }) => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(', ') : String(v ?? ''),
        ]),
      );
      try {
        verifier.verify(request.text, headers);
      } catch {
        res.writeHead(401).end('signature does not verify');
        return;
      }
      res.writeHead(200).end(XSS_PROBE);
    });
    await page.getByLabel('URL', { exact: true }).fill(receiver.urlFor('/hook'));
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('heading', { name: 'Connection succeeded' }).waitFor();
    // The receiver's answer is the XSS probe: shown as characters, never run.
    await page.locator('pre.excerpt', { hasText: XSS_PROBE }).first().waitFor();
    await expectNoXss(page);
    await screenshot(page, 'en-wizard-url-tested');
    const sample = receiver.requests.at(-1)!;
    expect(JSON.parse(sample.text).type).toBe('automation.test');
    expect(Object.keys(JSON.parse(sample.text).data.variables)).toEqual(
      expect.arrayContaining(['satisfied', 'comments']),
    );
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Fill in this field.').waitFor();
    await page.getByLabel('Name').fill('CRM <b>feed</b>');
    await screenshot(page, 'en-wizard-name');
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.getByLabel('Enabled').isChecked()).toBe(true);
    await screenshot(page, 'en-wizard-status');
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('heading', { level: 1, name: 'CRM <b>feed</b>' }).waitFor();
    automationUrl = page.url();
    // The automation keeps the secret the receiver was given (in the page's settings part).
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    expect(await page.locator('code.secret').innerText()).toBe(wizardSecret);

    await page.getByRole('navigation').getByRole('link', { name: 'Automations' }).click();
    const row = page.locator('tr', { hasText: 'CRM <b>feed</b>' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Customer feedback');
    expect(await row.innerText()).toContain('Enabled');
    await screenshot(page, 'en-automations');
  });

  it('a respondent completes the survey and the receiver gets the delivery', async () => {
    receiver.clear();
    const respondent = await context.newPage();
    const respondentWatch = watchPage(respondent);
    await respondent.goto(respondentUrl);
    await respondent.getByRole('heading', { level: 1, name: 'Customer feedback' }).waitFor();
    await respondent.getByText(XSS_PROBE).first().waitFor();
    await respondent.getByLabel('First name').fill('Kari');
    await respondent.getByLabel('Last name').fill('Nordmann');
    await respondent.getByLabel('E-mail').fill('kari@example.com');
    await respondent.getByLabel('Department').fill('Sales');
    await respondent.getByLabel('Yes').check();
    await respondent.getByLabel('Any comments?').fill('Great <i>service</i>');
    await screenshot(respondent, 'en-respondent');
    await respondent.getByRole('button', { name: 'Submit' }).click();
    await respondent.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await expectNoXss(respondent);
    await screenshot(respondent, 'en-respondent-thanks');

    const [delivery] = await receiver.waitForRequests(1, 15_000);
    const body = JSON.parse(delivery!.text);
    expect(body.type).toBe('survey.response.completed');
    expect(body.data.variables).toMatchObject({
      satisfied: 'Yes',
      comments: 'Great <i>service</i>',
      FirstName: 'Kari',
      Department: 'Sales',
    });
    expect(delivery!.headers['webhook-signature']).toMatch(/^v1,/);
    const signed = Object.fromEntries(
      Object.entries(delivery!.headers).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.join(', ') : String(v ?? ''),
      ]),
    );
    expect(() => new Webhook(wizardSecret).verify(delivery!.text, signed)).not.toThrow();
    expect(respondentWatch.problems).toEqual([]);
    await respondent.close();

    // The automation page's log counts the run as succeeded once delivered.
    await page.goto(`${automationUrl}?part=log`);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('.stats li', { hasText: 'Succeeded' }).innerText();
      })
      .toMatch(/1/);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await screenshot(page, 'en-automation-settings');
  });

  it('manages the automation: secret reveal and rotate, disable banner and enable', async () => {
    await page.goto(`${automationUrl}?part=settings`);
    const secret = page.locator('code.secret');
    expect(await secret.innerText()).not.toMatch(/^whsec_[A-Za-z0-9+/=]{30,}$/);
    await page.getByRole('button', { name: 'Reveal' }).click();
    const first = await secret.innerText();
    expect(first).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('alertdialog', { name: 'Rotate the signing secret?' }).waitFor();
    // Escape cancels: nothing changed.
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    expect(await secret.innerText()).toBe(first);
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate secret' }).click();
    await expect.poll(() => secret.innerText()).not.toBe(first);
    await page.getByText('The previous secret also signs until').waitFor();
    await screenshot(page, 'en-automation-secret-rotated');

    await page.getByLabel('Enabled').uncheck();
    // The edit page explains what saving it does, not how the automation was created.
    await page.getByText('Once saved, the automation is disabled').waitFor();
    expect(await page.getByText('is created disabled').count()).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('This automation is disabled').waitFor();
    await page.getByText('It was disabled by a user.').waitFor();
    await screenshot(page, 'en-automation-disabled');
    await page.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => page.getByText('This automation is disabled').count()).toBe(0);

    // Failure notifications (a part of their own): saved at once, no save button.
    await page.getByRole('tab', { name: 'Failure notifications' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?part=notifications');
    await page.getByLabel('E-mail notifications').check();
    await page.getByText('Saved.', { exact: true }).waitFor();
    await page.getByLabel('E-mail address of a recipient').fill('not an address');
    await page.getByRole('button', { name: 'Add recipient' }).click();
    await page.locator('.field-error', { hasText: 'Enter a valid e-mail address.' }).waitFor();
    // No stale "Saved." beside the error.
    expect(await page.getByText('Saved.', { exact: true }).count()).toBe(0);
    await page.getByLabel('E-mail address of a recipient').fill('ops@example.com');
    await page.getByRole('button', { name: 'Add recipient' }).click();
    await page.locator('.list-item', { hasText: 'ops@example.com' }).waitFor();
    await screenshot(page, 'en-automation-notifications');
    await page.reload();
    await page.locator('.list-item', { hasText: 'ops@example.com' }).waitFor();
    expect(await page.getByLabel('E-mail notifications').isChecked()).toBe(true);
    expect(watched.problems).toEqual([]);
  });

  it('shares the survey as a template and creates a survey from it, with data labels', async () => {
    await page.goto(surveyUrl);
    await page.getByRole('button', { name: 'Share as template' }).click();
    await page.getByText('The survey was shared as a template.').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
    await page.getByRole('button', { name: 'Create survey from template: Customer feedback' }).waitFor();
    await screenshot(page, 'en-templates');
    await page.getByRole('button', { name: 'Create survey from template: Customer feedback' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customer feedback' }).waitFor();
    expect(page.url()).not.toBe(surveyUrl);
    await page.getByRole('link', { name: 'Settings: data labels' }).click();
    expect(await page.getByPlaceholder('Q1', { exact: true }).inputValue()).toBe('satisfied');

    await page.goto(surveyUrl);
    await page.getByRole('button', { name: 'Copy survey' }).click();
    await page.getByRole('heading', { level: 1, name: 'Copy of Customer feedback' }).waitFor();
    // It says so (a toast), rather than landing on the copy without a word.
    await page.getByText('The survey was copied. You are now editing the copy.').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Surveys' }).click();
    await page.getByRole('heading', { level: 1, name: 'Surveys' }).waitFor();
    await page.getByRole('link', { name: 'Copy of Customer feedback' }).waitFor();
    await screenshot(page, 'en-surveys');
  });

  it('speaks Norwegian when chosen, and remembers it', async () => {
    await page.goto(automationUrl);
    await page.getByLabel('Language').selectOption('nb');
    await page.getByRole('link', { name: 'Undersøkelser' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Logg ut' }).waitFor();
    // The parts as the help article names them: "Under logg, klikk på automatiseringskjøringer".
    await page.getByRole('tab', { name: 'Logg' }).click();
    await page.getByRole('link', { name: 'Automatiseringskjøringer', exact: true }).waitFor();
    const stats = await page.locator('.stats').innerText();
    for (const status of ['Planlagt', 'Spiller', 'Vellykket', 'Mislykket']) expect(stats).toContain(status);
    await page.getByRole('tab', { name: 'Innstillinger' }).click();
    await page.getByRole('heading', { name: 'Signeringsnøkkel' }).waitFor();
    await page.getByText('Variabler som skal inkluderes').waitFor();
    await screenshot(page, 'nb-automation');

    await page.goto('/automations/new');
    await page.getByRole('heading', { level: 2, name: 'Trinn 1 av 7: Undersøkelse' }).waitFor();
    await page.getByRole('button', { name: 'Neste' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByRole('button', { name: /Utgående webhook/ }).click();
    await page.getByLabel('Variabler som skal inkluderes').selectOption('specific');
    await page.getByText('Velg minst én variabel.').waitFor();
    await page.getByLabel('Variabler som skal inkluderes').selectOption('all');
    await page.getByRole('button', { name: 'Neste' }).click();
    await page.getByLabel('Auto-genererte etiketter').waitFor();
    await page.getByLabel('Dataetiketter').waitFor();
    await screenshot(page, 'nb-wizard-labels');
    await page.getByRole('button', { name: 'Neste' }).click();
    await page.getByRole('button', { name: 'Test forbindelse' }).waitFor();
    await screenshot(page, 'nb-wizard-url');

    await page.goto(respondentUrl);
    await page.getByRole('button', { name: 'Send inn' }).waitFor();
    await page.getByLabel('Fornavn').waitFor();
    await screenshot(page, 'nb-respondent');
    await page.getByLabel('Språk').selectOption('en');
    await page.getByRole('button', { name: 'Submit' }).waitFor();
  });

  it('has no horizontal scroll at 375 px on the main screens', async () => {
    const phone = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 375, height: 740 },
      storageState: await context.storageState(),
    });
    const p = await phone.newPage();
    try {
      for (const [name, path] of [
        ['surveys', '/surveys'],
        ['survey', new URL(surveyUrl).pathname],
        ['data-labels', `${new URL(surveyUrl).pathname}/settings/data-labels`],
        ['templates', '/templates'],
        ['automations', '/automations'],
        ['wizard', '/automations/new'],
        ['automation', new URL(automationUrl).pathname],
        ['respondent', respondentUrl],
      ] as const) {
        await p.goto(path);
        await p.locator('h1').first().waitFor();
        await p.waitForLoadState('networkidle');
        await expectNoHorizontalScroll(p, path);
        await screenshot(p, `375-${name}`);
      }
      await p.goto(respondentUrl);
      await p.getByRole('button', { name: 'Submit' }).waitFor();
      await expectNoXss(p);
    } finally {
      await phone.close();
    }
  });
});
