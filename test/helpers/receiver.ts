// A real HTTP receiver for delivery tests: listens on 127.0.0.1 (or ::1) on a free port, records every
// request (headers and raw body) and every TCP connection, and answers as each test programs it.
//
//   const receiver = await startReceiver();               // 200 "ok" to everything
//   receiver.reply({ status: 503, headers: { 'retry-after': '120' } });   // from now on
//   receiver.replyOnce({ status: 500 }, { status: 200 });  // the next two requests, then the default
//   receiver.reply(({ res }) => res.end('custom'));       // full control over the response
//   const [request] = await receiver.waitForRequests(1);
//   await receiver.close();
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Lower-cased header names; repeated headers as Node joins them. */
  headers: IncomingHttpHeaders;
  /** Header names and values exactly as sent, in order. */
  rawHeaders: string[];
  body: Buffer;
  /** The body as UTF-8 text (what signature verification takes). */
  text: string;
  /** Sequence number (1-based) of the TCP connection this request came on. */
  connection: number;
  remoteAddress: string;
  receivedAt: number;
}

export interface ReplyContext {
  request: ReceivedRequest;
  req: IncomingMessage;
  res: ServerResponse;
  socket: Socket;
}

/**
 * How to answer one request:
 * - `{ status, headers, body, delayMs }` — a plain response (defaults: 200, body "ok");
 * - `{ hang: true }` — never answer (the connection stays open until the receiver closes);
 * - `{ reset: true }` — destroy the connection without answering;
 * - a function — full control over `res` (it is awaited; errors destroy the connection).
 */
export type Reply =
  | { status?: number; headers?: Record<string, string | string[]>; body?: string | Buffer; delayMs?: number }
  | { hang: true }
  | { reset: true }
  | ((context: ReplyContext) => void | Promise<void>);

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:41234 — append a path with `urlFor`. */
  url: string;
  host: string;
  port: number;
  urlFor(path?: string): string;
  /** Every request received so far, in arrival order. */
  requests: ReceivedRequest[];
  /** TCP connections accepted so far (whether or not a request came on them). */
  readonly connectionCount: number;
  /** Sets the answer for every later request that has no queued answer. */
  reply(reply: Reply): void;
  /** Queues answers for the next requests, one each, before the default applies again. */
  replyOnce(...replies: Reply[]): void;
  /** Resolves with the first `count` requests once they arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Forgets recorded requests and queued answers (connections stay counted). */
  clear(): void;
  /** Stops listening and destroys open connections, including hanging ones. */
  close(): Promise<void>;
}

export async function startReceiver(options: { host?: string; reply?: Reply } = {}): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  let defaultReply: Reply = options.reply ?? { status: 200, body: 'ok' };
  const queue: Reply[] = [];
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const connectionIds = new WeakMap<Socket, number>();
  const waiters = new Set<() => void>();
  let connectionCount = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
        text: body.toString('utf8'),
        connection: connectionIds.get(req.socket) ?? 0,
        remoteAddress: req.socket.remoteAddress ?? '',
        receivedAt: Date.now(),
      };
      requests.push(request);
      for (const wake of waiters) wake();
      const reply = queue.shift() ?? defaultReply;
      void answer(reply, { request, req, res, socket: req.socket });
    });
  });
  server.on('connection', (socket: Socket) => {
    connectionCount += 1;
    connectionIds.set(socket, connectionCount);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function answer(reply: Reply, context: ReplyContext): Promise<void> {
    const { res, socket } = context;
    try {
      if (typeof reply === 'function') return await reply(context);
      if ('hang' in reply) return;
      if ('reset' in reply) {
        socket.destroy();
        return;
      }
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body ?? (reply.status === undefined ? 'ok' : ''));
    } catch {
      socket.destroy();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: base,
    host,
    port,
    urlFor: (path = '/') => base + (path.startsWith('/') ? path : `/${path}`),
    requests,
    get connectionCount() {
      return connectionCount;
    },
    reply(reply) {
      defaultReply = reply;
    },
    replyOnce(...replies) {
      queue.push(...replies);
    },
    waitForRequests(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          cleanup();
          resolve(requests.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Expected ${count} request(s) within ${timeoutMs} ms, got ${requests.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    clear() {
      requests.length = 0;
      queue.length = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
