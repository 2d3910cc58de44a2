// The address guard end to end: disallowed targets are refused with BLOCKED_ADDRESS before any connection,
// proven by loopback listeners that count connections. Only loopback listeners are ever connected to;
// targets that are not loopback (private, metadata, public) are checked without connecting.
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  checkTarget,
  createGuardedConnector,
  parseDeliveryUrl,
  type ResolvedAddress,
} from '../src/delivery/address-guard.js';
import { createSender, type Sender } from '../src/delivery/http-sender.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

/** A TCP listener that only counts connections (and never answers). */
interface Listener {
  port: number;
  connections: number;
  close(): Promise<void>;
}

async function listen(host: string): Promise<Listener | null> {
  const sockets = new Set<Socket>();
  const listener = { port: 0, connections: 0, close: async () => {} };
  const server: Server = createServer((socket) => {
    listener.connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
  } catch {
    return null; // e.g. no IPv6 on this machine
  }
  listener.port = (server.address() as AddressInfo).port;
  listener.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return listener;
}

const A = (address: string): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 });

/** Simulated DNS: names of the form *.test map to fixed addresses; anything else does not exist. */
function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve = async (name: string) => {
    calls.push(name);
    const answers = table[name];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return answers.map(A);
  };
  return { resolve, calls };
}

let v4: Listener;
let v6: Listener | null;
let allow0: Sender; // default policy: nothing private allowed
let allow127: Sender; // allowCidrs 127.0.0.0/8 (how operators run local receivers)

const dns = fakeDns({
  'internal.svarbud.test': ['127.0.0.1'],
  'mapped.svarbud.test': ['::ffff:127.0.0.1'],
  'v6-loopback.svarbud.test': ['::1'],
  'unspecified.svarbud.test': ['0.0.0.0'],
  'loopback-pair.svarbud.test': ['127.0.0.1', '::1'],
  'public-and-private.svarbud.test': ['127.0.0.1', '10.0.0.1'],
  'public-and-metadata.svarbud.test': ['127.0.0.1', '169.254.169.254'],
  'metadata.svarbud.test': ['169.254.169.254'],
  'private.svarbud.test': ['192.168.1.10'],
  'public.svarbud.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'public-then-private.svarbud.test': ['93.184.215.14', '10.1.2.3'],
});

const options = { connectTimeoutMs: 1_000, requestTimeoutMs: 3_000, userAgent: 'Svarbud-Webhooks/test' };

beforeAll(async () => {
  v4 = (await listen('127.0.0.1'))!;
  v6 = await listen('::1');
  allow0 = createSender({ ...options, allowCidrs: [], resolve: dns.resolve });
  allow127 = createSender({ ...options, allowCidrs: ['127.0.0.0/8'], resolve: dns.resolve });
});

afterAll(async () => {
  await allow0.close();
  await allow127.close();
  await v4.close();
  await v6?.close();
});

beforeEach(() => {
  v4.connections = 0;
  if (v6) v6.connections = 0;
});

// Every one of these would reach the 127.0.0.1 listener if the guard let it through.
const loopbackTargets = (port: number): string[] => [
  `http://127.0.0.1:${port}/`,
  `http://127.0.0.2:${port}/`,
  `http://127.255.255.254:${port}/`,
  `http://127.1:${port}/`,
  `http://127.0.1:${port}/`,
  `http://2130706433:${port}/`,
  `http://0177.0.0.1:${port}/`,
  `http://0177.0000.0000.0001:${port}/`,
  `http://017700000001:${port}/`,
  `http://0x7f.1:${port}/`,
  `http://0x7f000001:${port}/`,
  `http://0x7F.0x00.0x00.0x01:${port}/`,
  `http://127.0.0.1.:${port}/`,
  `http://%31%32%37.0.0.1:${port}/`,
  `http://１２７.０.０.１:${port}/`,
  `http://[::ffff:127.0.0.1]:${port}/`,
  `http://[::ffff:7f00:1]:${port}/`,
  `http://[0:0:0:0:0:ffff:7f00:1]:${port}/`,
  `http://[::FFFF:127.0.0.1]:${port}/`,
  `http://localhost:${port}/`,
  `http://LOCALHOST:${port}/`,
  `http://localhost.:${port}/`,
  `http://receiver.localhost:${port}/`,
  `http://0.0.0.0:${port}/`,
  `http://0:${port}/`,
  `http://0x0:${port}/`,
  `http://[::]:${port}/`,
  `https://127.0.0.1:${port}/`,
  `https://localhost:${port}/`,
  `http://internal.svarbud.test:${port}/`,
  `http://mapped.svarbud.test:${port}/`,
  `http://unspecified.svarbud.test:${port}/`,
  `http://loopback-pair.svarbud.test:${port}/`,
];

describe('with the default policy (no allowed ranges)', () => {
  it('refuses every loopback spelling with BLOCKED_ADDRESS and never connects', async () => {
    const targets = loopbackTargets(v4.port);
    expect(targets.length).toBeGreaterThanOrEqual(30);
    for (const url of targets) {
      const result = await allow0.send({ url, headers: {}, body: '{}' });
      expect([url, result.error?.code]).toEqual([url, 'BLOCKED_ADDRESS']);
      expect(result.error?.message).toMatch(/loopback|unspecified|ipv4-mapped/);
    }
    expect(v4.connections).toBe(0);
  });

  it('refuses IPv6 loopback spellings and never connects to a ::1 listener', async () => {
    const port = v6?.port ?? v4.port;
    const targets = [
      `http://[::1]:${port}/`,
      `http://[0:0:0:0:0:0:0:1]:${port}/`,
      `http://[0000::0001]:${port}/`,
      `http://v6-loopback.svarbud.test:${port}/`,
    ];
    for (const url of targets) {
      const result = await allow0.send({ url, headers: {}, body: '{}' });
      expect([url, result.error?.code]).toEqual([url, 'BLOCKED_ADDRESS']);
    }
    expect(v6?.connections ?? 0).toBe(0);
    expect(v4.connections).toBe(0);
  });

  it('refuses private, link-local, metadata, CGNAT and other special targets before connecting', async () => {
    // Checked with checkTarget only: a broken guard must not make this test reach a real network.
    const targets = [
      'http://10.0.0.1/',
      'http://10.255.255.255:8080/',
      'http://172.16.5.4/',
      'http://172.31.255.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/latest/meta-data/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://0251.0376.0251.0376/',
      'http://169.254.1.1/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[64:ff9b::10.0.0.1]/',
      'http://[2002:a9fe:a9fe::1]/',
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
      'http://[::10.0.0.1]/',
      'http://100.64.0.1/',
      'http://100.100.100.200/',
      'http://168.63.129.16/',
      'http://192.0.0.192/',
      'http://192.0.2.10/',
      'http://198.18.0.1/',
      'http://198.51.100.7/',
      'http://203.0.113.9/',
      'http://224.0.0.1/',
      'http://239.255.255.250/',
      'http://240.0.0.1/',
      'http://255.255.255.255/',
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://[fd12:3456:789a::1]/',
      'http://[ff02::1]/',
      'http://[fec0::1]/',
      'http://[2001:db8::1]/',
      'http://metadata.svarbud.test/',
      'http://private.svarbud.test/',
      'http://public-then-private.svarbud.test/',
    ];
    for (const raw of targets) {
      const parsed = parseDeliveryUrl(raw);
      expect([raw, parsed.ok]).toEqual([raw, true]);
      if (!parsed.ok) continue;
      const check = await checkTarget(parsed.url, { allowCidrs: [], resolve: dns.resolve });
      expect([raw, check.ok ? 'allowed' : check.error.code]).toEqual([raw, 'BLOCKED_ADDRESS']);
    }
  });

  it('says which address was blocked and why', async () => {
    const check = await checkTarget(new URL('http://public-then-private.svarbud.test/'), {
      allowCidrs: [],
      resolve: dns.resolve,
    });
    expect(check).toMatchObject({
      ok: false,
      error: { code: 'BLOCKED_ADDRESS', message: expect.stringContaining('10.1.2.3 (private)') },
    });
    const mapped = await checkTarget(new URL('http://[::ffff:169.254.169.254]/'), { allowCidrs: [] });
    expect(mapped.ok ? '' : mapped.error.message).toContain('169.254.169.254, metadata');
  });

  it('lets public addresses through (checked only, never connected to)', async () => {
    for (const raw of [
      'http://public.svarbud.test/',
      'https://93.184.215.14/',
      'http://[2606:4700::1111]/',
    ]) {
      const check = await checkTarget(new URL(raw), { allowCidrs: [], resolve: dns.resolve });
      expect([raw, check.ok]).toEqual([raw, true]);
    }
  });
});

describe('with 127.0.0.0/8 allowed (local receivers)', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it('delivers to an allowed loopback receiver in any spelling', async () => {
    for (const host of ['127.0.0.1', '2130706433', '0x7f.1', '[::ffff:127.0.0.1]', 'internal.svarbud.test']) {
      const result = await allow127.send({
        url: `http://${host}:${receiver.port}/`,
        headers: {},
        body: '{}',
      });
      expect([host, result.error]).toEqual([host, null]);
    }
  });

  it('refuses a name with one allowed and one disallowed address, connecting to neither', async () => {
    for (const name of [
      'public-and-private.svarbud.test',
      'public-and-metadata.svarbud.test',
      'loopback-pair.svarbud.test',
    ]) {
      const result = await allow127.send({ url: `http://${name}:${v4.port}/`, headers: {}, body: '{}' });
      expect([name, result.error?.code]).toEqual([name, 'BLOCKED_ADDRESS']);
    }
    // localhost is 127.0.0.1 and ::1; only the first is allowed here.
    const localhost = await allow127.send({ url: `http://localhost:${v4.port}/`, headers: {}, body: '{}' });
    expect(localhost.error?.message).toMatch(/::1 \(loopback\)/);
    expect(v4.connections).toBe(0);
  });

  it('still refuses ::1 and addresses outside the allowed range', async () => {
    const port = v6?.port ?? v4.port;
    const result = await allow127.send({ url: `http://[::1]:${port}/`, headers: {}, body: '{}' });
    expect(result.error?.code).toBe('BLOCKED_ADDRESS');
    const narrow = createSender({ ...options, allowCidrs: ['127.0.0.1/32'] });
    try {
      const other = await narrow.send({ url: `http://127.0.0.2:${v4.port}/`, headers: {}, body: '{}' });
      expect(other.error?.code).toBe('BLOCKED_ADDRESS');
    } finally {
      await narrow.close();
    }
    expect(v6?.connections ?? 0).toBe(0);
    expect(v4.connections).toBe(0);
  });

  it('resolves again on every attempt, so a name rebound to a blocked address is refused', async () => {
    const second = await listen('127.0.0.2');
    const answers = [['127.0.0.1'], ['127.0.0.2']];
    const calls: string[] = [];
    const rebinding = createSender({
      ...options,
      allowCidrs: ['127.0.0.1/32'],
      resolve: async (name) => {
        calls.push(name);
        return (answers.shift() ?? ['127.0.0.2']).map(A);
      },
    });
    try {
      const url = `http://rebind.svarbud.test:${receiver.port}/`;
      const first = await rebinding.send({ url, headers: {}, body: '{}' });
      expect(first.error).toBeNull();
      const again = await rebinding.send({
        url: url.replace(String(receiver.port), String(second!.port)),
        headers: {},
        body: '{}',
      });
      expect(again.error?.code).toBe('BLOCKED_ADDRESS');
      expect(calls).toHaveLength(2);
      expect(second!.connections).toBe(0);
    } finally {
      await rebinding.close();
      await second?.close();
    }
  });
});

describe('the guarded connector on its own', () => {
  it('connects a name only to its pinned addresses, and refuses names with nothing pinned', async () => {
    const connector = createGuardedConnector({ allowCidrs: ['127.0.0.0/8'], connectTimeoutMs: 1_000 });
    const connect = (hostname: string) =>
      new Promise<Error | null>((resolve) => {
        connector.connect(
          { hostname, host: `${hostname}:${v4.port}`, protocol: 'http:', port: String(v4.port) },
          (err, socket) => {
            socket?.destroy();
            resolve(err);
          },
        );
      });

    expect(await connect('unpinned.svarbud.test')).toMatchObject({ code: 'ERR_BLOCKED_ADDRESS' });
    expect(await connect('::1')).toMatchObject({ code: 'ERR_BLOCKED_ADDRESS' });
    expect(await connect('10.0.0.1')).toMatchObject({ code: 'ERR_BLOCKED_ADDRESS' });
    expect(v4.connections).toBe(0);

    const release = connector.pin({ hostname: 'pinned.svarbud.test', addresses: [A('127.0.0.1')] });
    expect(await connect('pinned.svarbud.test')).toBeNull();
    expect(await connect('127.0.0.1')).toBeNull();
    release();
    expect(await connect('pinned.svarbud.test')).toMatchObject({ code: 'ERR_BLOCKED_ADDRESS' });
    await expect.poll(() => v4.connections).toBe(2);
  });
});
