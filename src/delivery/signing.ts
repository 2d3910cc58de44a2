// Signing secrets and signatures, following Standard Webhooks (https://www.standardwebhooks.com/), so any
// Standard Webhooks library verifies our deliveries. Secrets are stored encrypted with the master key
// (SVARBUD_SECRET_KEY): AES-256-GCM, a fresh random IV per encryption, and a version prefix so the scheme
// can change later without breaking stored secrets.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { USER_AGENT } from '../version.js';

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const ENCRYPTION_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds ciphertexts to their purpose: a value encrypted for something else cannot pass as a secret.
const AAD = Buffer.from('svarbud:signing-secret:v1');

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** True for a secret in the Standard Webhooks form: `whsec_` + canonical base64 of 24–64 bytes. */
export function isSigningSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const encoded = secret.slice(SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 24 && key.length <= 64 && key.toString('base64') === encoded;
}

// Decoded signing keys by secret: every delivery signs with its automation's secret again.
const keys = new Map<string, KeyObject>();

function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 10_000) keys.clear();
    key = createSecretKey(secretKey(secret));
    keys.set(secret, key);
  }
  return key;
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error('A signing secret must be "whsec_" followed by base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 24) throw new Error('A signing secret must hold at least 24 bytes');
  return key;
}

/**
 * The `webhook-signature` header value: `v1,<base64 HMAC-SHA256 of "<msgId>.<timestamp>.<body>">`, one
 * space-separated entry per secret (two during rotation), verifiable by any Standard Webhooks library.
 */
export function signatureHeader(
  secrets: readonly string[],
  msgId: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): string {
  if (secrets.length === 0) throw new Error('At least one signing secret is needed');
  if (!Number.isInteger(timestampSeconds)) throw new Error('The timestamp must be whole seconds');
  const prefix = `${msgId}.${timestampSeconds}.`;
  return secrets
    .map(
      (secret) =>
        `v1,${createHmac('sha256', signingKey(secret)).update(prefix).update(body).digest('base64')}`,
    )
    .join(' ');
}

/** What signs and addresses one delivery attempt (an automation's settings, decrypted). */
export interface SigningSettings {
  headers: Readonly<Record<string, string>>;
  /** Current secret first; earlier ones too while a rotation overlaps. */
  secrets: readonly string[];
}

/** The headers of one delivery attempt: Standard Webhooks headers, signed now, plus custom headers. */
export function deliveryHeaders(msgId: string, body: string, settings: SigningSettings, nowMs: number) {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    ...settings.headers,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(settings.secrets, msgId, timestamp, body),
  };
}

function encryptionKey(masterKey: string): Buffer {
  if (masterKey.length === 0) throw new Error('The master key is empty');
  return Buffer.from(hkdfSync('sha256', masterKey, 'svarbud', 'signing-secret-encryption', 32));
}

/** Encrypts a signing secret for storage: `v1.<iv>.<ciphertext>.<tag>` (base64url); never the same twice. */
export function encryptSecret(plain: string, masterKey: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(masterKey), iv);
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [ENCRYPTION_VERSION, iv, ciphertext, tag]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

// Strict: a changed character must never decode to the same bytes (base64 ignores some trailing bits).
function fromBase64url(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new Error('Malformed encrypted signing secret');
  return bytes;
}

/** Decrypts what encryptSecret stored; throws when it was changed, is malformed or the key is wrong. */
export function decryptSecret(stored: string, masterKey: string): string {
  const parts = stored.split('.');
  if (parts.length !== 4 || parts[0] !== ENCRYPTION_VERSION) {
    throw new Error('Unknown format of an encrypted signing secret');
  }
  const [, ivText, ciphertextText, tagText] = parts as [string, string, string, string];
  const iv = fromBase64url(ivText);
  const tag = fromBase64url(tagText);
  const ciphertext = fromBase64url(ciphertextText);
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new Error('Malformed encrypted signing secret');
  }
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(masterKey), iv, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(AAD);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('The encrypted signing secret was changed or the master key is wrong');
  }
}
