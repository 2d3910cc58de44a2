// Browser tests' fixtures: a real Svarbud on SQLite listening on 127.0.0.1 (with a running dispatcher,
// deliveries allowed to local receivers) and Debian's Chromium driven by playwright-core.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { WEB_DIST } from '../../src/http/web-ui.js';
import { createDeliveryHarness, type DeliveryHarness } from '../helpers/delivery.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Fails loudly (never skips) when the browser or the UI build is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`The web UI is not built (${WEB_DIST}): run \`npm run build\` before the browser tests.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export interface UiServer {
  harness: DeliveryHarness;
  baseUrl: string;
  close(): Promise<void>;
}

/** `env`: extra settings, e.g. `SVARBUD_RETRY_SCHEDULE: '0'` so a failed attempt fails the run at once. */
export async function startUiServer(env: Record<string, string> = {}): Promise<UiServer> {
  const harness = await createDeliveryHarness('sqlite', { env });
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  const address = harness.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { harness, baseUrl: `http://127.0.0.1:${address.port}`, close: () => harness.close() };
}

/**
 * Records page errors, console errors (CSP violations among them) and failed loads of the UI's own
 * files (a missing favicon logs a 404 on every page), so a test can assert none happened. The API's
 * 4xx answers are the tests' business and not recorded.
 */
export function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (res.status() >= 400 && !url.pathname.startsWith('/api/'))
      problems.push(`${res.status()} ${url.pathname}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text()))
      problems.push(`console: ${msg.text()}`);
  });
  return { problems };
}

/** The page scrolls horizontally when its content is wider than the viewport. */
export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  // Strings, not functions: the test tsconfig has no DOM types.
  const sizes = await page.evaluate<{ scroll: number; client: number }>(
    '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
  );
  expect(sizes.scroll, `horizontal scroll on ${where}`).toBeLessThanOrEqual(sizes.client);
}

export const XSS_PROBE = '<script>window.__xss=1</script><img src=x onerror=window.__xss=1>';

export async function expectNoXss(page: Page): Promise<void> {
  expect(await page.evaluate<unknown>('typeof window.__xss')).toBe('undefined');
}

/** Where the browser tests save their screenshots (test artifacts, ignored by git). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/**
 * Saves a full-page PNG of what the page shows now, as test-results/screenshots/<name>.png. Names say
 * the language (en, nb; `375-` for a 375 px phone), the screen and its state: `en-wizard-url-tested`.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Fonts and layout settled, no caret blinking in the picture.
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, caret: 'hide' });
}

/** What has the keyboard focus: its tag, accessible-ish name (aria-label or text) and id. */
export async function focused(page: Page): Promise<{ tag: string; name: string; id: string }> {
  return page.evaluate<{ tag: string; name: string; id: string }>(
    `(() => {
      const el = document.activeElement;
      if (!el) return { tag: '', name: '', id: '' };
      return {
        tag: el.tagName.toLowerCase(),
        name: (el.getAttribute('aria-label') || el.textContent || '').trim(),
        id: el.id,
      };
    })()`,
  );
}

// In the page (a string: the test tsconfig has no DOM types). Each word's line boxes: more than one
// line bottom means the word itself was broken.
const BROKEN_WORDS = String.raw`(selector) => {
  const broken = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of (node.textContent || '').matchAll(/[^\s\-\u2010\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        if (new Set(rects.map((r) => Math.round(r.bottom))).size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}`;

/**
 * Words in `selector`'s elements that the layout breaks inside the word (a "Succe/eded" in a narrow
 * table column). A break at a space, hyphen or slash is fine.
 */
export async function brokenWords(page: Page, selector: string): Promise<string[]> {
  return page.evaluate<string[]>(`(${BROKEN_WORDS})(${JSON.stringify(selector)})`);
}

/** The WCAG contrast ratio of the element's text on its (nearest opaque) background, as it is now. */
export async function contrastOf(locator: Locator): Promise<number> {
  // Runs in the page; the test tsconfig has no DOM types, hence the untyped window.
  return locator.evaluate((el) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const w = globalThis as any;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c[0]!) + 0.7152 * f(c[1]!) + 0.0722 * f(c[2]!);
    };
    const transparent = (c: string) => c === 'transparent' || c === 'rgba(0, 0, 0, 0)';
    let bg = el;
    while (bg && transparent(w.getComputedStyle(bg).backgroundColor)) bg = bg.parentElement!;
    const fg = lum(rgb(w.getComputedStyle(el).color));
    const back = lum(rgb(bg ? w.getComputedStyle(bg).backgroundColor : 'rgb(255, 255, 255)'));
    return (Math.max(fg, back) + 0.05) / (Math.min(fg, back) + 0.05);
  });
}

/** The outline and box shadow the element shows now (a focus box, or none). */
export async function focusBoxOf(
  locator: Locator,
): Promise<{ focused: boolean; outline: string; shadow: string }> {
  return locator.evaluate((el) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const w = globalThis as any;
    const style = w.getComputedStyle(el);
    return { focused: w.document.activeElement === el, outline: style.outlineStyle, shadow: style.boxShadow };
  });
}

/** Calls the JSON API as the signed-in browser context (its cookie and CSRF token); a non-2xx fails the test. */
export type ApiCall = <T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  data?: unknown,
) => Promise<T>;

/** Signs a new owner up in `context` (its cookie from now on) and returns the API as that owner. */
export async function signUpInBrowser(
  context: BrowserContext,
  who: { emailPrefix: string; name: string; organizationName: string },
): Promise<ApiCall> {
  const signup = await context.request.post('/api/v1/auth/signup', {
    data: {
      email: `${who.emailPrefix}-${Date.now()}@example.com`,
      password: 'correct horse battery',
      name: who.name,
      organizationName: who.organizationName,
    },
  });
  expect(signup.status()).toBe(201);
  let csrf = '';
  const api: ApiCall = async <T>(method: string, path: string, data?: unknown) => {
    const res = await context.request.fetch(`/api/v1${path}`, {
      method,
      ...(data === undefined ? {} : { data }),
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.status(), await res.text()).toBeLessThan(300);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  };
  csrf = (await api<{ csrfToken: string }>('GET', '/me')).csrfToken;
  return api;
}

/** What a browser test file opens once: the UI server, a browser, an English page watched for problems. */
export interface UiSession {
  server: UiServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  watched: { problems: string[] };
  /** Closes the page's context, the browser and the server (whatever of them opened). */
  close(): Promise<void>;
}

/** `env`: the UI server's extra settings (see `startUiServer`). */
export async function openUiSession(env: Record<string, string> = {}): Promise<UiSession> {
  const browser = await launchBrowser();
  const server = await startUiServer(env);
  const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const watched = watchPage(page);
  return {
    server,
    browser,
    context,
    page,
    watched,
    close: async () => {
      await context.close();
      await browser.close();
      await server.close();
    },
  };
}
