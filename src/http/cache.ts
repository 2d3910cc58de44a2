// Caching rules of answers: an answer that carries a secret or token is never stored by a cache.
import type { FastifyReply } from 'fastify';

/** Marks the answer `Cache-Control: no-store` (it carries a secret, a key or a token). */
export function noStore<R extends FastifyReply>(reply: R): R {
  void reply.header('cache-control', 'no-store');
  return reply;
}
