// Standard Webhooks verification of what arrives at an inbox, the receiving side of src/delivery/signing.ts:
// HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<raw body>", base64, "v1," entries separated by spaces,
// compared in constant time, the timestamp within 5 minutes of now.
import { safeEqual } from '../accounts/tokens.js';
import { signatureHeader } from '../delivery/signing.js';

export type Verification = 'valid' | 'invalid' | 'unsigned' | 'no_matching_automation';

export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export interface VerifyCandidate {
  automationId: string;
  /** The automation's signing secrets now: the current one, plus the previous during a rotation. */
  secrets: string[];
}

export interface VerifyResult {
  verification: Verification;
  /** The automation whose secret matched (only when valid). */
  automationId: string | null;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(' ') : value;
}

/**
 * `unsigned` without a webhook-signature header; `no_matching_automation` when signed but no automation of
 * the organization posts to this inbox; `valid` when an entry matches a secret of one of `candidates` and the
 * timestamp is within tolerance; else `invalid` (tampered body, wrong secret, stale or malformed headers).
 */
export function verifyDelivery(
  headers: Record<string, string | string[] | undefined>,
  body: Uint8Array,
  candidates: readonly VerifyCandidate[],
  nowMs: number,
): VerifyResult {
  const signature = header(headers, 'webhook-signature');
  if (signature === null) return { verification: 'unsigned', automationId: null };
  if (candidates.length === 0) return { verification: 'no_matching_automation', automationId: null };
  const invalid: VerifyResult = { verification: 'invalid', automationId: null };
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  if (!id || !timestamp || !/^\d{1,12}$/.test(timestamp)) return invalid;
  const seconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > TIMESTAMP_TOLERANCE_SECONDS) return invalid;
  const given = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .slice(0, 10);
  for (const candidate of candidates) {
    for (const secret of candidate.secrets) {
      let expected: string;
      try {
        expected = signatureHeader([secret], id, seconds, body);
      } catch {
        continue;
      }
      if (given.some((entry) => safeEqual(entry, expected))) {
        return { verification: 'valid', automationId: candidate.automationId };
      }
    }
  }
  return invalid;
}
