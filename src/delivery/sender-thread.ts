// The worker-thread side of the threaded sender (threaded-sender.ts): an ordinary sender — its own
// undici pools and address guard — answering batches of delivery requests from the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { createSender, type AttemptResult, type DeliveryRequest } from './http-sender.js';
import type { SenderThreadMessage, SenderThreadReply, SenderThreadSettings } from './threaded-sender.js';

const settings = workerData as SenderThreadSettings;
let selfTargets: readonly string[] = settings.selfTargets;
const sender = createSender({
  connectTimeoutMs: settings.connectTimeoutMs,
  requestTimeoutMs: settings.requestTimeoutMs,
  allowCidrs: settings.allowCidrs,
  userAgent: settings.userAgent,
  selfTargets: () => selfTargets,
});
const port = parentPort!;

// Answers go back in batches, one message per turn of the event loop.
let answers: SenderThreadReply['answers'] = [];
const answer = (entry: SenderThreadReply['answers'][number]) => {
  answers.push(entry);
  if (answers.length === 1) {
    setImmediate(() => {
      const batch = answers;
      answers = [];
      port.postMessage({ type: 'answers', answers: batch } satisfies SenderThreadReply);
    });
  }
};

function send(id: number, request: DeliveryRequest): void {
  sender.send(request).then(
    (result: AttemptResult) => answer({ id, result }),
    (err: unknown) => answer({ id, error: err instanceof Error ? err.message : String(err) }),
  );
}

port.on('message', (message: SenderThreadMessage) => {
  if (message.type === 'send') {
    if (message.selfTargets) selfTargets = message.selfTargets;
    for (const job of message.jobs) send(job.id, job.request);
  } else if (message.type === 'close') {
    void sender.close().finally(() => port.postMessage({ type: 'closed' }));
  }
});
port.postMessage({ type: 'ready' });
