import { assertPostgresReachable, withAdminClient } from './pg.js';

export default async function setup(): Promise<void> {
  await assertPostgresReachable();
  // Schemas left behind by an interrupted run.
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like 'svbtest\\_%'",
    );
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
  });
}
