// A known path with a method it does not take is 405 with `Allow` (RFC 9110), not 404: the routes'
// paths are collected as they are registered, and the not-found handler asks them.
import type { FastifyInstance } from 'fastify';

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

const known: WeakMap<FastifyInstance, KnownPath[]> = new WeakMap();

/** `/api/v1/surveys/:id` → a pattern matching one segment per parameter. */
function patternOf(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}$`);
}

export function registerMethodNotAllowed(app: FastifyInstance): void {
  const paths: KnownPath[] = [];
  known.set(app, paths);
  app.addHook('onRoute', (route) => {
    // Catch-alls (the web UI's GET /*) name no path of their own.
    if (route.url.includes('*')) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
    const existing = paths.find((p) => p.pattern.source === patternOf(route.url).source);
    if (existing) for (const m of methods) existing.methods.add(m);
    else paths.push({ pattern: patternOf(route.url), methods: new Set(methods) });
  });
}

/** The methods `path` takes, when it is a known path (empty when it is not). */
export function allowedMethods(app: FastifyInstance, path: string): string[] {
  const methods = new Set<string>();
  for (const p of known.get(app) ?? []) if (p.pattern.test(path)) for (const m of p.methods) methods.add(m);
  return [...methods].sort();
}
