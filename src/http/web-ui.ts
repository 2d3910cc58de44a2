// Serves the web UI (the Vite build in web/dist) on the same port as the API.
// The build is read into memory once: the set of servable paths is exactly the files Vite wrote, so a
// request path can never reach outside web/dist. Any other GET that is not the API or a health check
// gets index.html, so client-side routes (/surveys/…, /r/<token>) survive a reload.
import { createHash } from 'node:crypto';
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
  /** The same bytes compressed at build time (scripts/precompress.ts), when that saved something. */
  br: Buffer | null;
  gzip: Buffer | null;
  contentType: string;
  cacheControl: string;
  /** Strong validator of the content (the encodings are the same representation, by Vary). */
  etag: string;
}

const PRECOMPRESSED = /\.(br|gz)$/;

function readIfPresent(path: string): Buffer | null {
  return existsSync(path) ? readFileSync(path) : null;
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
      // Compressed copies are served in place of their originals, never under their own names.
      if (PRECOMPRESSED.test(name)) continue;
      const urlPath = '/' + relative(root, full).split(sep).join('/');
      const body = readFileSync(full);
      files.set(urlPath, {
        body,
        br: readIfPresent(`${full}.br`),
        gzip: readIfPresent(`${full}.gz`),
        contentType: CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
        cacheControl: urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
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
    if (file) return sendFile(request, reply, file);
    // A missing hashed asset is a real 404 (an old tab after a deploy), not the app shell.
    if (path.startsWith('/assets/') || extname(path) !== '') return reply.callNotFound();
    return sendFile(request, reply, files.get('/index.html')!);
  };

  // Compressed at build time, so never per request.
  const options = { schema: { hide: true }, compress: false as const };
  app.get('/', options, serve);
  app.get('/*', options, serve);
}

/** The file with its validator: 304 when the client has it, else the best encoding it accepts. */
function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile) {
  void reply
    .type(file.contentType)
    .header('cache-control', file.cacheControl)
    .header('etag', file.etag)
    .header('vary', 'accept-encoding');
  const known = request.headers['if-none-match'];
  if (known !== undefined && known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) {
    return reply.code(304).send();
  }
  const accepted = acceptedEncodings(request.headers['accept-encoding']);
  if (file.br && accepted.has('br')) return reply.header('content-encoding', 'br').send(file.br);
  if (file.gzip && accepted.has('gzip')) return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.body);
}

/** The encodings an Accept-Encoding header allows (q=0 excludes one). */
function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name && (q === undefined || Number(q) > 0)) out.add(name);
  }
  return out;
}

function decodeURIComponentSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
