import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, generateSigningSecret, signatureHeader } from './signing.js';

const MASTER_KEY = 'a-master-key-of-at-least-32-characters!!';

function headersFor(secrets: string[], msgId: string, timestamp: number, body: string) {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(secrets, msgId, timestamp, body),
  };
}

describe('generateSigningSecret', () => {
  it('gives whsec_ + base64 of 32 random bytes, different every time', () => {
    const a = generateSigningSecret();
    const b = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});

describe('signatureHeader', () => {
  const msgId = fc.stringMatching(/^[a-z0-9_]{1,40}$/);
  const body = fc.json();

  it('verifies with the standardwebhooks library, for every secret during rotation', () => {
    fc.assert(
      fc.property(msgId, body, (id, payload) => {
        const oldSecret = generateSigningSecret();
        const newSecret = generateSigningSecret();
        const now = Math.floor(Date.now() / 1000);
        const headers = headersFor([newSecret, oldSecret], id, now, payload);
        expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
        for (const secret of [oldSecret, newSecret]) {
          expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
        }
        expect(() => new Webhook(generateSigningSecret()).verify(payload, headers)).toThrow();
      }),
      { numRuns: 50 },
    );
  });

  it('fails verification when any byte of the body, the id or the timestamp changes', () => {
    fc.assert(
      fc.property(msgId, fc.string({ minLength: 1, maxLength: 200 }), fc.nat(), (id, text, pick) => {
        const secret = generateSigningSecret();
        const now = Math.floor(Date.now() / 1000);
        const payload = JSON.stringify({ text });
        const headers = headersFor([secret], id, now, payload);
        const bytes = Buffer.from(payload);
        const i = pick % bytes.length;
        bytes[i] = bytes[i]! ^ 0x01;
        const webhook = new Webhook(secret);
        expect(() => webhook.verify(bytes.toString('latin1'), headers, { jsonParse: false })).toThrow();
        expect(() => webhook.verify(payload, { ...headers, 'webhook-id': `${id}x` })).toThrow();
        expect(() => webhook.verify(payload, { ...headers, 'webhook-timestamp': String(now - 1) })).toThrow();
      }),
      { numRuns: 50 },
    );
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the Standard Webhooks specification's test suite.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const header = signatureHeader(
      [secret],
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(header).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('refuses malformed secrets and empty secret lists', () => {
    expect(() => signatureHeader([], 'id', 1, 'x')).toThrow();
    expect(() => signatureHeader(['whsec_not base64!'], 'id', 1, 'x')).toThrow();
    expect(() => signatureHeader(['whsec_c2hvcnQ='], 'id', 1, 'x')).toThrow(/24 bytes/);
  });
});

describe('encryptSecret / decryptSecret', () => {
  it('round-trips any text and never produces the same ciphertext twice', () => {
    fc.assert(
      fc.property(fc.string(), (plain) => {
        const a = encryptSecret(plain, MASTER_KEY);
        const b = encryptSecret(plain, MASTER_KEY);
        expect(a).toMatch(/^v1\./);
        expect(a).not.toBe(b);
        expect(decryptSecret(a, MASTER_KEY)).toBe(plain);
        expect(decryptSecret(b, MASTER_KEY)).toBe(plain);
      }),
      { numRuns: 50 },
    );
  });

  it('throws when any character of the stored value changes', () => {
    const stored = encryptSecret(generateSigningSecret(), MASTER_KEY);
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...'ABCxyz019-_.'), (pick, replacement) => {
        const i = pick % stored.length;
        fc.pre(stored[i] !== replacement);
        const tampered = stored.slice(0, i) + replacement + stored.slice(i + 1);
        expect(() => decryptSecret(tampered, MASTER_KEY)).toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('throws with the wrong master key or an unknown format', () => {
    const stored = encryptSecret('whsec_abc', MASTER_KEY);
    expect(() => decryptSecret(stored, `${MASTER_KEY}x`)).toThrow(/changed or the master key is wrong/);
    expect(() => decryptSecret(stored.replace(/^v1/, 'v2'), MASTER_KEY)).toThrow(/Unknown format/);
    expect(() => decryptSecret('whsec_plain', MASTER_KEY)).toThrow();
  });
});
