// Issue 13's screens in a real browser: the payload contract (automation page and the wizard's labels
// step, copy and download), the failure streak, sending existing responses (count first) and one
// response, the runs' origin (list, filter, details), label impact named before changes and deletions
// and the lost variables afterwards, deleting a response, erasing a respondent's data (count first),
// the team (never the last member, invite, revoke, accept the invitation link and be signed in), API
// keys (shown once, copy, last used, revoke); Norwegian with no English left; no horizontal scroll at
// 375 px.
import { readFileSync } from 'node:fs';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueMail } from '../../src/notifications/mail-sender.js';
import { createMailTransport } from '../../src/notifications/mail-transport.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { startSmtpServer, type SmtpServer } from '../helpers/smtp.js';
import {
  expectNoHorizontalScroll,
  launchBrowser,
  screenshot,
  startUiServer,
  watchPage,
  type UiServer,
  signUpInBrowser,
  type ApiCall,
} from './browser.js';

type Json = Record<string, unknown>;
const EN = JSON.parse(
  readFileSync(new URL('../../web/src/locales/en.json', import.meta.url), 'utf8'),
) as Record<string, string>;
/** The English texts of these screens (placeholders cut off), which the Norwegian screens must not show. */
const ENGLISH = Object.entries(EN)
  .filter(([key]) =>
    /^(contract|streak|lost|backfill|origin|responses|erase|team|apiKeys|impact|invitation)\./.test(key),
  )
  .map(([, text]) => text.split('{{')[0]!.trim())
  .filter((text) => text.length >= 8);

describe('issue 13 in the web UI', () => {
  let server: UiServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let failing: Receiver;
  let ok: Receiver;
  let smtp: SmtpServer;
  let watched: { problems: string[] };
  let surveyId = '';
  let crmId = '';
  let archiveId = '';
  const vars: Record<string, string> = {};

  const request = (): APIRequestContext => context.request;
  let api: ApiCall;
  const runsOf = (id: string, query = '') =>
    api<{ items: { origin: string; name: string }[]; counts: Record<string, number> }>(
      'GET',
      `/automations/${id}/runs?${query}`,
    );
  const rows = () => page.locator('.runs-table tbody tr').allInnerTexts();
  const openOrganizationMenu = async (item: string) => {
    await page.getByRole('button', { name: 'Organization' }).click();
    await page.getByRole('menuitem', { name: item }).click();
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    smtp = await startSmtpServer();
    server = await startUiServer({ SVARBUD_RETRY_SCHEDULE: '0', SVARBUD_SMTP_URL: smtp.url });
    failing = await startReceiver({ reply: { status: 500, body: 'down' } });
    ok = await startReceiver({ reply: { status: 200, body: 'thanks' } });
    context = await browser.newContext({ baseURL: server.baseUrl, locale: 'en-GB' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watched = watchPage(page);

    api = await signUpInBrowser(context, {
      emailPrefix: 'i13',
      name: 'Rita Owner',
      organizationName: 'Issue 13 AS',
    });
    const survey = await api<{ id: string; variables: { id: string; text: string }[] }>('POST', '/surveys', {
      title: 'Staff survey',
      questions: [
        { type: 'single_choice', text: 'Favourite colour?', options: [{ text: 'Red' }, { text: 'Green' }] },
        { type: 'text', text: 'Comments?' },
      ],
      backgroundVariables: [{ name: 'Department' }],
    });
    surveyId = survey.id;
    for (const v of survey.variables) vars[v.text] = v.id;
    await api('PUT', `/surveys/${surveyId}/data-labels`, {
      labels: { [vars['Favourite colour?']!]: 'colour', [vars.Department!]: 'dept' },
    });
    crmId = (
      await api<{ id: string }>('POST', '/automations', {
        type: 'outgoing_webhook',
        surveyId,
        name: 'CRM feed',
        url: failing.urlFor('/crm'),
        variables: {
          mode: 'specific',
          ids: [vars['Favourite colour?'], vars['Comments?'], vars.Department],
        },
        labels: 'data',
      })
    ).id;
    for (const [firstName, lastName] of [
      ['Kari', 'Nordmann'],
      ['Per', 'Olsen'],
      ['Ola', 'Nordmann'],
    ])
      await api('POST', `/surveys/${surveyId}/responses`, {
        respondent: { firstName, lastName, email: `${firstName!.toLowerCase()}@example.com` },
        answers: {},
      });
    await server.harness.waitFor(
      async () => (await runsOf(crmId, 'status=failed')).counts.failed,
      (n) => n === 3,
      20_000,
    );
    // Created after the responses: it has sent none of them.
    archiveId = (
      await api<{ id: string }>('POST', '/automations', {
        type: 'outgoing_webhook',
        surveyId,
        name: 'Archive',
        url: ok.urlFor('/archive'),
        variables: { mode: 'all' },
        labels: 'auto',
      })
    ).id;
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await failing?.close();
    await ok?.close();
    await server?.close();
    await smtp?.close();
  });

  it('shows the payload contract on the automation page: pretty-printed, copied, downloaded', async () => {
    const contract = await api<{ schema: Json; example: Json }>('GET', `/automations/${crmId}/schema`);
    await page.goto(`/automations/${crmId}`);
    await page.getByRole('tab', { name: 'Payload contract' }).click();
    const section = page.getByRole('region', { name: 'Payload contract' });
    await section.getByRole('heading', { level: 3, name: 'JSON Schema' }).waitFor();
    const schemaText = await section.locator('pre.json').first().innerText();
    expect(JSON.parse(schemaText)).toEqual(contract.schema);
    expect(schemaText).toContain('\n  "'); // pretty-printed
    expect(schemaText).toContain('"colour"');
    // The example is made when asked for: the same message, apart from its times.
    const example = JSON.parse(await section.locator('pre.json').nth(1).innerText()) as Json;
    expect((example.data as Json).variables).toEqual((contract.example.data as Json).variables);

    await section.getByRole('button', { name: 'Copy Example message' }).click();
    await section.getByText('Copied.').waitFor();
    expect(JSON.parse(await page.evaluate<string>('navigator.clipboard.readText()'))).toEqual(example);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download JSON Schema' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('crm-feed-schema.json');
    expect(JSON.parse(readFileSync((await download.path())!, 'utf8'))).toEqual(contract.schema);
    await screenshot(page, 'en-automation-contract');
  });

  it("previews the payload contract in the wizard's labels step, following the chosen labels", async () => {
    await page.goto(`/automations/new?survey=${surveyId}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: /Outgoing webhook/ }).click();
    await page.getByRole('heading', { level: 2, name: /Variables/ }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Show the payload contract for these settings').click();
    const schema = page.locator('.contract-preview pre.json').first();
    await expect.poll(() => schema.innerText()).toContain('"Q1"');
    expect(await schema.innerText()).not.toContain('"colour"');
    await page.getByLabel('Data labels').check();
    await expect.poll(() => schema.innerText()).toContain('"colour"');
    await screenshot(page, 'en-wizard-labels-contract');
  });

  it('shows the failure streak on the automation page', async () => {
    await page.goto(`/automations/${crmId}`);
    const streak = page.getByRole('region', { name: 'Failure streak' });
    await streak.getByText('3 of 5 failures before it is disabled').waitFor();
    expect(await streak.locator('progress').getAttribute('value')).toBe('3');
  });

  it('sends existing responses after showing their count; the runs say where they came from', async () => {
    await page.goto(`/automations/${archiveId}?part=log`);
    await page.getByRole('button', { name: 'Send existing responses' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send existing responses' });
    await dialog.getByText('3 responses will be sent.').waitFor();
    expect(await dialog.getByLabel('Only responses this automation has not sent yet').isChecked()).toBe(true);
    // A period in the future holds none of them.
    await dialog.getByLabel('From').fill('2099-01-01');
    await dialog.getByText('0 responses will be sent.').waitFor();
    expect(await dialog.getByRole('button', { name: /^Send 0/ }).isDisabled()).toBe(true);
    await dialog.getByLabel('From').fill('');
    await dialog.getByText('3 responses will be sent.').waitFor();
    await screenshot(page, 'en-backfill-dialog');
    await dialog.getByRole('button', { name: 'Send 3 responses' }).click();
    await page.getByText('3 runs created and due now.').waitFor();
    await expect.poll(async () => (await runsOf(archiveId, 'origin=backfill')).items.length).toBe(3);

    // Sent once: only the missing ones are counted now.
    await page.getByRole('button', { name: 'Send existing responses' }).click();
    await dialog.getByText('0 responses will be sent.').waitFor();
    await dialog.getByLabel('Only responses this automation has not sent yet').uncheck();
    await dialog.getByText('3 responses will be sent.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`/automations/${archiveId}/runs`);
    await expect.poll(async () => (await rows()).length).toBe(3);
    expect((await rows()).every((r) => r.includes('Existing responses'))).toBe(true);
    await page.getByRole('link', { name: 'Per Olsen' }).click();
    await expect.poll(() => page.locator('.run-facts').innerText()).toMatch(/Origin\s+Existing responses/);
  });

  it('sends one response to an automation from the survey page and deletes another', async () => {
    await page.goto(`/surveys/${surveyId}`);
    const responses = page.getByRole('region', { name: 'Responses' });
    await expect.poll(() => responses.locator('tbody tr').count()).toBe(3);
    await responses.getByRole('button', { name: 'Send to automation… the response of Per Olsen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send the response of Per Olsen' });
    expect(await dialog.getByRole('button', { name: 'Send now' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Archive').check();
    await screenshot(page, 'en-send-to-automation');
    await dialog.getByRole('button', { name: 'Send now' }).click();
    await page.getByText('The response of Per Olsen is being sent.').waitFor();

    await page.goto(`/automations/${archiveId}/runs?origin=manual`);
    await page.locator('.active-filter', { hasText: 'Sent by hand' }).waitFor();
    await expect.poll(async () => (await rows()).length).toBe(1);
    expect((await rows())[0]).toContain('Per Olsen');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.getByLabel('Sent by hand').isChecked()).toBe(true);
    await page.getByLabel('Sent by hand').uncheck();
    await page.getByLabel('Existing responses').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?origin=backfill');
    await expect.poll(async () => (await rows()).length).toBe(3);

    await page.goto(`/surveys/${surveyId}`);
    await responses.getByRole('button', { name: 'Delete the response of Ola Nordmann' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Delete the response?' });
    await ask.getByText(/Delete the response of Ola Nordmann .* with its runs/).waitFor();
    await ask.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The response was deleted.').waitFor();
    await expect.poll(() => responses.locator('tbody tr').count()).toBe(2);
    expect(await responses.innerText()).not.toContain('Ola');
    expect((await runsOf(crmId)).items.map((r) => r.name)).not.toContain('Ola Nordmann');
  });

  it('names the automations a data-label change or a deletion alters, and asks first', async () => {
    await page.goto(`/surveys/${surveyId}/settings/data-labels`);
    const colour = page.locator(`#label-${vars['Favourite colour?']}`);
    await colour.waitFor();
    await page.getByText('used by CRM feed').first().waitFor();
    await colour.fill('favourite_colour');
    await page.getByRole('button', { name: 'Save' }).click();
    const labels = page.getByRole('alertdialog', { name: 'Change the keys of the messages?' });
    await labels.getByText('CRM feed: key colour becomes favourite_colour').waitFor();
    await screenshot(page, 'en-data-labels-impact');
    // Cancelled: nothing is saved.
    await labels.getByRole('button', { name: 'Cancel' }).click();
    await labels.waitFor({ state: 'detached' });
    expect(await page.getByText('The data labels were saved', { exact: false }).count()).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await labels.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => {
        const list = await api<{ items: { id: string; label: string }[] }>(
          'GET',
          `/surveys/${surveyId}/data-labels`,
        );
        return list.items.find((v) => v.id === vars['Favourite colour?'])!.label;
      })
      .toBe('favourite_colour');

    await page.goto(`/surveys/${surveyId}`);
    await page.getByRole('button', { name: 'Delete Question 2' }).click();
    const question = page.getByRole('alertdialog', { name: 'Delete the question?' });
    await question.getByText('CRM feed: would no longer send Q2').waitFor();
    await question.getByText('Archive: would no longer send Q2').waitFor();
    await question.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The question was deleted.').waitFor();

    await page.getByRole('button', { name: 'Delete the background variable Department' }).click();
    const variable = page.getByRole('alertdialog', { name: 'Delete the background variable?' });
    await variable.getByText('CRM feed: would no longer send dept').waitFor();
    await screenshot(page, 'en-delete-variable-impact');
    await variable.getByRole('button', { name: 'Delete' }).click();
    await page.locator('.chips li', { hasText: 'Department' }).waitFor({ state: 'detached' });

    await page.goto(`/automations/${crmId}`);
    const lost = page.getByRole('region', { name: 'Variables no longer sent' });
    await lost.getByText('These variables of the selection were deleted', { exact: false }).waitFor();
    const text = await lost.innerText();
    expect(text).toContain('Q2');
    expect(text).toContain('dept');
    await screenshot(page, 'en-automation-lost-variables');
  });

  it("erases a respondent's data after confirming the count, and says what was erased", async () => {
    await page.goto('/surveys');
    await openOrganizationMenu("Erase a respondent's data");
    await page.getByRole('heading', { level: 1, name: "Erase a respondent's data" }).waitFor();
    await page.getByLabel("The respondent's e-mail").fill('nobody@example.com');
    await page.getByRole('button', { name: 'Erase…' }).click();
    await page.getByText('No responses were found for nobody@example.com: nothing was erased.').waitFor();

    await page.getByLabel("The respondent's e-mail").fill('KARI@example.com');
    await page.getByRole('button', { name: 'Erase…' }).click();
    const ask = page.getByRole('alertdialog', { name: "Erase the respondent's data?" });
    // Kari's response: a failed run of CRM feed and a backfilled run of Archive.
    await ask.getByText('Responses: 1').waitFor();
    await ask.getByText('Runs (with their messages and attempt logs): 2').waitFor();
    await screenshot(page, 'en-erase-confirm');
    await ask.getByRole('button', { name: 'Erase' }).click();
    await page.getByText('Erased for KARI@example.com. Responses: 1. Runs: 2.').waitFor();
    const left = await api<{ items: { respondent: { email: string } | null }[] }>(
      'GET',
      `/surveys/${surveyId}/responses`,
    );
    expect(left.items.map((r) => r.respondent?.email)).toEqual(['per@example.com']);
  });

  it('manages the team: never the last member, invitations sent and revoked, an invitation accepted', async () => {
    await page.goto('/surveys');
    await openOrganizationMenu('Team');
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByRole('cell', { name: 'Rita Owner (you)' }).waitFor();
    await members.getByRole('button', { name: 'Remove Rita Owner' }).click();
    await page
      .getByRole('alertdialog', { name: 'Remove the member?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByText('The last member cannot be removed: invite someone else first.').waitFor();

    const email = page.getByLabel('E-mail of the person to invite');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Enter a valid e-mail address.').waitFor();
    await email.fill('old@example.com');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('An invitation was sent to old@example.com.').waitFor();
    await email.fill('nils@example.com');
    await page.getByLabel('Language of the mail').selectOption('nb');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('An invitation was sent to nils@example.com.').waitFor();
    const pending = page.getByRole('region', { name: 'Pending invitations' });
    await pending.locator('strong', { hasText: 'nils@example.com' }).waitFor();
    await pending.getByText('invited by Rita Owner', { exact: false }).first().waitFor();
    await screenshot(page, 'en-team');
    await pending.getByRole('button', { name: 'Revoke old@example.com' }).click();
    await page
      .getByRole('alertdialog', { name: 'Revoke the invitation?' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await pending.locator('strong', { hasText: 'old@example.com' }).waitFor({ state: 'detached' });

    // The link in the mail (kept in the dev mailbox: no SMTP server here), opened signed out.
    // The outbox's mail, sent now to the SMTP test server: the link in it, opened signed out.
    const transport = createMailTransport(server.harness.ctx);
    try {
      await sendDueMail(server.harness.ctx, transport, Date.now());
    } finally {
      transport.close();
    }
    const invite = await server.harness.waitFor(
      async () => smtp.messages.find((m) => JSON.stringify(m.parsed.to).includes('nils@example.com')),
      (m) => m !== undefined,
    );
    const path = /\/invite\/[^\s"<]+/.exec(invite!.parsed.text ?? '')![0];
    const guest = await browser.newContext({ baseURL: server.baseUrl, locale: 'en-GB' });
    try {
      const g = await guest.newPage();
      g.setDefaultTimeout(15_000);
      await g.goto(path);
      await g.getByRole('heading', { level: 1, name: 'Join the organization' }).waitFor();
      await g.getByRole('button', { name: 'Accept the invitation' }).click();
      await g.getByText('The password needs at least 10 characters.').waitFor();
      await g.getByLabel('Your name').fill('Nils Nye');
      await g.getByLabel('Password').fill('another long secret');
      await screenshot(g, 'en-invitation');
      await g.getByRole('button', { name: 'Accept the invitation' }).click();
      await g.getByRole('heading', { level: 1, name: 'Surveys' }).waitFor();
      await g.getByText('Nils Nye · Issue 13 AS').waitFor();
      await g.getByText('Staff survey').waitFor();
      // Used once: the same link no longer works — said in Norwegian to a Norwegian browser.
      const again = await browser.newContext({ baseURL: server.baseUrl, locale: 'nb-NO' });
      const a = await again.newPage();
      a.setDefaultTimeout(15_000);
      await a.goto(path);
      await a.getByRole('heading', { level: 1, name: 'Bli med i organisasjonen' }).waitFor();
      await a.getByLabel('Navnet ditt').fill('Nils Igjen');
      await a.getByLabel('Passord').fill('another long secret');
      await a.getByRole('button', { name: 'Godta invitasjonen' }).click();
      await a.getByText('Denne invitasjonslenken er ikke gyldig', { exact: false }).waitFor();
      const text = await a.locator('main').innerText();
      expect(ENGLISH.filter((e) => text.includes(e))).toEqual([]);
      await screenshot(a, 'nb-invitation-used');
      await again.close();
    } finally {
      await guest.close();
    }

    await page.reload();
    await members.getByRole('cell', { name: 'Nils Nye', exact: true }).waitFor();
    await pending.getByText('No pending invitations.').waitFor();
    await members.getByRole('button', { name: 'Remove Nils Nye' }).click();
    await page
      .getByRole('alertdialog', { name: 'Remove the member?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByText('Nils Nye was removed.').waitFor();
    await expect.poll(() => members.locator('tbody tr').count()).toBe(1);
  });

  it('creates an API key shown once with copy, shows when it was last used, and revokes it', async () => {
    await page.goto('/surveys');
    await openOrganizationMenu('API keys');
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.getByText('No API keys yet.').waitFor();
    await page.getByLabel('Name of the key').fill('CI pipeline');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const created = page.getByRole('region', { name: 'Your new API key' });
    await created.getByText('it is shown only this once').waitFor();
    const key = await created.locator('code').innerText();
    await created.getByRole('button', { name: 'Copy the key' }).click();
    await created.getByText('Copied.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
    const row = page.locator('.api-keys-table tbody tr', { hasText: 'CI pipeline' });
    await expect.poll(() => row.innerText()).toContain('Never');
    await screenshot(page, 'en-api-keys-created');
    await created.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByText(key).count()).toBe(0);

    const bearer = { authorization: `Bearer ${key}` };
    expect((await request().get('/api/v1/surveys', { headers: bearer })).status()).toBe(200);
    await page.reload();
    await expect.poll(() => row.innerText()).not.toContain('Never');
    await row.getByRole('button', { name: 'Revoke CI pipeline' }).click();
    await page
      .getByRole('alertdialog', { name: 'Revoke the API key?' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await page.getByText('No API keys yet.').waitFor();
    const refused = await server.harness.app.inject({
      method: 'GET',
      url: '/api/v1/surveys',
      headers: bearer,
    });
    expect(refused.statusCode).toBe(401);
  });

  it('speaks Norwegian on these screens, with no English left', async () => {
    await page.goto(`/automations/${crmId}`);
    await page.getByLabel('Language').selectOption('nb');
    const noEnglish = async (where: string) => {
      const text = await page.locator('main').innerText();
      expect(
        ENGLISH.filter((e) => text.includes(e)),
        `English on ${where}`,
      ).toEqual([]);
    };
    await page.getByText(/\d av 5 feil før den deaktiveres/).waitFor();
    await page.getByText('Variabler som ikke lenger sendes').waitFor();
    await noEnglish('automation overview');
    await page.getByRole('tab', { name: 'Datakontrakt' }).click();
    await page.getByRole('heading', { level: 2, name: 'Datakontrakt' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'JSON-skjema' }).waitFor();
    await noEnglish('payload contract');
    await screenshot(page, 'nb-automation-issue13');
    await page.getByRole('tab', { name: 'Logg' }).click();
    await page.getByRole('button', { name: 'Send eksisterende svar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send eksisterende svar' });
    await dialog.getByText(/\d+ svar blir sendt\./).waitFor();
    await dialog.getByLabel('Bare svar denne automatiseringen ikke har sendt ennå').waitFor();
    await dialog.getByRole('button', { name: 'Avbryt' }).click();

    await page.goto(`/automations/${archiveId}/runs`);
    await page.getByRole('columnheader', { name: 'Opprinnelse' }).waitFor();
    await page.getByText('Eksisterende svar').first().waitFor();
    await noEnglish('runs log');

    await page.goto(`/surveys/${surveyId}`);
    await page.getByRole('heading', { level: 2, name: 'Svar', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Send til automatisering … svaret fra Per Olsen' }).waitFor();
    await noEnglish('survey page');

    await page.getByRole('button', { name: 'Organisasjon' }).click();
    await page.getByRole('menuitem', { name: 'Teamet' }).click();
    await page.getByRole('heading', { level: 2, name: 'Medlemmer' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Ventende invitasjoner' }).waitFor();
    await page.getByRole('button', { name: 'Send invitasjon' }).waitFor();
    await noEnglish('team');
    await screenshot(page, 'nb-team');

    await page.goto('/settings/api-keys');
    await page.getByRole('heading', { level: 1, name: 'API-nøkler' }).waitFor();
    await noEnglish('API keys');
    await page.goto('/settings/erase');
    await page.getByRole('heading', { level: 1, name: 'Slett en respondents data' }).waitFor();
    await noEnglish('erasure');
    await page.getByLabel('Språk').selectOption('en');
    await page.getByRole('heading', { level: 1, name: "Erase a respondent's data" }).waitFor();
  });

  it('has no horizontal scroll at 375 px on the new screens', async () => {
    const phone = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 375, height: 740 },
      storageState: await context.storageState(),
    });
    const p = await phone.newPage();
    try {
      for (const [name, path, ready] of [
        ['automation', `/automations/${crmId}?part=contract`, 'Payload contract'],
        ['survey', `/surveys/${surveyId}`, 'Responses'],
        ['team', '/settings/team', 'Members'],
        ['api-keys', '/settings/api-keys', 'API keys'],
      ] as const) {
        await p.goto(path);
        await p.getByRole('heading', { name: ready, exact: true }).first().waitFor();
        await p.waitForLoadState('networkidle');
        await expectNoHorizontalScroll(p, name);
        await screenshot(p, `375-${name}-issue13`);
      }
    } finally {
      await phone.close();
    }
    expect(watched.problems.filter((pr) => !/\b(400|409)\b/.test(pr))).toEqual([]);
  });
});
