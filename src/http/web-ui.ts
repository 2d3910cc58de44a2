// Serves the web UI (the Vite build in web/dist) on the same port as the API.
// The build is read into memory once: the set of servable paths is exactly the files Vite wrote, so a
// request path can never reach outside web/dist. Any other GET that is not the API or a health check
// gets index.html, so client-side routes (/surveys/…, /r/<token>) survive a reload.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';

/** web/dist relative to this module, both as src/http/web-ui.ts (tsx, tests) and dist/http/web-ui.js. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Vite puts content-hashed files under /assets/; they never change under the same name.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

interface StaticFile {
  body: Buffer;
  contentType: string;
  cacheControl: string;
}

const NOT_BUILT =
  'Svarbud web UI\n\nThe web UI has not been built. Run `npm run build` (or `npm start`, which builds it) ' +
  'and restart the server.\nThe API is available under /api/v1 (documentation at /api/docs).\n';

function readBuild(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const urlPath = '/' + relative(root, full).split(sep).join('/');
      files.set(urlPath, {
        body: readFileSync(full),
        contentType: CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
        cacheControl: urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
      });
    }
  };
  walk(root);
  return files;
}

/** True for paths the UI must never answer: the API and the health checks keep their own 404s. */
function isServerPath(path: string): boolean {
  return (
    path === '/api' ||
    path.startsWith('/api/') ||
    path === '/healthz' ||
    path === '/readyz' ||
    path === '/metrics' ||
    path.startsWith('/metrics/') ||
    path.startsWith('/healthz/') ||
    path.startsWith('/readyz/')
  );
}

export async function registerWebUi(app: FastifyInstance, ctx: AppContext, root = WEB_DIST): Promise<void> {
  const index = join(root, 'index.html');
  const files = existsSync(index) ? readBuild(root) : null;
  if (!files) ctx.log.warn({ root }, 'web UI not built; run `npm run build` to serve it');

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = decodeURIComponentSafe(request.url.split('?')[0] ?? '/');
    if (isServerPath(path)) return reply.callNotFound();
    if (!files) {
      return reply
        .code(200)
        .type('text/plain; charset=utf-8')
        .header('cache-control', REVALIDATE)
        .send(NOT_BUILT);
    }
    const file = files.get(path);
    if (file) return reply.type(file.contentType).header('cache-control', file.cacheControl).send(file.body);
    // A missing hashed asset is a real 404 (an old tab after a deploy), not the app shell.
    if (path.startsWith('/assets/') || extname(path) !== '') return reply.callNotFound();
    const shell = files.get('/index.html')!;
    return reply.type(shell.contentType).header('cache-control', REVALIDATE).send(shell.body);
  };

  app.get('/', { schema: { hide: true } }, serve);
  app.get('/*', { schema: { hide: true } }, serve);
}

function decodeURIComponentSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
