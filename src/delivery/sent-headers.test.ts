import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, parseRecordedHeaders, recordedHeaders, shortenSignature } from './sent-headers.js';
import { generateSigningSecret, signatureHeader } from './signing.js';

const token = fc.stringMatching(/^[A-Za-z0-9._~+/=-]{8,40}$/);

describe('recordedHeaders', () => {
  it('never stores the value of a header whose name may hold a credential', () => {
    const secretName = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z-]{0,6}$/),
        fc.constantFrom('Authorization', 'key', 'Token', 'SECRET', 'auth', 'Password', 'Cookie'),
        fc.stringMatching(/^[A-Za-z-]{0,6}$/),
      )
      .map(([a, b, c]) => `${a}${b}${c}`);
    fc.assert(
      fc.property(secretName, token, fc.constantFrom('', 'Bearer ', 'Basic '), (name, value, scheme) => {
        const stored = recordedHeaders({ [name]: scheme + value, 'x-tenant': 'acme' });
        expect(stored).not.toContain(value);
        const [masked, plain] = parseRecordedHeaders(stored)!;
        expect(masked).toEqual({ name: name.toLowerCase(), value: expect.stringContaining(MASK) });
        expect(plain).toEqual({ name: 'x-tenant', value: 'acme' });
      }),
    );
  });

  it('keeps the scheme of an Authorization value and shortens each signature of a rotation', () => {
    const signature = signatureHeader([generateSigningSecret(), generateSigningSecret()], 'run_1', 1, '{}');
    const [first, second] = signature.split(' ').map((e) => e.slice(3));
    const stored = parseRecordedHeaders(
      recordedHeaders({ Authorization: 'Bearer abc.def', 'webhook-signature': signature }),
    );
    expect(stored).toEqual([
      { name: 'authorization', value: `Bearer ${MASK}` },
      {
        name: 'webhook-signature',
        value: `v1,${first!.slice(0, 4)}…${first!.slice(-4)} v1,${second!.slice(0, 4)}…${second!.slice(-4)}`,
      },
    ]);
    expect(shortenSignature('v1,short')).toBe('v1,short');
  });

  it('reads attempts recorded before headers were kept as null', () => {
    expect(parseRecordedHeaders(null)).toBeNull();
  });
});
