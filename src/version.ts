import { readFileSync } from 'node:fs';

// package.json sits two levels up from both src/ (tsx) and dist/ (built).
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
export const VERSION: string = pkg.version;

/** The User-Agent of every delivery and connection test. */
export const USER_AGENT = `Svarbud-Webhooks/${VERSION}`;
