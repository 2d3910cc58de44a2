// A loopback webhook receiver in its own process (so it does not compete with the worker's event
// loop): answers 200 at once and records when each webhook-id arrived. Controlled over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const now = () => performance.timeOrigin + performance.now();
let arrivals: [string, number][] = [];
/** Requests whose path starts with `prefix` are answered only after `ms` (a receiver that hangs). */
let hold: { prefix: string; ms: number } | null = null;

const server = createServer((req, res) => {
  const id = String(req.headers['webhook-id'] ?? '');
  req.on('data', () => {});
  req.on('end', () => {
    arrivals.push([id, now()]);
    const answer = () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
      res.end('ok');
    };
    if (hold && req.url?.startsWith(hold.prefix)) setTimeout(answer, hold.ms).unref();
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
});

process.on('message', (msg: { type: string; prefix?: string; ms?: number }) => {
  if (msg.type === 'hold') {
    hold = msg.prefix ? { prefix: msg.prefix, ms: msg.ms ?? 60_000 } : null;
    process.send!({ type: 'held' });
  } else if (msg.type === 'take') {
    process.send!({ type: 'arrivals', arrivals });
    arrivals = [];
  } else if (msg.type === 'count') {
    process.send!({ type: 'count', count: arrivals.length });
  } else if (msg.type === 'stop') {
    server.close();
    process.exit(0);
  }
});
