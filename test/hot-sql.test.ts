// Hot-path statements compiled once per call site (db/hot-sql.ts) and multi-row inserts compiled once per
// shape (db/raw-insert.ts): the same rows as Kysely's `sql` tag on both engines, whatever the values of
// later calls, and a template whose text depends on what it interpolates still runs correctly.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotSql, keyedSql } from '../src/db/hot-sql.js';
import { insertRows } from '../src/db/raw-insert.js';
import { ENGINES, openTestDatabase, type TestDatabase } from './helpers/db.js';

for (const engine of ENGINES) {
  describe(`hot-path SQL (${engine})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await openTestDatabase(engine);
      await insertRows(t.db, 'svarbud_meta', [
        { key: 'hot-a', value: '1' },
        { key: 'hot-b', value: '2' },
        { key: 'hot-c', value: '3' },
      ]);
    });
    afterAll(async () => t.destroy());

    const read = (key: string) =>
      hotSql<{ key: string; value: string }>(t.db)`select key, value from svarbud_meta where key = ${key}`;

    it('answers each call with its own values, in the database and in its transactions', async () => {
      expect((await read('hot-a')).rows).toEqual([{ key: 'hot-a', value: '1' }]);
      expect((await read('hot-b')).rows).toEqual([{ key: 'hot-b', value: '2' }]);
      expect((await read('none')).rows).toEqual([]);
      const inside = await t.db.transaction().execute(async (trx) => {
        await hotSql(trx)`update svarbud_meta set value = ${'20'} where key = ${'hot-b'}`;
        return (await hotSql<{ value: string }>(trx)`select value from svarbud_meta where key = ${'hot-b'}`)
          .rows;
      });
      expect(inside).toEqual([{ value: '20' }]);
      expect((await read('hot-b')).rows).toEqual([{ key: 'hot-b', value: '20' }]);
    });

    it('runs a template with a SQL fragment through the sql tag every time (its text changes)', async () => {
      const ordered = (direction: 'asc' | 'desc') =>
        hotSql<{ key: string }>(t.db)`
          select key from svarbud_meta where key like ${'hot-%'} order by key ${sql.raw(direction)}`;
      expect((await ordered('asc')).rows.map((r) => r.key)).toEqual(['hot-a', 'hot-b', 'hot-c']);
      expect((await ordered('desc')).rows.map((r) => r.key)).toEqual(['hot-c', 'hot-b', 'hot-a']);
    });

    it('keyedSql does not keep a text whose parameters are not the values it was given', async () => {
      const build = (n: number) => () => sql`select ${sql.lit(n)} as n, ${'x'} as s`;
      // The number is written into the text, not sent as a parameter: the check fails, so every call
      // compiles its own text instead of reusing the first.
      const one = await keyedSql<{ n: number }>(t.db, 'literal', build(1), [1, 'x']);
      const two = await keyedSql<{ n: number }>(t.db, 'literal', build(2), [2, 'x']);
      expect(Number(one.rows[0]!.n)).toBe(1);
      expect(Number(two.rows[0]!.n)).toBe(2);
    });

    it('inserts rows of one shape again with other values and other row counts', async () => {
      await insertRows(t.db, 'svarbud_meta', [{ key: 'hot-d', value: '4' }]);
      await insertRows(t.db, 'svarbud_meta', [{ key: 'hot-e', value: '5' }]);
      await insertRows(t.db, 'svarbud_meta', [
        { key: 'hot-f', value: '6' },
        { key: 'hot-g', value: '7' },
      ]);
      const rows = await t.db
        .selectFrom('svarbud_meta')
        .select(['key', 'value'])
        .where('key', 'in', ['hot-d', 'hot-e', 'hot-f', 'hot-g'])
        .orderBy('key')
        .execute();
      expect(rows).toEqual([
        { key: 'hot-d', value: '4' },
        { key: 'hot-e', value: '5' },
        { key: 'hot-f', value: '6' },
        { key: 'hot-g', value: '7' },
      ]);
    });
  });
}
