// The address guard's one exception: deliveries may reach this Svarbud process's own request inbox even
// on loopback, but only as itself — its own origin(s) and only paths under /api/v1/inbox/. Everything
// else on loopback (other ports, other paths of the same port) stays blocked unless the operator opens
// it with SVARBUD_ALLOW_CIDRS.
import type { AddressInfo } from 'node:net';
import type { SelfTargets } from '../delivery/address-guard.js';

export const INBOX_PATH = '/api/v1/inbox/';

const UNSPECIFIED = new Set(['0.0.0.0', '::', '::0']);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * The inbox URL prefixes of this process: the SVARBUD_PUBLIC_URL one always (a worker process, which does
 * not listen, knows only that), plus — once the HTTP server listens — the listening address, and the
 * loopback names 127.0.0.1, [::1] and localhost on the listening port when it listens on loopback or on
 * every interface.
 */
export function selfInboxTargets(publicUrl: string, listening: AddressInfo | string | null): string[] {
  const targets = [`${publicUrl.replace(/\/$/, '')}${INBOX_PATH}`];
  if (listening && typeof listening === 'object') {
    const { address, port } = listening;
    const hosts = new Set<string>();
    if (UNSPECIFIED.has(address) || LOOPBACK.test(address)) {
      hosts.add('127.0.0.1').add('[::1]').add('localhost');
    }
    if (!UNSPECIFIED.has(address)) hosts.add(address.includes(':') ? `[${address}]` : address);
    for (const host of hosts) targets.push(`http://${host}:${port}${INBOX_PATH}`);
  }
  return targets;
}

/** A SelfTargets reading the server's listening address until it has one (null before `listen`). */
export function selfTargetsOf(
  publicUrl: string,
  server: { address(): AddressInfo | string | null } | null,
): SelfTargets {
  let listening: string[] | null = null;
  return () => {
    if (listening) return listening;
    const address = server?.address() ?? null;
    const targets = selfInboxTargets(publicUrl, address);
    // A server listens on one address for its whole life: read it once.
    if (address) listening = targets;
    return targets;
  };
}
