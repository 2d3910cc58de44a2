// An automation's delivery settings, decrypted for one attempt: the URL, the custom headers and the
// secrets that sign it (the current one, and every earlier one within its 24 h after a rotation). Read by
// the dispatcher for each batch, by the automation's connection test and by the Inbox's verification.
import type { AutomationRow } from '../automations/automations.store.js';
import { decryptSecret } from './signing.js';

/** The decrypted settings the sender needs for one attempt. */
export interface DeliverySettings {
  url: string;
  headers: Record<string, string>;
  /** Current secret first, then every earlier one still within its 24 h. */
  secrets: string[];
}

export function headersOf(row: AutomationRow, secretKey: string): Record<string, string> {
  return JSON.parse(decryptSecret(row.headers_enc, secretKey)) as Record<string, string>;
}

/** One earlier secret (encrypted) and when it stops signing. */
export interface EarlierSecret {
  enc: string;
  expiresAt: number;
}

export function earlierSecretsOf(row: Pick<AutomationRow, 'earlier_secrets'>, now: number): EarlierSecret[] {
  return (JSON.parse(row.earlier_secrets) as EarlierSecret[]).filter((e) => e.expiresAt > now);
}

/** The secrets that sign a delivery now: the current one first, then every earlier one still in its 24 h. */
export function signingSecretsOf(
  row: Pick<AutomationRow, 'secret_enc' | 'earlier_secrets'>,
  secretKey: string,
  now: number,
): string[] {
  return [row.secret_enc, ...earlierSecretsOf(row, now).map((e) => e.enc)].map((enc) =>
    decryptSecret(enc, secretKey),
  );
}

export function deliverySettingsOf(row: AutomationRow, secretKey: string, now: number): DeliverySettings {
  return { url: row.url, headers: headersOf(row, secretKey), secrets: signingSecretsOf(row, secretKey, now) };
}
