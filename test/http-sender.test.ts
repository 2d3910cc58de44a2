// The HTTP sender against real receivers on 127.0.0.1 (allowed through allowCidrs, as operators do for
// local receivers). Public names are simulated with the resolver seam and never leave the machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedAddress } from '../src/delivery/address-guard.js';
import { createSender, MAX_RESPONSE_STORED_BYTES, type SenderOptions } from '../src/delivery/http-sender.js';
import { decideOutcome } from '../src/delivery/retry-policy.js';
import { generateSigningSecret, signatureHeader } from '../src/delivery/signing.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

const LOCAL = ['127.0.0.0/8'];
const BODY = JSON.stringify({ type: 'survey.response.completed', data: { variables: { score: 9 } } });

function senderOptions(overrides: Partial<SenderOptions> = {}): SenderOptions {
  return {
    connectTimeoutMs: 5_000,
    requestTimeoutMs: 15_000,
    allowCidrs: LOCAL,
    userAgent: 'Svarbud-Webhooks/test',
    ...overrides,
  };
}

let receiver: Receiver;
const cleanups: (() => Promise<void>)[] = [];

function sender(overrides: Partial<SenderOptions> = {}) {
  const s = createSender(senderOptions(overrides));
  cleanups.push(() => s.close());
  return s;
}

beforeEach(async () => {
  receiver = await startReceiver();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await receiver.close();
});

describe('a delivery that the receiver accepts', () => {
  it('POSTs the body and headers and reports the 2xx as success', async () => {
    const secret = generateSigningSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'run_01',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader([secret], 'run_01', timestamp, BODY),
      'x-custom': 'yes',
    };
    receiver.reply({ status: 202, headers: { 'x-receiver': 'r1' }, body: 'accepted' });

    const result = await sender().send({
      url: receiver.urlFor('/hooks?x=1'),
      headers,
      body: BODY,
      keepResponseHeaders: true,
    });

    expect(result).toMatchObject({
      ok: true,
      statusCode: 202,
      error: null,
      responseBody: 'accepted',
      retryAfterMs: null,
    });
    expect(result.responseHeaders?.['x-receiver']).toBe('r1');
    // A delivery does not ask for them: they are not decoded (nor sent across threads) for nothing.
    receiver.reply({ status: 200, headers: { 'x-receiver': 'r2' } });
    const plain = await sender().send({ url: receiver.urlFor('/hooks'), headers, body: BODY });
    expect(plain).toMatchObject({ ok: true, statusCode: 200, responseHeaders: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const [request] = await receiver.waitForRequests(1);
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/hooks?x=1');
    expect(request!.text).toBe(BODY);
    expect(request!.headers['user-agent']).toBe('Svarbud-Webhooks/test');
    expect(request!.headers['x-custom']).toBe('yes');
    expect(new Webhook(secret).verify(request!.text, request!.headers as Record<string, string>)).toEqual(
      JSON.parse(BODY),
    );
    expect(
      decideOutcome({ ...result, attemptNumber: 1, scheduleMs: [0, 60_000], now: 0, random: () => 0.5 }),
    ).toEqual({ kind: 'succeeded' });
  });

  it('keeps the sender in charge of Host, Content-Length and connection headers', async () => {
    const result = await sender().send({
      url: receiver.url,
      headers: { Host: 'evil.example', 'Content-Length': '1', Connection: 'close', 'User-Agent': 'mine' },
      body: BODY,
    });
    expect(result.ok).toBe(true);
    const [request] = await receiver.waitForRequests(1);
    expect(request!.headers.host).toBe(`127.0.0.1:${receiver.port}`);
    expect(request!.text).toBe(BODY);
    expect(request!.headers['user-agent']).toBe('mine');
  });

  it('rejects header names or values that could not be sent (callers validate them on save)', async () => {
    await expect(
      sender().send({ url: receiver.url, headers: { 'x-a': 'one\r\ntwo' }, body: '' }),
    ).rejects.toThrow(TypeError);
    await expect(
      sender().send({ url: receiver.url, headers: { 'bad name': 'v' }, body: '' }),
    ).rejects.toThrow(TypeError);
    expect(receiver.requests).toHaveLength(0);
  });

  it('reuses one kept-alive connection for consecutive sends to the same receiver', async () => {
    const s = sender();
    const first = await s.send({ url: receiver.urlFor('/a'), headers: {}, body: BODY });
    const second = await s.send({ url: receiver.urlFor('/b'), headers: {}, body: BODY });
    expect([first.ok, second.ok]).toEqual([true, true]);
    const requests = await receiver.waitForRequests(2);
    expect(requests.map((r) => r.connection)).toEqual([1, 1]);
    expect(receiver.connectionCount).toBe(1);
  });

  it('connects a name only to the address the resolver gave for this attempt (no DNS at connect time)', async () => {
    const calls: string[] = [];
    const resolve = async (name: string): Promise<ResolvedAddress[]> => {
      calls.push(name);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const s = sender({ resolve });
    // .test never resolves in real DNS, so success proves the pinned address was used.
    const url = `http://receiver.svarbud.test:${receiver.port}/in`;
    const first = await s.send({ url, headers: {}, body: BODY });
    const second = await s.send({ url, headers: {}, body: BODY });
    expect([first.error, second.error]).toEqual([null, null]);
    expect(calls).toEqual(['receiver.svarbud.test', 'receiver.svarbud.test']);
    const [request] = await receiver.waitForRequests(1);
    expect(request!.headers.host).toBe(`receiver.svarbud.test:${receiver.port}`);
  });
});

describe('a delivery that the receiver refuses', () => {
  it('does not follow a redirect, names where it pointed, and the target never hears of it', async () => {
    const target = await startReceiver();
    try {
      receiver.reply({ status: 301, headers: { location: target.urlFor('/final') }, body: 'moved' });
      const result = await sender().send({ url: receiver.urlFor('/old'), headers: {}, body: BODY });
      expect(result.ok).toBe(false);
      expect(result.statusCode).toBe(301);
      expect(result.error?.code).toBe('REDIRECT');
      expect(result.error?.message).toContain(target.urlFor('/final'));
      expect(result.error?.hint).toMatch(/final URL/);
      expect(result.responseBody).toBe('moved');
      expect(target.requests).toHaveLength(0);
      expect(target.connectionCount).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('resolves a relative Location against the URL for the redirect message', async () => {
    receiver.reply({ status: 308, headers: { location: '/v2/hooks' } });
    const result = await sender().send({ url: receiver.urlFor('/v1/hooks'), headers: {}, body: BODY });
    expect(result.error?.code).toBe('REDIRECT');
    expect(result.error?.message).toContain(receiver.urlFor('/v2/hooks'));
    expect(receiver.requests).toHaveLength(1);
  });

  it.each([
    [400, 'field "score" is not a string'],
    [401, 'who are you'],
    [404, 'no such hook'],
    [500, 'Traceback: boom'],
  ])('reports %i as HTTP_STATUS with the body excerpt', async (status, body) => {
    receiver.reply({ status, body });
    const result = await sender().send({ url: receiver.url, headers: {}, body: BODY });
    expect(result).toMatchObject({ ok: false, statusCode: status, responseBody: body });
    expect(result.error?.code).toBe('HTTP_STATUS');
    expect(result.error?.message).toContain(String(status));
    expect(result.error?.hint.length).toBeGreaterThan(10);
  });

  it('reports 410 Gone so the run ends at once as gone', async () => {
    receiver.reply({ status: 410, body: 'endpoint removed' });
    const result = await sender().send({ url: receiver.url, headers: {}, body: BODY });
    expect(result.statusCode).toBe(410);
    expect(result.error?.code).toBe('HTTP_STATUS');
    expect(result.error?.hint).toMatch(/disabled/);
    const outcome = decideOutcome({
      ...result,
      attemptNumber: 1,
      scheduleMs: [0, 60_000],
      now: 0,
      random: Math.random,
    });
    expect(outcome).toEqual({ kind: 'gone' });
  });

  it('parses Retry-After in seconds on 429 and waits that long when it is longer than the schedule', async () => {
    receiver.reply({ status: 429, headers: { 'retry-after': '120' }, body: 'slow down' });
    const result = await sender().send({ url: receiver.url, headers: {}, body: BODY });
    expect(result).toMatchObject({ statusCode: 429, retryAfterMs: 120_000 });
    const outcome = decideOutcome({
      ...result,
      attemptNumber: 1,
      scheduleMs: [0, 60_000],
      now: 1_000,
      random: () => 0.99,
    });
    expect(outcome).toEqual({ kind: 'retry', at: 121_000 });
  });

  it('parses Retry-After as an HTTP date on 503', async () => {
    const now = Date.parse('2026-01-15T12:00:00Z');
    receiver.reply({ status: 503, headers: { 'retry-after': 'Thu, 15 Jan 2026 12:10:00 GMT' } });
    const result = await sender({ now: () => now }).send({ url: receiver.url, headers: {}, body: BODY });
    expect(result).toMatchObject({ statusCode: 503, retryAfterMs: 10 * 60_000 });
    expect(result.error?.code).toBe('HTTP_STATUS');
  });
});

describe('a delivery that fails below HTTP', () => {
  it('times out a receiver that never answers', async () => {
    receiver.reply({ hang: true });
    const result = await sender({ requestTimeoutMs: 300 }).send({
      url: receiver.url,
      headers: {},
      body: BODY,
    });
    expect(result).toMatchObject({ ok: false, statusCode: null, responseBody: null });
    expect(result.error?.code).toBe('TIMEOUT');
    expect(result.durationMs).toBeLessThan(10_000);
    expect(receiver.requests).toHaveLength(1);
  });

  it('stops reading a huge response early and keeps at most 4 KiB of it', async () => {
    const total = 10 * 1024 * 1024;
    let written = 0;
    let finished = false;
    const closed = new Promise<void>((resolve) => {
      receiver.reply(({ res }) => {
        res.on('close', () => resolve());
        res.on('finish', () => (finished = true));
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        const chunk = Buffer.from('€'.repeat(16 * 1024)); // 3 bytes each: cuts land inside characters
        const pump = () => {
          while (written < total) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      });
    });

    const result = await sender().send({ url: receiver.url, headers: {}, body: BODY });
    await closed;

    expect(result.ok).toBe(true);
    expect(Buffer.byteLength(result.responseBody!)).toBeLessThanOrEqual(MAX_RESPONSE_STORED_BYTES);
    expect(Buffer.byteLength(result.responseBody!)).toBeGreaterThan(MAX_RESPONSE_STORED_BYTES - 3);
    expect(result.responseBody).toMatch(/^€+$/);
    expect(finished).toBe(false);
    expect(written).toBeLessThan(total);
  });

  it('reports a connection the receiver drops mid-request as CONNECTION_RESET', async () => {
    receiver.reply({ reset: true });
    const result = await sender().send({ url: receiver.url, headers: {}, body: BODY });
    expect(result.error?.code).toBe('CONNECTION_RESET');
    expect(result.statusCode).toBeNull();
    expect(receiver.requests).toHaveLength(1);
  });

  it('reports a closed port as CONNECTION_REFUSED with a plain-language hint', async () => {
    const closedPort = await freePort();
    const result = await sender().send({ url: `http://127.0.0.1:${closedPort}/`, headers: {}, body: BODY });
    expect(result.error).toEqual({
      code: 'CONNECTION_REFUSED',
      message: expect.stringContaining('refused'),
      hint: 'Nothing is listening at that address and port — check the URL and that the receiver is running.',
    });
    const outcome = decideOutcome({
      ...result,
      attemptNumber: 1,
      scheduleMs: [0, 60_000],
      now: 0,
      random: () => 0.5,
    });
    expect(outcome).toEqual({ kind: 'retry', at: 60_000 });
  });

  it('reports https to a server that does not speak TLS as TLS_ERROR', async () => {
    const result = await sender().send({
      url: `https://127.0.0.1:${receiver.port}/`,
      headers: {},
      body: BODY,
    });
    expect(result.error?.code).toBe('TLS_ERROR');
    expect(receiver.requests).toHaveLength(0);
  });

  it('reports a name that does not resolve as DNS_NOT_FOUND', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    const failing = sender({ resolve: () => Promise.reject(notFound) });
    const empty = sender({ resolve: async () => [] });
    for (const s of [failing, empty]) {
      const result = await s.send({ url: 'https://nowhere.test/hook', headers: {}, body: BODY });
      expect(result.error?.code).toBe('DNS_NOT_FOUND');
      expect(result.error?.message).toContain('nowhere.test');
    }
  });

  it('times out a resolver that never answers', async () => {
    const s = sender({ requestTimeoutMs: 200, resolve: () => new Promise<never>(() => {}) });
    const result = await s.send({ url: 'https://slow-dns.test/', headers: {}, body: BODY });
    expect(result.error?.code).toBe('TIMEOUT');
  });

  it.each([
    ['not a url'],
    ['ftp://127.0.0.1/file'],
    ['file:///etc/passwd'],
    ['http://user:pass@127.0.0.1/'],
    ['http://token@127.0.0.1/'],
    [`http://127.0.0.1/${'a'.repeat(2000)}`],
    ['http://1.2.3.999/'],
  ])('refuses %s as INVALID_URL without sending', async (url) => {
    const result = await sender().send({
      url: url.replace('127.0.0.1', `127.0.0.1:${receiver.port}`),
      headers: {},
      body: BODY,
    });
    expect(result.error?.code).toBe('INVALID_URL');
    expect(receiver.connectionCount).toBe(0);
  });
});

async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
