// The SQLite driver's group commit: concurrent transactions share one COMMIT, a failing one is rolled
// back alone, and a commit returns only once its work is visible to another connection (durable).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WRITER_AUTOCHECKPOINT_PAGES } from '../src/db/checkpointer.js';
import { openDatabase } from '../src/db/connect.js';
import { relaxDurability } from '../src/db/durability.js';
import { ImmediateSqliteDialect, WalSyncer } from '../src/db/sqlite-driver.js';
import { openTestDatabase, type TestDatabase } from './helpers/db.js';

describe('SQLite group commit', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('sqlite');
  });
  afterAll(async () => t.destroy());

  const otherConnectionKeys = (prefix: string): string[] => {
    const other = new BetterSqlite3(t.location, { readonly: true });
    try {
      return (
        other.prepare('select key from svarbud_meta where key like ? order by key').all(`${prefix}%`) as {
          key: string;
        }[]
      ).map((r) => r.key);
    } finally {
      other.close();
    }
  };

  it('commits many concurrent transactions; each is visible to another connection when its commit returns', async () => {
    const seenAtCommit: boolean[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.db
          .transaction()
          .execute(async (trx) => {
            await trx
              .insertInto('svarbud_meta')
              .values({ key: `a${String(i).padStart(2, '0')}`, value: 'x' })
              .execute();
            await trx
              .insertInto('svarbud_meta')
              .values({ key: `b${String(i).padStart(2, '0')}`, value: 'y' })
              .execute();
          })
          .then(() => seenAtCommit.push(otherConnectionKeys(`a${String(i).padStart(2, '0')}`).length === 1)),
      ),
    );
    expect(seenAtCommit).toHaveLength(50);
    expect(seenAtCommit.every(Boolean)).toBe(true);
    expect(otherConnectionKeys('a')).toHaveLength(50);
    expect(otherConnectionKeys('b')).toHaveLength(50);
  });

  it('rolls back only the failing transaction of a group', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('svarbud_meta')
            .values({ key: `c${String(i).padStart(2, '0')}`, value: 'x' })
            .execute();
          if (i === 7) throw new Error('boom');
          // A constraint violation inside a transaction rolls back that transaction only.
          if (i === 11) await trx.insertInto('svarbud_meta').values({ key: 'c00', value: 'dup' }).execute();
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
    const keys = otherConnectionKeys('c');
    expect(keys).toHaveLength(18);
    expect(keys).not.toContain('c07');
    expect(keys).not.toContain('c11');
    const c00 = await t.db
      .selectFrom('svarbud_meta')
      .select('value')
      .where('key', '=', 'c00')
      .executeTakeFirstOrThrow();
    expect(c00.value).toBe('x');
  });

  it('queries outside transactions still work between and during groups', async () => {
    const work = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? t.db
            .insertInto('svarbud_meta')
            .values({ key: `d${i}`, value: 'x' })
            .execute()
        : t.db.transaction().execute((trx) =>
            trx
              .insertInto('svarbud_meta')
              .values({ key: `d${i}`, value: 'y' })
              .execute(),
          ),
    );
    await Promise.all(work);
    expect(otherConnectionKeys('d')).toHaveLength(10);
  });
});

describe('SQLite durability off the event loop', () => {
  interface Kv {
    kv: { k: string };
  }
  /** A database whose log syncs wait until the test lets them go. */
  function gatedDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'svarbud-sync-'));
    const raw = new BetterSqlite3(join(dir, 'db.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec('create table kv (k text primary key)');
    const real = new WalSyncer(`${raw.name}-wal`);
    let syncs = 0;
    let gate: Promise<void> = Promise.resolve();
    let open: () => void = () => {};
    const syncer = {
      sync: async () => {
        syncs += 1;
        await gate;
        await real.sync();
      },
      close: () => real.close(),
    };
    const db = new Kysely<Kv>({ dialect: new ImmediateSqliteDialect(raw, syncer) });
    return {
      db,
      syncs: () => syncs,
      hold: () => (gate = new Promise((resolve) => (open = resolve))),
      release: () => open(),
      destroy: async () => {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('a commit returns only after the log sync; the event loop runs meanwhile', async () => {
    const g = gatedDatabase();
    g.hold();
    let committed = false;
    const txn = g.db
      .transaction()
      .execute((trx) => trx.insertInto('kv').values({ k: 'durable' }).execute())
      .then(() => (committed = true));
    // Other work — reads and relaxed transactions — proceeds while the sync is pending.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(g.syncs()).toBe(1);
    expect(committed).toBe(false);
    const rows = await g.db.selectFrom('kv').select('k').execute();
    expect(rows.map((r) => r.k)).toEqual(['durable']);
    await g.db.transaction().execute(async (trx) => {
      await relaxDurability(trx as never);
      await trx.insertInto('kv').values({ k: 'relaxed' }).execute();
    });
    expect(committed).toBe(false);
    g.release();
    await txn;
    expect(committed).toBe(true);
    await g.destroy();
  });

  it('a group of only relaxed transactions does not sync', async () => {
    const g = gatedDatabase();
    await Promise.all(
      ['a', 'b', 'c'].map((k) =>
        g.db.transaction().execute(async (trx) => {
          await relaxDurability(trx as never);
          await trx.insertInto('kv').values({ k }).execute();
        }),
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(g.syncs()).toBe(0);
    const { rows } = await sql<{ n: number }>`select count(*) as n from kv`.execute(g.db);
    expect(rows[0]!.n).toBe(3);
    await g.destroy();
  });

  it('concurrent sync requests share fsyncs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svarbud-sync-'));
    const path = join(dir, 'x-wal');
    writeFileSync(path, 'x');
    const probe = await open(path, 'r');
    const datasync = vi.spyOn(Object.getPrototypeOf(probe) as FileHandle, 'datasync');
    await probe.close();
    const syncer = new WalSyncer(path);
    await Promise.all(Array.from({ length: 20 }, () => syncer.sync()));
    // The first runs at once; the other 19 arrived while it ran and share the one after it.
    expect(datasync).toHaveBeenCalledTimes(2);
    await syncer.sync();
    expect(datasync).toHaveBeenCalledTimes(3);
    datasync.mockRestore();
    await syncer.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('SQLite checkpoints on their own thread', () => {
  it('copies the log into the database file without the writer checkpointing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svarbud-ckpt-'));
    const path = join(dir, 'db.sqlite');
    const handle = await openDatabase({ engine: 'sqlite', path });
    try {
      await sql`create table blobs (id integer primary key, data text not null)`.execute(handle.db);
      const chunk = 'x'.repeat(4000);
      for (let i = 0; i < 20; i++) {
        await handle.db.transaction().execute(async (trx) => {
          for (let j = 0; j < 50; j++) await sql`insert into blobs (data) values (${chunk})`.execute(trx);
        });
      }
      // ~4 MB committed — far below the writer's own threshold (WRITER_AUTOCHECKPOINT_PAGES pages), so
      // only the checkpoint thread can have moved it into the database file.
      expect(WRITER_AUTOCHECKPOINT_PAGES * 4096).toBeGreaterThan(16 * 1024 * 1024);
      const deadline = Date.now() + 5_000;
      while (statSync(path).size < 3_500_000 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(statSync(path).size).toBeGreaterThan(3_500_000);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
