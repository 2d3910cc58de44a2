// A loopback webhook receiver in its own process (so it does not compete with the worker's event
// loop): answers 200 at once and records when each webhook-id arrived. Controlled over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const now = () => performance.timeOrigin + performance.now();
let arrivals: [string, number][] = [];

const server = createServer((req, res) => {
  const id = String(req.headers['webhook-id'] ?? '');
  req.on('data', () => {});
  req.on('end', () => {
    arrivals.push([id, now()]);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
});

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'take') {
    process.send!({ type: 'arrivals', arrivals });
    arrivals = [];
  } else if (msg.type === 'count') {
    process.send!({ type: 'count', count: arrivals.length });
  } else if (msg.type === 'stop') {
    server.close();
    process.exit(0);
  }
});
