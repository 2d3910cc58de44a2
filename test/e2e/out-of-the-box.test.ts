// The demo works out of the box: Svarbud started as `npm start` starts it (the built CLI, `serve`, an
// empty SQLite database, the demo seeded, no SVARBUD_ALLOW_CIDRS, no public URL, a generated master
// key), signed in with the printed demo details, the demo survey completed on its respondent page, the
// run succeeds in the automation's runs log and the message shows in the Inbox as signature-valid —
// no other software. Also: the wizard's "Use my Svarbud inbox" fills the inbox URL and its connection
// test reaches it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoHorizontalScroll, launchBrowser, screenshot, watchPage } from './browser.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Started {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `node dist/cli.js serve` (what `npm start` runs after building), with only PORT and the database set. */
async function startLikeNpmStart(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`svarbud did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      if (out.includes('Svarbud is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`svarbud exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function printed(out: string, pattern: RegExp): string {
  const match = pattern.exec(out);
  if (!match) throw new Error(`not printed (${pattern}):\n${out}`);
  return match[1]!;
}

describe('out of the box: the demo delivers to the built-in inbox', () => {
  let dir: string;
  let svarbud: Started;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watched: { problems: string[] };
  let baseUrl: string;
  let email: string;
  let password: string;
  let respondentUrl: string;
  let inboxUrl: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'svarbud-ootb-'));
    const port = await freePort();
    svarbud = await startLikeNpmStart({
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir, 'svarbud.db')}`,
    });
    const out = svarbud.output();
    baseUrl = printed(out, /Sign in at (\S+)/);
    email = printed(out, /e-mail: +(\S+)/);
    password = printed(out, /password: +(\S+)/);
    respondentUrl = printed(out, /answer it at (\S+)/);
    inboxUrl = printed(out, /│ +(http\S+\/api\/v1\/inbox\/\S+)/);
    context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watched = watchPage(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await svarbud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the sign-in details, the respondent page and the inbox', () => {
    expect(baseUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(respondentUrl).toMatch(new RegExp(`^${baseUrl}/r/[A-Za-z0-9_-]{20,}$`));
    expect(inboxUrl).toMatch(new RegExp(`^${baseUrl}/api/v1/inbox/[A-Za-z0-9_-]{40,}$`));
    expect(svarbud.output()).toContain('Demo inbox');
  });

  it('signs in with the demo details; the Inbox is empty and watching', async () => {
    await page.goto('/signin');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await screenshot(page, 'en-signin');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Surveys' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await page.locator('code.inbox-url', { hasText: inboxUrl }).waitFor();
    await page.getByText('Nothing has arrived yet.').waitFor();
  });

  it('a respondent completes the demo survey; the message arrives in the open Inbox, signature-valid', async () => {
    const respondent = await context.newPage();
    const respondentWatch = watchPage(respondent);
    await respondent.goto(respondentUrl);
    await respondent.getByRole('heading', { level: 1, name: 'Employee pulse (demo)' }).waitFor();
    await respondent.getByLabel('First name').fill('Kari');
    await respondent.getByLabel('Last name').fill('Nordmann');
    await respondent.getByLabel('E-mail').fill('kari@example.com');
    await respondent.getByLabel('Department').fill('Sales');
    await respondent.getByLabel('Satisfied', { exact: true }).check();
    await respondent.getByLabel('What should we improve?').fill('More <b>coffee</b>');
    await respondent.getByRole('button', { name: 'Submit' }).click();
    await respondent.getByRole('heading', { name: 'Thank you!' }).waitFor();
    expect(respondentWatch.problems).toEqual([]);
    await respondent.close();

    // No reload: the Inbox looks again by itself.
    const item = page.locator('.inbox-request').first();
    await item.waitFor({ timeout: 20_000 });
    expect(await item.getAttribute('data-verification')).toBe('valid');
    await item.locator('.badge', { hasText: 'Signature valid' }).waitFor();
    await item.getByRole('link', { name: 'Demo inbox' }).waitFor();
    const body = await item.locator('pre.inbox-body').textContent();
    const message = JSON.parse(body!);
    expect(message).toMatchObject({
      type: 'survey.response.completed',
      data: { survey: { title: 'Employee pulse (demo)' } },
    });
    expect(message.data.variables).toMatchObject({
      department: 'Sales',
      satisfaction: 'Satisfied',
      improvement: 'More <b>coffee</b>',
    });
    // Shown as text, pretty-printed: the markup in the answer is characters.
    expect(body).toContain('\n  "type": "survey.response.completed"');
    expect(await item.locator('pre.inbox-body b').count()).toBe(0);
    await item.getByText('Headers').click();
    const headers = await item.locator('pre.inbox-headers').textContent();
    expect(headers).toMatch(/^webhook-signature: v1,/m);
    expect(headers).not.toMatch(/^cookie:/m);
    await screenshot(page, 'en-inbox');
  });

  it("the run succeeded in the Demo inbox automation's runs log", async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Automations' }).click();
    await page.getByRole('link', { name: 'Demo inbox' }).click();
    await page.getByRole('heading', { level: 1, name: 'Demo inbox' }).waitFor();
    // "Under log, click automation runs."
    await page.getByRole('tab', { name: 'Log' }).click();
    await page.getByRole('link', { name: 'Automation runs', exact: true }).click();
    const row = page.locator('tr', { hasText: 'Kari Nordmann' });
    await expect
      .poll(async () => (await row.textContent()) ?? '', { timeout: 20_000 })
      .toContain('Succeeded');
  });

  it('shows the verification status in Norwegian too', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Inbox' }).click();
    await page.getByLabel('Language').selectOption('nb');
    await page.getByRole('heading', { level: 1, name: 'Innboks' }).waitFor();
    await page.locator('.inbox-request .badge', { hasText: 'Gyldig signatur' }).first().waitFor();
    await screenshot(page, 'nb-inbox');
    await page.getByLabel('Språk').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  });

  it('has no horizontal scroll at 375 px on the Inbox', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.locator('.inbox-request').first().waitFor();
    await expectNoHorizontalScroll(page, '/inbox');
    await screenshot(page, '375-inbox');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("the wizard's Use my Svarbud inbox fills the URL and its connection test reaches the inbox", async () => {
    await page.goto('/automations/new');
    await page.getByRole('heading', { level: 2, name: 'Step 1 of 7: Survey' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: /Outgoing webhook/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Step 3 of 7: Variables' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Use my Svarbud inbox' }).click();
    await expect.poll(() => page.getByLabel('URL', { exact: true }).inputValue()).toBe(inboxUrl);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('heading', { name: 'Connection succeeded' }).waitFor();
    await screenshot(page, 'en-wizard-url-inbox-tested');
    expect(watched.problems).toEqual([]);
  });
});
