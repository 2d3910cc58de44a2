// Opaque identifiers and secrets.
import { randomBytes, randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_DIGITS = 16; // 80 bits

let lastTime = -1;
const lastRandom: number[] = new Array<number>(RANDOM_DIGITS).fill(0);

// Random bytes for ids are drawn from the system's generator a pool at a time: one call per id (two or more
// per completed response) cost more than the rest of making the id.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomDigits(out: number[]): void {
  if (poolOffset + RANDOM_DIGITS > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  for (let i = 0; i < RANDOM_DIGITS; i++) out[i] = pool[poolOffset + i]! % 32;
  poolOffset += RANDOM_DIGITS;
}

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/**
 * A new id: `<prefix>_` + 10 characters of millisecond time + 16 random characters (80 bits),
 * Crockford base32 (ULID layout). Ids sort by creation time; within one millisecond of one process
 * they still increase (the random part is incremented), so "order by id" is creation order.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    randomDigits(lastRandom);
    // Leave headroom so increments within one millisecond do not overflow.
    lastRandom[0] = lastRandom[0]! % 16;
  } else {
    for (let i = RANDOM_DIGITS - 1; i >= 0; i--) {
      if (lastRandom[i]! < 31) {
        lastRandom[i] = lastRandom[i]! + 1;
        break;
      }
      lastRandom[i] = 0;
    }
  }
  let rand = '';
  for (const d of lastRandom) rand += CROCKFORD[d];
  return `${prefix}_${encodeTime(lastTime)}${rand}`;
}

/** A URL-safe random token of `bytes` random bytes (default 32 = 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
