// `svarbud backup <file>`: a consistent online copy of the SQLite database, taken while a real `serve`
// process accepts responses and delivers them; the copy opens, passes its integrity check, holds what
// was committed before the backup began, and is private (0600). On PostgreSQL it points to pg_dump.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from './helpers/app.js';
import { childEnvFor, setUpDelivery, submitOverHttp, type Submitted } from './helpers/ops.js';
import { startSvarbud, type SvarbudProcess } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', SVARBUD_SECRET_KEY: TEST_SECRET_KEY, ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('svarbud backup (SQLite, while serve runs under load)', () => {
  let t: TestApp;
  let receiver: Receiver;
  let serve: SvarbudProcess | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'svarbud-backup-'));
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    receiver = await startReceiver({ reply: { status: 200, body: 'ok', delayMs: 5 } });
  });
  afterAll(async () => {
    await serve?.kill('SIGKILL');
    await receiver.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a consistent, private copy that opens and holds every response committed before it', async () => {
    const setup = await setUpDelivery(t, receiver);
    serve = await startSvarbud('serve', childEnvFor(t));
    const results: Submitted[] = [];
    let loading = true;
    const clients = [0, 1, 2].map(async () => {
      while (loading) results.push(await submitOverHttp(serve!.url!, setup));
    });
    while (results.filter((r) => r.status === 201).length < 100) await new Promise((r) => setTimeout(r, 50));
    const committedBefore = results.filter((r) => r.status === 201).length;
    const target = join(dir, 'copy.db');
    const backup = await cli(['backup', target], { DATABASE_URL: t.database.url });
    const committedAfter = results.filter((r) => r.status === 201).length;
    loading = false;
    await Promise.all(clients);
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toContain('integrity check: ok');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    // The server kept accepting while the copy was taken.
    expect(committedAfter).toBeGreaterThan(committedBefore);

    const copy = new BetterSqlite3(target, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const responses = Number(copy.prepare('select count(*) as n from responses').pluck().get());
      const runs = Number(copy.prepare('select count(*) as n from runs').pluck().get());
      expect(responses).toBeGreaterThanOrEqual(committedBefore);
      // One transaction makes a response and its run: the copy never has one without the other.
      expect(runs).toBe(responses);
      const migrations = copy.prepare('select count(*) from kysely_migration').pluck().get();
      expect(Number(migrations)).toBeGreaterThan(0);
    } finally {
      copy.close();
    }
    // Backing up again over the same file replaces it.
    const again = await cli(['backup', target], { DATABASE_URL: t.database.url });
    expect(again.code, again.out).toBe(0);
  }, 60_000);
});

describe('svarbud backup on PostgreSQL', () => {
  it('refuses and names pg_dump', async () => {
    const res = await cli(['backup', '/tmp/never.db'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
    });
    expect(res.code).toBe(2);
    expect(res.out).toContain('pg_dump');
  });
});
