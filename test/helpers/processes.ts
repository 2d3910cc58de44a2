// Svarbud as a child process (the CLI from source), for crash and multi-worker tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET_KEY } from './app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SvarbudProcess {
  child: ChildProcess;
  /** Its PostgreSQL application_name is `svarbud-<role>-<pid>`. */
  role: 'serve' | 'api' | 'worker';
  /** The address it listens on (http://127.0.0.1:<port>); null for a worker without SVARBUD_WORKER_PORT. */
  url: string | null;
  output(): string;
  /** Resolves with the exit code (null when ended by a signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `svarbud <command>` and resolves once it logs that it is running. */
export async function startSvarbud(
  command: 'serve' | 'worker',
  env: Record<string, string>,
  timeoutMs = 20_000,
  args: string[] = [],
): Promise<SvarbudProcess> {
  // BENCH_NODE_ARGS: extra Node options for the child (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/cli.ts', command, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      LOG_LEVEL: 'info',
      SVARBUD_DEMO: 'off',
      SVARBUD_SECRET_KEY: TEST_SECRET_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`svarbud ${command} did not start:\n${out}`)), timeoutMs);
    const check = () => {
      // serve: once it prints the address it listens on (after the background work has started).
      if ((command === 'serve' ? /listening on http/ : /Svarbud worker is running on/).test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`svarbud ${command} exited with ${code}:\n${out}`));
    });
  });
  const listening = /(?:listening|operations) on (http:\/\/[^\s;:)]+:\d+)/.exec(out);
  const role =
    command === 'worker'
      ? 'worker'
      : args.includes('--no-worker') || env.SVARBUD_WORKER === 'off'
        ? 'api'
        : 'serve';
  return {
    child,
    role,
    url: listening ? listening[1]! : null,
    exited,
    output: () => out,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
