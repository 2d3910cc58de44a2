// Checkpoints of SQLite's write-ahead log, on a worker thread with its own connection. A checkpoint
// copies committed pages from the log into the database file and fsyncs both; run by the writing
// connection (SQLite's automatic checkpoint) it would stall the event loop for that I/O every thousand
// pages. A PASSIVE checkpoint never waits for locks and never blocks the writer, so it can run beside
// it; the writer starts the log over once a checkpoint has copied all of it.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages the writer may let the log reach before it checkpoints itself: a backstop if this thread stalls. */
export const WRITER_AUTOCHECKPOINT_PAGES = 16_000;

// CommonJS source of the worker (evaluated), so it runs the same from TypeScript sources and the build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing now: the next round tries again (the writer's backstop covers a stuck thread).
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing the database at `path` every `intervalMs` on a worker thread. */
export async function startCheckpointer(path: string, intervalMs = 200): Promise<Checkpointer> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs } });
  worker.unref();
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  let stopped: Promise<void> | null = null;
  return {
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once('message', () => void worker.terminate().then(done, done));
        worker.once('exit', done);
        worker.once('error', done);
        worker.postMessage('stop');
      })),
  };
}
