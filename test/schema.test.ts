// Fails when the schema drifts without a migration: the migrated schema of each engine is compared
// with the committed snapshot (update it with `npx vitest run test/schema.test.ts -u` after adding a migration).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDatabase, type TestDatabase } from './helpers/db.js';

async function dumpSchema(t: TestDatabase): Promise<string> {
  if (t.engine === 'sqlite') {
    const rows = await sql<{ type: string; name: string; sql: string | null }>`
      select type, name, sql from sqlite_master
      where name not like 'sqlite_%' and name not like 'kysely_%' order by type, name`.execute(t.db);
    return rows.rows.map((r) => `-- ${r.type} ${r.name}\n${r.sql ?? ''};`).join('\n\n') + '\n';
  }
  const columns = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>`
    select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(t.db);
  const indexes = await sql<{ indexdef: string }>`
    select indexdef from pg_indexes where schemaname = current_schema() and tablename not like 'kysely_%'
    order by tablename, indexname`.execute(t.db);
  const constraints = await sql<{ table_name: string; constraint_name: string; def: string }>`
    select rel.relname as table_name, con.conname as constraint_name, pg_get_constraintdef(con.oid) as def
    from pg_constraint con join pg_class rel on rel.oid = con.conrelid
    join pg_namespace ns on ns.oid = rel.relnamespace
    where ns.nspname = current_schema() and rel.relname not like 'kysely_%'
    order by rel.relname, con.conname`.execute(t.db);
  // Triggers keep derived tables in step (run_search_terms): a lost one would fail no query at once.
  const triggers = await sql<{ def: string }>`
    select pg_get_triggerdef(tg.oid) as def from pg_trigger tg join pg_class rel on rel.oid = tg.tgrelid
    join pg_namespace ns on ns.oid = rel.relnamespace
    where ns.nspname = current_schema() and not tg.tgisinternal
    order by rel.relname, tg.tgname`.execute(t.db);
  const out: string[] = [];
  let table = '';
  for (const c of columns.rows) {
    if (c.table_name !== table) {
      table = c.table_name;
      out.push(`\ntable ${table}`);
    }
    out.push(`  ${c.column_name} ${c.data_type}${c.is_nullable === 'NO' ? ' not null' : ''}`);
  }
  out.push('');
  for (const c of constraints.rows) out.push(`constraint ${c.table_name}.${c.constraint_name} ${c.def}`);
  out.push('');
  for (const i of indexes.rows) out.push(i.indexdef.replaceAll(`${t.location}.`, ''));
  out.push('');
  for (const tg of triggers.rows) out.push(tg.def.replaceAll(`${t.location}.`, ''));
  return out.join('\n').trim() + '\n';
}

for (const engine of ENGINES) {
  describe(`schema (${engine})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await openTestDatabase(engine);
    });
    afterAll(async () => t.destroy());

    it('matches the committed snapshot', async () => {
      await expect(await dumpSchema(t)).toMatchFileSnapshot(`./__snapshots__/schema.${engine}.sql`);
    });
  });
}
