// Secrets handed to clients (session cookies, API keys) are stored only as SHA-256 hashes.
import { createHash, timingSafeEqual } from 'node:crypto';
import { randomToken } from '../ids.js';

export const API_KEY_PREFIX = 'svb_';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A new API key: `svb_` + 256 random bits, base64url. */
export function newApiKey(): string {
  return API_KEY_PREFIX + randomToken(32);
}

/** Constant-time string equality (for CSRF tokens and hash comparisons). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
