// The address guard: before every attempt, resolve the URL's host, check every address against the
// address policy, and pin the checked addresses so the connection can only go to them. Pinning closes the
// DNS-rebinding window: the name is resolved once per attempt, by us, and the socket never asks DNS again.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { buildConnector } from 'undici';
import { classifyAddress, embeddedIPv4, isAllowedAddress, normalizeHost } from './address-policy.js';
import { failure, type AttemptError } from './failure-hints.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses; a seam so tests can simulate DNS. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

/** The longest automation URL accepted. */
export const MAX_URL_LENGTH = 2000;

/** All addresses of `hostname` from the operating system's resolver, in its order. */
export const systemResolve: Resolve = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export type UrlCheck = { ok: true; url: URL } | { ok: false; error: AttemptError };

/** Accepts only absolute http(s) URLs of at most 2000 characters without credentials; else INVALID_URL. */
export function parseDeliveryUrl(raw: string): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) {
    return { ok: false, error: failure('INVALID_URL', `It is longer than ${MAX_URL_LENGTH} characters.`) };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: failure('INVALID_URL') };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      error: failure('INVALID_URL', `Only http and https are supported, not ${url.protocol}`),
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      error: failure(
        'INVALID_URL',
        'It contains a user name or password; send credentials in a header instead.',
      ),
    };
  }
  if (url.hostname === '' || normalizeHost(url.hostname) === null) {
    return { ok: false, error: failure('INVALID_URL', 'Its host is not valid.') };
  }
  return { ok: true, url };
}

export type TargetCheck =
  { ok: true; hostname: string; addresses: ResolvedAddress[] } | { ok: false; error: AttemptError };

/**
 * URL prefixes (e.g. `http://127.0.0.1:8080/api/v1/inbox/`) of this Svarbud process's own request inbox,
 * read on every attempt. A URL with the same scheme, host and port whose path continues such a prefix may
 * reach its addresses even when they are loopback or private; nothing else gets this exception.
 */
export type SelfTargets = () => readonly string[];

export interface GuardOptions {
  allowCidrs: readonly string[];
  resolve?: Resolve;
  selfTargets?: SelfTargets;
}

let lastPrefixes: { raw: readonly string[]; parsed: URL[] } | null = null;

function parsedPrefixes(selfTargets: SelfTargets | undefined): URL[] {
  const raw = selfTargets?.() ?? [];
  // SelfTargets return the same list while the server listens: parse it once.
  if (lastPrefixes?.raw === raw) return lastPrefixes.parsed;
  const out: URL[] = [];
  for (const text of raw) {
    try {
      out.push(new URL(text));
    } catch {
      // A malformed prefix allows nothing.
    }
  }
  lastPrefixes = { raw, parsed: out };
  return out;
}

/** True when `url` is this process's own inbox: a self-target prefix's origin and a longer path under it. */
export function isSelfTarget(url: URL, selfTargets: SelfTargets | undefined): boolean {
  return parsedPrefixes(selfTargets).some(
    (p) =>
      p.origin === url.origin &&
      p.pathname.endsWith('/') &&
      url.pathname.startsWith(p.pathname) &&
      url.pathname.length > p.pathname.length,
  );
}

function describeBlocked(address: string): string {
  const reason = classifyAddress(address);
  const inner = embeddedIPv4(address);
  const innerReason = inner === null ? null : classifyAddress(inner);
  const why = inner !== null && innerReason !== null ? `${reason} form of ${inner}, ${innerReason}` : reason;
  return `${address} (${why})`;
}

function isLocalhostName(name: string): boolean {
  const n = name.replace(/\.$/, '');
  return n === 'localhost' || n.endsWith('.localhost');
}

/**
 * Resolves the host of `url` (fresh, no cache) and succeeds only when EVERY address is allowed; a name with
 * one public and one blocked address is refused. Literal IPs (any spelling) are checked the same way.
 * Never throws: failures are BLOCKED_ADDRESS, DNS_NOT_FOUND or INVALID_URL.
 */
export async function checkTarget(url: URL, options: GuardOptions): Promise<TargetCheck> {
  const host = normalizeHost(url.hostname);
  if (host === null) return { ok: false, error: failure('INVALID_URL', 'Its host is not valid.') };
  let addresses: ResolvedAddress[];
  if (host.kind === 'ip') {
    addresses = [{ address: host.address, family: isIP(host.address) === 6 ? 6 : 4 }];
  } else if (isLocalhostName(host.name)) {
    // RFC 6761: localhost names are loopback whatever DNS says.
    addresses = [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolve)(host.name);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const detail = typeof code === 'string' ? ` (${code})` : '';
      return { ok: false, error: failure('DNS_NOT_FOUND', `No address found for ${host.name}${detail}.`) };
    }
    if (addresses.length === 0) {
      return { ok: false, error: failure('DNS_NOT_FOUND', `No address found for ${host.name}.`) };
    }
  }
  // This process's own inbox is allowed as itself (only its path, on its own origin), not its addresses.
  if (isSelfTarget(url, options.selfTargets)) return { ok: true, hostname: url.hostname, addresses };
  const blocked = addresses.filter((a) => !isAllowedAddress(a.address, options.allowCidrs));
  if (blocked.length > 0) {
    const what = host.kind === 'ip' ? 'The address' : `${host.name} resolves to`;
    const list = blocked.map((a) => describeBlocked(a.address)).join(', ');
    return { ok: false, error: failure('BLOCKED_ADDRESS', `${what} ${list}.`) };
  }
  return { ok: true, hostname: url.hostname, addresses };
}

/** Raised inside a connection attempt that would reach an address that was not checked and allowed. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_BLOCKED_ADDRESS';
  constructor(message: string) {
    super(message);
    this.name = 'BlockedAddressError';
  }
}

export interface GuardedConnector {
  /** The undici `connect` option: connects only to pinned, allowed addresses. */
  connect: buildConnector.connector;
  /** Pins the checked addresses of one attempt; call the returned function when the attempt ends. */
  pin(target: { hostname: string; addresses: ResolvedAddress[] }): () => void;
}

/**
 * An undici connector that never asks DNS: a name connects only to the addresses pinned for it by the
 * current attempt(s), a literal IP only if allowed, and the connected peer address is checked again.
 */
export function createGuardedConnector(options: {
  allowCidrs: readonly string[];
  connectTimeoutMs: number;
  selfTargets?: SelfTargets;
}): GuardedConnector {
  const pins = new Map<string, { addresses: ResolvedAddress[]; holders: number }>();

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    const pinned = pins.get(hostname);
    const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
    const addresses = (pinned?.addresses ?? []).filter((a) => family === 0 || a.family === family);
    if (addresses.length === 0) {
      const err = new BlockedAddressError(`No checked address is pinned for ${hostname}`);
      callback(err as unknown as NodeJS.ErrnoException, '', 0);
      return;
    }
    if (lookupOptions.all) {
      (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, addresses);
    } else {
      callback(null, addresses[0]!.address, addresses[0]!.family);
    }
  };

  const base = buildConnector({ timeout: options.connectTimeoutMs, lookup } as buildConnector.BuildOptions);

  // A pool exists per origin and every request on it passed checkTarget first, so a connection to a
  // self-target origin only ever carries requests to the inbox path; its addresses need no allowing.
  const isSelfOrigin = ({ protocol, hostname, port }: buildConnector.Options): boolean => {
    const host = isIP(hostname) === 6 ? `[${hostname}]` : hostname;
    const origin = `${protocol}//${host}${port ? `:${port}` : ''}`;
    return parsedPrefixes(options.selfTargets).some((p) => p.origin === origin);
  };

  const connect: buildConnector.connector = (connectOptions, callback) => {
    const { hostname } = connectOptions;
    if (options.selfTargets && isSelfOrigin(connectOptions)) {
      base(connectOptions, callback);
      return;
    }
    if (isIP(hostname) !== 0 && !isAllowedAddress(hostname, options.allowCidrs)) {
      callback(new BlockedAddressError(`${hostname} is not an allowed address`), null);
      return;
    }
    base(connectOptions, (err, socket) => {
      if (err || !socket) {
        callback(err, null);
        return;
      }
      const peer = (socket as Socket).remoteAddress;
      if (peer === undefined || !isAllowedAddress(peer, options.allowCidrs)) {
        socket.destroy();
        callback(
          new BlockedAddressError(`Connected to ${peer ?? 'an unknown address'}, which is not allowed`),
          null,
        );
        return;
      }
      callback(null, socket);
    });
  };

  const pin: GuardedConnector['pin'] = ({ hostname, addresses }) => {
    const current = pins.get(hostname);
    // The newest check wins; every pinned set passed the same policy, so any holder may use it.
    pins.set(hostname, { addresses, holders: (current?.holders ?? 0) + 1 });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const entry = pins.get(hostname);
      if (!entry) return;
      if (entry.holders <= 1) pins.delete(hostname);
      else entry.holders -= 1;
    };
  };

  return { connect, pin };
}
