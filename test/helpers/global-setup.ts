import { assertPostgresReachable, withAdminClient } from './pg.js';

export default async function setup(): Promise<void> {
  await assertPostgresReachable();
  // Schemas left behind by interrupted runs; younger ones may belong to a run going on right now.
  const cutoff = Math.floor(Date.now() / 1000) - 3600;
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like 'svbtest\\_%'",
    );
    for (const { nspname } of rows) {
      const created = Number(nspname.split('_')[1]);
      if (!Number.isFinite(created) || created < cutoff) {
        await client.query(`drop schema if exists "${nspname}" cascade`);
      }
    }
  });
}
