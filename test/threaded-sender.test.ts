// The threaded sender: the same attempts as the in-thread sender, made on a worker thread.
import type { Worker } from 'node:worker_threads';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryHeaders } from '../src/delivery/signing.js';
import { createThreadedSender } from '../src/delivery/threaded-sender.js';
import type { Sender } from '../src/delivery/http-sender.js';
import { generateSigningSecret } from '../src/delivery/signing.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

describe('threaded sender', () => {
  let receiver: Receiver;
  let sender: Sender;
  beforeAll(async () => {
    receiver = await startReceiver();
    sender = createThreadedSender({
      connectTimeoutMs: 2_000,
      requestTimeoutMs: 1_000,
      allowCidrs: ['127.0.0.0/8'],
      userAgent: 'Svarbud-test',
    });
  });
  afterAll(async () => {
    await sender.close();
    await receiver.close();
  });

  it('delivers signed requests on its thread, many at once, each answered with its own result', async () => {
    const secret = generateSigningSecret();
    const settings = { url: receiver.urlFor('/t'), headers: { 'x-custom': 'yes' }, secrets: [secret] };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const body = JSON.stringify({ n: i });
        return sender.send({
          url: `${settings.url}?n=${i}`,
          headers: deliveryHeaders(`run_${i}`, body, settings as never, Date.now()),
          body,
        });
      }),
    );
    expect(results.every((r) => r.ok && r.statusCode === 200 && r.responseBody === 'ok')).toBe(true);
    const requests = await receiver.waitForRequests(50);
    for (const r of requests) {
      const n = Number(new URL(r.path, 'http://x').searchParams.get('n'));
      expect(r.headers['webhook-id']).toBe(`run_${n}`);
      expect(r.headers['x-custom']).toBe('yes');
      expect(() => new Webhook(secret).verify(r.text, r.headers as Record<string, string>)).not.toThrow();
    }
  });

  it('classifies failures there as it does here: blocked addresses, timeouts, status codes', async () => {
    const blocked = await sender.send({ url: 'http://10.0.0.1/x', headers: {}, body: '{}' });
    expect(blocked.error?.code).toBe('BLOCKED_ADDRESS');
    receiver.replyOnce({ hang: true });
    const slow = await sender.send({ url: receiver.urlFor('/hang'), headers: {}, body: '{}' });
    expect(slow.error?.code).toBe('TIMEOUT');
    receiver.replyOnce({ status: 503, headers: { 'retry-after': '7' } });
    const busy = await sender.send({ url: receiver.urlFor('/busy'), headers: {}, body: '{}' });
    expect(busy.statusCode).toBe(503);
    expect(busy.retryAfterMs).toBe(7_000);
  });

  it('ends the attempts of a thread that dies as CONNECTION_RESET and starts a new thread for the next', async () => {
    const threads: Worker[] = [];
    const s = createThreadedSender({
      connectTimeoutMs: 2_000,
      requestTimeoutMs: 5_000,
      allowCidrs: ['127.0.0.0/8'],
      userAgent: 'Svarbud-test',
      onThreadStart: (t) => threads.push(t),
    });
    try {
      receiver.clear();
      receiver.replyOnce({ hang: true });
      const lost = s.send({ url: receiver.urlFor('/dies'), headers: {}, body: '{}' });
      const [hung] = await receiver.waitForRequests(1);
      expect(hung!.path).toBe('/dies');
      await threads[0]!.terminate();
      const result = await lost;
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe('CONNECTION_RESET');
      const next = await s.send({ url: receiver.urlFor('/after'), headers: {}, body: '{}' });
      expect(next.error).toBeNull();
      expect(next.ok).toBe(true);
      expect(threads).toHaveLength(2);
    } finally {
      await s.close();
    }
  });

  it('rejects invalid header names as the in-thread sender does', async () => {
    await expect(
      sender.send({ url: receiver.urlFor('/h'), headers: { 'bad name': 'v' }, body: '' }),
    ).rejects.toThrow(TypeError);
  });
});
