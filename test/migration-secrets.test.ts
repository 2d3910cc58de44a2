// 0007_secrets moves a rotation's previous secret into the list of earlier secrets, so a database
// rotated before the upgrade keeps both secrets signing for the rest of their 24 hours.
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingSecretsOf } from '../src/delivery/delivery-settings.js';
import { HOUR } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { encryptSecret } from '../src/delivery/signing.js';
import { TEST_SECRET_KEY } from './helpers/app.js';
import { ENGINES, openTestDatabase, type TestDatabase } from './helpers/db.js';

const BEFORE = [
  '0001_foundation',
  '0002_automations_runs',
  '0003_run_search',
  '0004_notifications',
  '0005_request_inbox',
  '0006_dispatcher_liveness',
];

for (const engine of ENGINES) {
  describe(`migration 0007_secrets (${engine})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await openTestDatabase(engine, { migrate: false });
    });
    afterAll(async () => t.destroy());

    it('keeps a live previous secret signing and drops an expired one', async () => {
      const schema =
        engine === 'postgres'
          ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db)).rows[0]?.schema
          : undefined;
      const migrator = new Migrator({
        db: t.db,
        provider: {
          getMigrations: async () => Object.fromEntries(BEFORE.map((name) => [name, migrations[name]!])),
        },
        ...(schema ? { migrationTableSchema: schema } : {}),
      });
      const before = await migrator.migrateToLatest();
      expect(before.error).toBeUndefined();

      const now = Date.now();
      const secret = (n: number) => 'whsec_' + Buffer.alloc(32, n).toString('base64');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const db = t.db as any;
      await db.insertInto('organizations').values({ id: 'org_1', name: 'Org', created_at: now }).execute();
      await db
        .insertInto('surveys')
        .values({
          id: 'srv_1',
          org_id: 'org_1',
          title: 'S',
          anonymous: 0,
          public_token: 'tok',
          definition: '{"backgroundVariables":[],"questions":[]}',
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const automation = (id: string, previous: number | null, expiresAt: number | null) => ({
        id,
        org_id: 'org_1',
        survey_id: 'srv_1',
        type: 'outgoing_webhook',
        name: id,
        url: 'https://hooks.example.com/x',
        enabled: 1,
        disabled_reason: null,
        disabled_at: null,
        variables: '{"mode":"all"}',
        labels: 'auto',
        answer_format: 'text',
        headers_enc: encryptSecret('{}', TEST_SECRET_KEY),
        secret_enc: encryptSecret(secret(1), TEST_SECRET_KEY),
        previous_secret_enc: previous === null ? null : encryptSecret(secret(previous), TEST_SECRET_KEY),
        previous_secret_expires_at: expiresAt,
        failure_streak: 0,
        created_at: now,
        updated_at: now,
      });
      await db
        .insertInto('automations')
        .values([
          automation('aut_rotating', 2, now + 3 * HOUR),
          automation('aut_expired', 3, now - HOUR),
          automation('aut_never', null, null),
        ])
        .execute();

      // 0007 runs first; later migrations follow it.
      expect((await migrateToLatest(t.db, engine))[0]).toBe('0007_secrets');
      const rows = await t.db.selectFrom('automations').selectAll().orderBy('id').execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(signingSecretsOf(byId.get('aut_rotating')!, TEST_SECRET_KEY, now)).toEqual([
        secret(1),
        secret(2),
      ]);
      expect(signingSecretsOf(byId.get('aut_rotating')!, TEST_SECRET_KEY, now + 4 * HOUR)).toEqual([
        secret(1),
      ]);
      expect(signingSecretsOf(byId.get('aut_expired')!, TEST_SECRET_KEY, now)).toEqual([secret(1)]);
      expect(byId.get('aut_never')!.earlier_secrets).toBe('[]');
      expect(Object.keys(byId.get('aut_never')!)).not.toContain('previous_secret_enc');
    });
  });
}
