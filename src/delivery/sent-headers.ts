// The copy of an attempt's request headers kept in its attempt log (SPEC §7 run details, issue 12): what
// was sent, minus what must not be stored. Signatures are shortened (they are long and useless to read whole) and the
// values of headers that may carry a credential are masked before the copy leaves this module, so a
// receiver's token is never in the database, an answer or a log.
import { LRUCache } from 'lru-cache';

/** Header names whose values may be credentials: Authorization and anything naming a key, token, secret… */
const SECRET_NAME = /auth|key|token|secret|passw|cookie|session|credential/i;
/** What a masked value is shown as. */
export const MASK = '••••••';

/** `v1,abcd…wxyz` for each entry of a `webhook-signature` value (two during a secret rotation). */
export function shortenSignature(value: string): string {
  return value
    .split(' ')
    .map((entry) => {
      const comma = entry.indexOf(',');
      const version = entry.slice(0, comma + 1);
      const mac = entry.slice(comma + 1);
      return mac.length <= 12 ? entry : `${version}${mac.slice(0, 4)}…${mac.slice(-4)}`;
    })
    .join(' ');
}

/** A credential's value masked; an Authorization value keeps its scheme (`Bearer ••••••`). */
function mask(name: string, value: string): string {
  const scheme = /^([A-Za-z][\w-]*) +\S/.exec(value);
  return name === 'authorization' && scheme ? `${scheme[1]} ${MASK}` : MASK;
}

/** Whether a header's value is masked in the stored copy. */
export function isSecretHeader(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The stored copy of the headers of one attempt: a JSON array of `[name, value]` pairs in sending order,
 * names lower-cased, signature values shortened and credential values masked. One string per attempt.
 */
export function recordedHeaders(headers: Readonly<Record<string, string>>): string {
  const pairs: [string, string][] = [];
  for (const raw in headers) {
    const value = headers[raw]!;
    const { name, secret } = nameOf(raw);
    if (name === 'webhook-signature') pairs.push([name, shortenSignature(value)]);
    else pairs.push([name, secret ? mask(name, value) : value]);
  }
  return JSON.stringify(pairs);
}

// Every attempt stores its headers, and their names repeat (the same few per automation): each name's lower
// case and whether it is masked are worked out once.
const names = new LRUCache<string, { name: string; secret: boolean }>({ max: 10_000 });
function nameOf(raw: string): { name: string; secret: boolean } {
  let known = names.get(raw);
  if (!known) {
    const name = raw.toLowerCase();
    known = { name, secret: isSecretHeader(name) };
    names.set(raw, known);
  }
  return known;
}

/** The stored copy read back (null for attempts recorded before headers were kept). */
export function parseRecordedHeaders(stored: string | null): { name: string; value: string }[] | null {
  if (stored === null) return null;
  return (JSON.parse(stored) as [string, string][]).map(([name, value]) => ({ name, value }));
}
