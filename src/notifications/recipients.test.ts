import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidAddress, MAX_RECIPIENTS, normalizeRecipients } from './recipients.js';

describe('isValidAddress', () => {
  it('takes ordinary addresses', () => {
    for (const a of [
      'a@example.com',
      'kari.nordmann+alerts@sub.example.no',
      'x_y-z@a-b.co',
      "o'hara@example.ie",
    ]) {
      expect(isValidAddress(a), a).toBe(true);
    }
  });

  it('refuses what is not one plain address', () => {
    for (const a of [
      '',
      'plain',
      '@example.com',
      'a@',
      'a@localhost',
      'a@@example.com',
      'a b@example.com',
      'a@exa mple.com',
      '<a@example.com>',
      'Kari <a@example.com>',
      'a@example.com, b@example.com',
      '.a@example.com',
      'a..b@example.com',
      'a@-example.com',
      'a@example..com',
      `${'x'.repeat(65)}@example.com`,
      `a@${'x'.repeat(250)}.com`,
      'a@example.com\nBcc: evil@example.com',
    ]) {
      expect(isValidAddress(a), JSON.stringify(a)).toBe(false);
    }
  });
});

describe('normalizeRecipients', () => {
  it('trims, lower-cases and de-duplicates, keeping the first occurrence in order', () => {
    expect(normalizeRecipients([' B@Example.com', 'a@example.com ', 'b@example.COM']).recipients).toEqual([
      'b@example.com',
      'a@example.com',
    ]);
  });

  it('names the position of each bad address as sent', () => {
    const { problems } = normalizeRecipients(['ok@example.com', 'nope', 'ok@example.com', 'also bad']);
    expect(problems.map((p) => p.field)).toEqual(['recipients.1', 'recipients.3']);
    expect(problems[0]!.message).toContain('"nope"');
  });

  it('allows 20 distinct addresses and not 21', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.com`);
    expect(normalizeRecipients([...list(MAX_RECIPIENTS), 'R0@EXAMPLE.com']).problems).toEqual([]);
    expect(normalizeRecipients(list(MAX_RECIPIENTS + 1)).problems).toEqual([
      { field: 'recipients', message: 'at most 20 recipients are allowed, got 21' },
    ]);
  });

  it('is idempotent and never returns a duplicate or an invalid address', () => {
    const address = fc.tuple(
      fc.constantFrom('a', 'B', 'ops', 'Kari.N'),
      fc.constantFrom('example.com', 'EXAMPLE.com', 'x.no'),
      fc.constantFrom('', ' ', '  '),
    );
    fc.assert(
      fc.property(fc.array(address, { maxLength: 30 }), (parts) => {
        const raw = parts.map(([l, d, pad]) => `${pad}${l}@${d}${pad}`);
        const once = normalizeRecipients(raw).recipients;
        expect(new Set(once).size).toBe(once.length);
        expect(once.every(isValidAddress)).toBe(true);
        expect(normalizeRecipients(once).recipients).toEqual(once);
      }),
    );
  });
});
