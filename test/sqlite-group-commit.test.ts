// The SQLite driver's group commit: concurrent transactions share one COMMIT, a failing one is rolled
// back alone, and a commit returns only once its work is visible to another connection (durable).
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
