// The master key that encrypts signing secrets at rest: from SVARBUD_SECRET_KEY, or on SQLite generated
// once into the data folder beside the database (mode 0600). PostgreSQL deployments must set it, since
// every process on every machine needs the same key.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from './config.js';
import { isShared } from './db/connect.js';

export function resolveSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  if (isShared(config.database)) {
    throw new ConfigError('SVARBUD_SECRET_KEY', 'is required with PostgreSQL (every process must share it)');
  }
  const file = config.database.path === ':memory:' ? null : join(dirname(config.database.path), 'secret.key');
  if (!file) return randomBytes(32).toString('base64url');
  if (existsSync(file)) {
    try {
      chmodSync(file, 0o600); // a key file copied in with wider permissions is made private again
    } catch {
      // Not ours to change (another owner): leave it as the operator set it.
    }
    return readFileSync(file, 'utf8').trim();
  }
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
