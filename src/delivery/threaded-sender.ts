// A sender whose requests run on a worker thread: the HTTP work of deliveries (connections, parsing,
// the address guard) leaves the event loop that serves the API and runs the database, and uses a
// second core. Requests and answers cross in batches, one message per turn of the event loop each way.
// If the thread dies, the attempts it held end as CONNECTION_RESET (retried) and a new thread starts
// with the next send.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SelfTargets } from './address-guard.js';
import { failure } from './failure-hints.js';
import type { AttemptResult, DeliveryRequest, Sender } from './http-sender.js';

export interface SenderThreadSettings {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  allowCidrs: readonly string[];
  userAgent: string;
  selfTargets: readonly string[];
}

export type SenderThreadMessage =
  | { type: 'send'; jobs: { id: number; request: DeliveryRequest }[]; selfTargets?: readonly string[] }
  | { type: 'close' };

export interface SenderThreadReply {
  type: 'answers';
  answers: ({ id: number; result: AttemptResult } | { id: number; error: string })[];
}

export interface ThreadedSenderOptions extends Omit<SenderThreadSettings, 'selfTargets'> {
  selfTargets?: SelfTargets;
  /** Told when the thread fails (it is restarted with the next send). */
  onThreadError?: (err: unknown) => void;
  /** Told of each thread started (for tests that stop one). */
  onThreadStart?: (thread: Worker) => void;
}

const lostAttempt = (): AttemptResult => ({
  ok: false,
  statusCode: null,
  durationMs: 0,
  error: failure('CONNECTION_RESET', 'The sending thread stopped during the attempt.'),
  responseHeaders: null,
  responseBody: null,
  retryAfterMs: null,
});

// From the build the thread runs sender-thread.js; from the TypeScript sources (development, tests) a small
// bootstrap registers tsx in the thread first and then imports sender-thread.ts.
function startThread(workerData: SenderThreadSettings): Worker {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts')) {
    return new Worker(self.replace(/threaded-sender\.js$/, 'sender-thread.js'), { workerData });
  }
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = pathToFileURL(self.replace(/threaded-sender\.ts$/, 'sender-thread.ts')).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

interface Pending {
  resolve: (result: AttemptResult) => void;
  reject: (err: unknown) => void;
}

export function createThreadedSender(options: ThreadedSenderOptions): Sender {
  let worker: Worker | null = null;
  let ready: Promise<void> | null = null;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let outbox: { id: number; request: DeliveryRequest }[] = [];
  let sentTargets: readonly string[] | null = null;
  let closing = false;

  const start = (): Promise<void> => {
    sentTargets = options.selfTargets?.() ?? [];
    const settings: SenderThreadSettings = {
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      allowCidrs: [...options.allowCidrs],
      userAgent: options.userAgent,
      selfTargets: [...sentTargets],
    };
    const w = startThread(settings);
    worker = w;
    options.onThreadStart?.(w);
    w.on('message', (message: SenderThreadReply | { type: string }) => {
      if (message.type !== 'answers') return;
      for (const a of (message as SenderThreadReply).answers) {
        const p = pending.get(a.id);
        if (!p) continue;
        pending.delete(a.id);
        if ('result' in a) p.resolve(a.result);
        else p.reject(new TypeError(a.error));
      }
    });
    const gone = () => {
      if (worker !== w) return;
      worker = null;
      ready = null;
      for (const p of pending.values()) p.resolve(lostAttempt());
      pending.clear();
    };
    w.on('error', (err) => {
      options.onThreadError?.(err);
      gone();
    });
    w.on('exit', gone);
    return new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
  };

  const flush = async (): Promise<void> => {
    const jobs = outbox;
    outbox = [];
    if (jobs.length === 0) return;
    try {
      ready ??= start();
      await ready;
    } catch {
      ready = null;
      for (const job of jobs) {
        pending.get(job.id)?.resolve(lostAttempt());
        pending.delete(job.id);
      }
      return;
    }
    const targets = options.selfTargets?.() ?? [];
    const message: SenderThreadMessage = { type: 'send', jobs };
    if (targets !== sentTargets) {
      sentTargets = targets;
      message.selfTargets = [...targets];
    }
    worker?.postMessage(message);
  };

  return {
    send(request) {
      if (closing) return Promise.resolve(lostAttempt());
      return new Promise<AttemptResult>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        const { url, headers, body, keepResponseHeaders } = request;
        outbox.push({
          id,
          request: keepResponseHeaders ? { url, headers, body, keepResponseHeaders } : { url, headers, body },
        });
        if (outbox.length === 1) queueMicrotask(() => void flush());
      });
    },
    async close() {
      closing = true;
      while (pending.size > 0) await new Promise((r) => setTimeout(r, 10));
      const w = worker;
      if (!w) return;
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        w.once('exit', done);
        w.on('message', (m: { type: string }) => {
          if (m.type === 'closed') void w.terminate().then(done, done);
        });
        w.postMessage({ type: 'close' } satisfies SenderThreadMessage);
      });
    },
  };
}
