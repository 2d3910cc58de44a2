// The address policy: which IP addresses a delivery may connect to. By default only public unicast
// addresses; the operator may allow extra ranges (SVARBUD_ALLOW_CIDRS), e.g. 127.0.0.0/8 for local receivers.
//
// Addresses that embed an IPv4 address are judged like this:
// - IPv4-mapped (::ffff:a.b.c.d): the kernel connects to a.b.c.d itself, so it is exactly as allowed as
//   a.b.c.d (public → allowed; an allow-listed a.b.c.d is allowed in either form).
// - NAT64 well-known prefix (64:ff9b::/96): allowed only when the embedded IPv4 is public, since IPv6-only
//   hosts reach public IPv4 receivers through it; a NAT64 form of a blocked IPv4 is blocked.
// - Local-use NAT64 (64:ff9b:1::/48), IPv4-compatible (::a.b.c.d), 6to4 (2002::/16) and Teredo (2001::/32):
//   always blocked. Their embedding is deprecated or operator-defined, so we cannot tell reliably where a
//   packet ends up, and no legitimate receiver needs them.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type AddressReason =
  | 'invalid'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'site-local'
  | 'metadata'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmarking'
  | 'ipv4-mapped'
  | 'ipv4-compatible'
  | 'nat64'
  | '6to4'
  | 'teredo';

type V4Rule = readonly [base: string, prefix: number, reason: AddressReason];

// First match wins, so single addresses come before the ranges that contain them.
const V4_RULES: readonly V4Rule[] = [
  ['169.254.169.254', 32, 'metadata'], // AWS, GCP, Azure, OpenStack, …
  ['168.63.129.16', 32, 'metadata'], // Azure wire server (a public address only reachable inside Azure)
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'], // "this network"; connecting to 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'], // also Alibaba's metadata service 100.100.100.200
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments (includes Oracle's metadata 192.0.0.192)
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // former 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

type V6Rule = readonly [base: string, prefix: number, reason: AddressReason | 'embedded'];

const V6_RULES: readonly V6Rule[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, 'embedded'], // IPv4-mapped
  ['::', 96, 'ipv4-compatible'],
  ['64:ff9b::', 96, 'embedded'], // NAT64 well-known prefix
  ['64:ff9b:1::', 48, 'nat64'],
  ['::', 8, 'reserved'], // includes SIIT ::ffff:0:0:0/96
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 32, 'teredo'],
  ['2001:2::', 48, 'benchmarking'],
  ['2001:db8::', 32, 'documentation'],
  ['2001::', 23, 'reserved'], // IETF protocol assignments
  ['2002::', 16, '6to4'],
  ['3fff::', 20, 'documentation'],
  ['fd00:ec2::254', 128, 'metadata'], // AWS metadata over IPv6
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

// Only 2000::/3 is allocated as global unicast; everything else is reserved.
const GLOBAL_UNICAST_V6: V6Rule = ['2000::', 3, 'reserved'];

/** Strict dotted-quad IPv4 → 32-bit number; null for anything else. */
function parseDottedIPv4(text: string): number | null {
  if (!isIPv4(text)) return null;
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function parseIPv4Number(part: string): number | null {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return parseInt(part.slice(1), 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return null;
}

/**
 * Parses every IPv4 spelling the WHATWG URL standard (and inet_aton) accepts: 1–4 parts, each decimal,
 * octal (leading 0) or hex (0x), the last part filling the remaining bytes — `2130706433`, `0177.0.0.1`,
 * `0x7f.1`, `127.1`. Returns the canonical dotted quad, or null.
 */
export function parseIPv4Literal(text: string): string | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIPv4Number(part);
    if (n === null || !Number.isFinite(n)) return null;
    numbers.push(n);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255)) return null;
  if (last >= 256 ** (4 - numbers.length)) return null;
  const value = numbers.reduce((acc, n, i) => acc + n * 256 ** (3 - i), 0) + last;
  return formatIPv4(value);
}

/** IPv6 text (any valid spelling, with or without a zone) → 128-bit number; null for anything else. */
function parseIPv6(text: string): bigint | null {
  const zone = text.indexOf('%');
  let s = zone >= 0 ? text.slice(0, zone) : text;
  if (!isIPv6(s)) return null;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseDottedIPv4(tail);
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const headWords = head === '' ? [] : head.split(':');
  const restWords = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? 0 : 8 - headWords.length - restWords.length;
  const words = [...headWords, ...new Array<string>(fill).fill('0'), ...restWords];
  if (words.length !== 8) return null;
  return words.reduce((acc, w) => (acc << 16n) | BigInt(parseInt(w, 16)), 0n);
}

function inV4(value: number, base: string, prefix: number): boolean {
  const shift = 32 - prefix;
  return Math.floor(value / 2 ** shift) === Math.floor(parseDottedIPv4(base)! / 2 ** shift);
}

function inV6(value: bigint, base: string, prefix: number): boolean {
  const shift = BigInt(128 - prefix);
  return value >> shift === parseIPv6(base)! >> shift;
}

function classifyV4(value: number): AddressReason | null {
  for (const [base, prefix, reason] of V4_RULES) if (inV4(value, base, prefix)) return reason;
  return null;
}

/** Canonical form of an IP literal: dotted quad for IPv4, parsed number for IPv6; null if not an IP. */
function parseAddress(ip: string): { family: 4; value: number } | { family: 6; value: bigint } | null {
  const text = ip.trim().replace(/^\[(.*)\]$/, '$1');
  const v6 = text.includes(':') ? parseIPv6(text) : null;
  if (v6 !== null) return { family: 6, value: v6 };
  const v4 = text.includes(':') ? null : parseIPv4Literal(text);
  return v4 === null ? null : { family: 4, value: parseDottedIPv4(v4)! };
}

/** The IPv4 address embedded in an IPv4-mapped or NAT64 (64:ff9b::/96) IPv6 address, else null. */
export function embeddedIPv4(ip: string): string | null {
  const parsed = parseAddress(ip);
  if (parsed?.family !== 6) return null;
  const { value } = parsed;
  if (!inV6(value, '::ffff:0:0', 96) && !inV6(value, '64:ff9b::', 96)) return null;
  return formatIPv4(Number(value & 0xffffffffn));
}

/**
 * Why `ip` may not be contacted by default (e.g. 'loopback', 'private', 'metadata'), or null when it is a
 * public unicast address. Accepts any IPv4 spelling (`0177.0.0.1`, `2130706433`) and any IPv6 spelling
 * (brackets, zones, embedded dotted IPv4); text that is not an IP address gives 'invalid'.
 */
export function classifyAddress(ip: string): AddressReason | null {
  const parsed = parseAddress(ip);
  if (parsed === null) return 'invalid';
  if (parsed.family === 4) return classifyV4(parsed.value);
  const { value } = parsed;
  for (const [base, prefix, reason] of V6_RULES) {
    if (!inV6(value, base, prefix)) continue;
    if (reason !== 'embedded') return reason;
    const inner = classifyV4(Number(value & 0xffffffffn));
    if (inner === null) return null;
    return base === '::ffff:0:0' ? 'ipv4-mapped' : 'nat64';
  }
  return inV6(value, GLOBAL_UNICAST_V6[0], GLOBAL_UNICAST_V6[1]) ? null : 'reserved';
}

const allowListCache = new Map<string, BlockList>();

function buildAllowList(allowCidrs: readonly string[]): BlockList {
  const key = allowCidrs.join(',');
  const cached = allowListCache.get(key);
  if (cached) return cached;
  const list = new BlockList();
  for (const cidr of allowCidrs) {
    const match = /^(.+)\/(\d{1,3})$/.exec(cidr.trim());
    const address = match?.[1] ?? '';
    const prefix = Number(match?.[2]);
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
    if (!family || prefix > (family === 'ipv4' ? 32 : 128)) {
      throw new Error(`Invalid CIDR "${cidr}" in the allowed address ranges (SVARBUD_ALLOW_CIDRS)`);
    }
    list.addSubnet(address, prefix, family);
  }
  if (allowListCache.size > 100) allowListCache.clear();
  allowListCache.set(key, list);
  return list;
}

/** Throws an Error naming the first entry of `allowCidrs` that is not a valid CIDR. */
export function validateCidrs(allowCidrs: readonly string[]): void {
  buildAllowList(allowCidrs);
}

/**
 * True when a delivery may connect to `ip`: it is public unicast, or it (or the IPv4 address it maps to)
 * lies in one of the operator's `allowCidrs`. Text that is not an IP address is never allowed.
 */
// Decisions are pure functions of (address, allow-list) and every delivery asks again, so they are
// remembered per allow-list (bounded: forgotten all at once when full).
const MEMO_LIMIT = 10_000;
const decisions = new WeakMap<readonly string[], Map<string, boolean>>();

export function isAllowedAddress(ip: string, allowCidrs: readonly string[]): boolean {
  let memo = decisions.get(allowCidrs);
  if (!memo) decisions.set(allowCidrs, (memo = new Map()));
  let allowed = memo.get(ip);
  if (allowed === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    allowed = decideAddress(ip, allowCidrs);
    memo.set(ip, allowed);
  }
  return allowed;
}

function decideAddress(ip: string, allowCidrs: readonly string[]): boolean {
  const parsed = parseAddress(ip);
  if (parsed === null) return false;
  if (classifyAddress(ip) === null) return true;
  if (allowCidrs.length === 0) return false;
  const list = buildAllowList(allowCidrs);
  if (parsed.family === 4) return list.check(formatIPv4(parsed.value), 'ipv4');
  const mapped = inV6(parsed.value, '::ffff:0:0', 96) ? formatIPv4(Number(parsed.value & 0xffffffffn)) : null;
  if (mapped !== null && list.check(mapped, 'ipv4')) return true;
  return list.check(formatIPv6(parsed.value), 'ipv6');
}

/** RFC 5952 text: lower-case hex, the longest run of two or more zero words shortened to "::". */
function formatIPv6(value: bigint): string {
  const words: string[] = [];
  for (let i = 7; i >= 0; i--) words.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start < 0) return words.join(':');
  const head = words.slice(0, best.start).join(':');
  const tail = words.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}

export type HostLiteral = { kind: 'ip'; address: string } | { kind: 'name'; name: string };

/**
 * What a URL host denotes: an IP literal (canonical text, brackets removed, any IPv4 spelling decoded) or
 * a DNS name (lower-cased). Null when the host ends in a number but is no valid IPv4 address, as in WHATWG.
 */
const normalized = new Map<string, HostLiteral | null>();

export function normalizeHost(host: string): HostLiteral | null {
  let result = normalized.get(host);
  if (result === undefined) {
    if (normalized.size >= MEMO_LIMIT) normalized.clear();
    result = parseHost(host);
    normalized.set(host, result);
  }
  return result;
}

function parseHost(host: string): HostLiteral | null {
  const text = host.trim().toLowerCase();
  if (text === '') return null;
  if (text.startsWith('[')) {
    const inner = text.endsWith(']') ? text.slice(1, -1) : '';
    const value = parseIPv6(inner.replace(/%25/, '%'));
    return value === null ? null : { kind: 'ip', address: formatIPv6(value) };
  }
  if (text.includes(':')) {
    const value = parseIPv6(text);
    return value === null ? null : { kind: 'ip', address: formatIPv6(value) };
  }
  const labels = text.split('.');
  if (labels.length > 1 && labels[labels.length - 1] === '') labels.pop();
  const last = labels[labels.length - 1] ?? '';
  // WHATWG "ends in a number": such a host is an IPv4 address or invalid, never a name.
  if (/^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/.test(last)) {
    const address = parseIPv4Literal(text);
    return address === null ? null : { kind: 'ip', address };
  }
  return { kind: 'name', name: text };
}
