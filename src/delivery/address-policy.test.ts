import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyAddress,
  embeddedIPv4,
  isAllowedAddress,
  normalizeHost,
  parseIPv4Literal,
  validateCidrs,
} from './address-policy.js';

// The ranges written out again here (not imported), so a mistake in the policy's table shows up.
const BLOCKED_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const BLOCKED_V6: [string, number, string][] = [
  ['fe80::', 10, 'link-local'],
  ['fc00::', 7, 'unique-local'],
  ['ff00::', 8, 'multicast'],
  ['2001:db8::', 32, 'documentation'],
  ['2001::', 32, 'teredo'],
  ['2002::', 16, '6to4'],
  ['64:ff9b:1::', 48, 'nat64'],
  ['100::', 64, 'reserved'],
  ['4000::', 2, 'reserved'],
];

function v4ToNumber(dotted: string): number {
  return dotted.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}
function numberToV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
function v6ToBigint(text: string): bigint {
  const [head, tail = ''] = text.split('::') as [string, string?];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = text.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return words.reduce((acc, w) => (acc << 16n) | BigInt(parseInt(w, 16)), 0n);
}
function bigintToV6(n: bigint): string {
  const words: string[] = [];
  for (let i = 7; i >= 0; i--) words.push(((n >> BigInt(16 * i)) & 0xffffn).toString(16));
  return words.join(':');
}

function inV4Range(n: number, [base, prefix]: [string, number, string]): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(n / size) === Math.floor(v4ToNumber(base) / size);
}

/** An address inside the range: base with random host bits. */
const v4In = ([base, prefix]: [string, number, string]) =>
  fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((host) => v4ToNumber(base) + host);

const v6In = ([base, prefix]: [string, number, string]) =>
  fc.bigInt({ min: 0n, max: (1n << BigInt(128 - prefix)) - 1n }).map((host) => v6ToBigint(base) | host);

/** Spellings of one IPv4 address that resolve to it (WHATWG URL, inet_aton, IPv6 mapping). */
function v4Spellings(n: number): string[] {
  const [a, b, c, d] = numberToV4(n).split('.').map(Number) as [number, number, number, number];
  const hi = ((a << 8) | b).toString(16);
  const lo = ((c << 8) | d).toString(16);
  return [
    numberToV4(n),
    String(n),
    `0x${n.toString(16)}`,
    `0${n.toString(8)}`,
    [a, b, c, d].map((x) => `0${x.toString(8)}`).join('.'),
    [a, b, c, d].map((x) => `0x${x.toString(16)}`).join('.'),
    `${a}.${b}.${c * 256 + d}`,
    `${a}.${b * 65536 + c * 256 + d}`,
    `${numberToV4(n)}.`,
    `::ffff:${numberToV4(n)}`,
    `::FFFF:${hi}:${lo}`,
    `0:0:0:0:0:ffff:${hi}:${lo}`,
    `[::ffff:${numberToV4(n)}]`,
  ];
}

describe('classifyAddress', () => {
  it('gives the documented reason for well-known addresses', () => {
    const cases: [string, string | null][] = [
      ['127.0.0.1', 'loopback'],
      ['169.254.169.254', 'metadata'],
      ['168.63.129.16', 'metadata'],
      ['fd00:ec2::254', 'metadata'],
      ['255.255.255.255', 'broadcast'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['fe80::1%eth0', 'link-local'],
      ['fec0::1', 'site-local'],
      ['100.100.100.200', 'cgnat'],
      ['::ffff:127.0.0.1', 'ipv4-mapped'],
      ['::127.0.0.1', 'ipv4-compatible'],
      ['::8.8.8.8', 'ipv4-compatible'],
      ['64:ff9b::10.0.0.1', 'nat64'],
      ['64:ff9b::a9fe:a9fe', 'nat64'],
      ['2002:0808:0808::1', '6to4'],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
      ['3fff::1', 'documentation'],
      ['2001:2::1', 'benchmarking'],
      ['2001:10::1', 'reserved'],
      ['8.8.8.8', null],
      ['1.1.1.1', null],
      ['198.20.0.1', null],
      ['100.128.0.1', null],
      ['2606:4700:4700::1111', null],
      ['2a00:1450:4001:80b::200e', null],
      ['::ffff:8.8.8.8', null],
      ['64:ff9b::8.8.8.8', null],
      ['example.com', 'invalid'],
      ['', 'invalid'],
      ['1.2.3.256', 'invalid'],
      ['::ffff:1.2.3.256', 'invalid'],
      ['12345::1', 'invalid'],
    ];
    for (const [ip, reason] of cases) expect([ip, classifyAddress(ip)]).toEqual([ip, reason]);
  });

  it('blocks every address of every blocked IPv4 range, in every spelling', () => {
    for (const range of BLOCKED_V4) {
      fc.assert(
        fc.property(v4In(range), (n) => {
          for (const spelling of v4Spellings(n)) {
            expect(classifyAddress(spelling), spelling).not.toBeNull();
            expect(isAllowedAddress(spelling, []), spelling).toBe(false);
          }
          // Range reasons may be refined by a single address inside them (metadata, broadcast).
          expect([range[2], 'metadata', 'broadcast']).toContain(classifyAddress(numberToV4(n)));
        }),
        { numRuns: 60 },
      );
    }
  });

  it('blocks the NAT64 and 6to4 forms of blocked IPv4 addresses', () => {
    const blocked = fc.oneof(...BLOCKED_V4.map(v4In));
    fc.assert(
      fc.property(blocked, (n) => {
        const hex = [(n >>> 16).toString(16), (n & 0xffff).toString(16)];
        expect(classifyAddress(`64:ff9b::${numberToV4(n)}`)).toBe('nat64');
        expect(classifyAddress(`64:ff9b::${hex.join(':')}`)).toBe('nat64');
        expect(classifyAddress(`2002:${hex.join(':')}::1`)).toBe('6to4');
      }),
    );
  });

  it('allows public IPv4 addresses, also IPv4-mapped and through NAT64', () => {
    const publicV4 = fc
      .integer({ min: 0, max: 2 ** 32 - 1 })
      .filter((n) => !BLOCKED_V4.some((range) => inV4Range(n, range)) && numberToV4(n) !== '168.63.129.16');
    fc.assert(
      fc.property(publicV4, (n) => {
        expect(classifyAddress(numberToV4(n))).toBeNull();
        expect(classifyAddress(`::ffff:${numberToV4(n)}`)).toBeNull();
        expect(classifyAddress(`64:ff9b::${numberToV4(n)}`)).toBeNull();
        expect(isAllowedAddress(numberToV4(n), [])).toBe(true);
        // 6to4 stays blocked even for public addresses (deprecated; see the module comment).
        expect(classifyAddress(`2002:${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}::1`)).toBe(
          '6to4',
        );
      }),
      { numRuns: 500 },
    );
  });

  it('blocks every address of every blocked IPv6 range', () => {
    for (const range of BLOCKED_V6) {
      fc.assert(
        fc.property(v6In(range), (n) => {
          const text = bigintToV6(n);
          const reason = classifyAddress(text);
          expect(reason, text).not.toBeNull();
          expect(isAllowedAddress(text, []), text).toBe(false);
          expect(isAllowedAddress(`[${text.toUpperCase()}]`, []), text).toBe(false);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('allows global unicast IPv6 outside the special blocks', () => {
    const special: [string, number, string][] = [
      ['2001::', 23, ''],
      ['2002::', 16, ''],
      ['3fff::', 20, ''],
    ];
    const inside = (n: bigint, [base, prefix]: [string, number, string]) =>
      n >> BigInt(128 - prefix) === v6ToBigint(base) >> BigInt(128 - prefix);
    const global = v6In(['2000::', 3, '']).filter((n) => !special.some((r) => inside(n, r)));
    fc.assert(
      fc.property(global, (n) => {
        expect(classifyAddress(bigintToV6(n))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseIPv4Literal and normalizeHost', () => {
  it('decode every spelling exactly as the WHATWG URL parser does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        for (const spelling of v4Spellings(n).filter((s) => !s.includes(':'))) {
          expect(parseIPv4Literal(spelling), spelling).toBe(numberToV4(n));
          expect(new URL(`http://${spelling}/`).hostname).toBe(numberToV4(n));
          expect(normalizeHost(spelling)).toEqual({ kind: 'ip', address: numberToV4(n) });
        }
      }),
    );
  });

  it('refuses numbers that are no IPv4 address, like the URL parser', () => {
    for (const text of [
      '1.2.3.256',
      '4294967296',
      '0x100000000',
      '1.2.3.4.5',
      '08.1.1.1',
      '1..2.3',
      '256.1.1',
    ]) {
      expect(parseIPv4Literal(text), text).toBeNull();
      expect(normalizeHost(text), text).toBeNull();
      expect(() => new URL(`http://${text}/`), text).toThrow();
    }
  });

  it('tells names from IP literals', () => {
    expect(normalizeHost('Example.COM')).toEqual({ kind: 'name', name: 'example.com' });
    expect(normalizeHost('1.2.3.example')).toEqual({ kind: 'name', name: '1.2.3.example' });
    expect(normalizeHost('[::1]')).toEqual({ kind: 'ip', address: '::1' });
    expect(normalizeHost('[0:0:0:0:0:0:0:0]')).toEqual({ kind: 'ip', address: '::' });
    expect(normalizeHost('[2001:DB8:0:0:1:0:0:1]')).toEqual({ kind: 'ip', address: '2001:db8::1:0:0:1' });
    expect(normalizeHost('[fe80:0:0:0:0:0:0:0]')).toEqual({ kind: 'ip', address: 'fe80::' });
    expect(normalizeHost('[1:2:3:4:5:6:7:8]')).toEqual({ kind: 'ip', address: '1:2:3:4:5:6:7:8' });
    expect(normalizeHost('[1:0:3:4:5:6:7:8]')).toEqual({ kind: 'ip', address: '1:0:3:4:5:6:7:8' });
    expect(normalizeHost('[::ffff:7f00:1]')).toEqual({ kind: 'ip', address: '::ffff:7f00:1' });
    expect(normalizeHost('[nonsense]')).toBeNull();
    expect(embeddedIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('64:ff9b::a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('2001:db8::1')).toBeNull();
  });
});

describe('isAllowedAddress with operator ranges', () => {
  it('allows blocked addresses inside an allowed CIDR, in either IPv4 or mapped form', () => {
    fc.assert(
      fc.property(v4In(['127.0.0.0', 8, 'loopback']), (n) => {
        expect(isAllowedAddress(numberToV4(n), ['127.0.0.0/8'])).toBe(true);
        expect(isAllowedAddress(`::ffff:${numberToV4(n)}`, ['127.0.0.0/8'])).toBe(true);
        expect(isAllowedAddress(numberToV4(n), ['10.0.0.0/8'])).toBe(false);
      }),
    );
  });

  it('keeps everything outside the allowed CIDRs blocked', () => {
    const allow = ['127.0.0.1/32', 'fd12:3456::/32'];
    expect(isAllowedAddress('127.0.0.1', allow)).toBe(true);
    expect(isAllowedAddress('127.0.0.2', allow)).toBe(false);
    expect(isAllowedAddress('::1', allow)).toBe(false);
    expect(isAllowedAddress('fd12:3456::99', allow)).toBe(true);
    expect(isAllowedAddress('fd12:3457::99', allow)).toBe(false);
    expect(isAllowedAddress('169.254.169.254', allow)).toBe(false);
    expect(isAllowedAddress('::1', ['::1/128'])).toBe(true);
    expect(isAllowedAddress('not an ip', ['0.0.0.0/0'])).toBe(false);
  });

  it('rejects invalid CIDRs loudly', () => {
    for (const bad of ['300.0.0.0/8', '10.0.0.0/33', 'fe80::/129', 'abc', '10.0.0.0']) {
      expect(() => validateCidrs([bad]), bad).toThrow(/Invalid CIDR/);
    }
    expect(() => validateCidrs(['10.0.0.0/8', '::1/128', '127.0.0.1/8'])).not.toThrow();
  });
});

describe('IPv6 canonical text', () => {
  it('is what the WHATWG URL parser writes, for any address', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.boolean(), (n, sparse) => {
        // Sparse addresses exercise zero runs, which random 128-bit numbers almost never have.
        const value = sparse ? n & 0xffff0000ffff00000000ffff0000ffffn : n;
        const text = bigintToV6(value);
        const host = normalizeHost(`[${text}]`);
        expect(host).toEqual({ kind: 'ip', address: new URL(`http://[${text}]/`).hostname.slice(1, -1) });
      }),
      { numRuns: 500 },
    );
  });
});
