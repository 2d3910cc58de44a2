// The one way the UI talks to the API: an openapi-fetch client typed by the OpenAPI document
// (api-types.ts), with the session cookie, the CSRF token on every write and one retry when the token
// changed; errors become ApiError with the catalogue code, which the UI translates. Reads go through
// TanStack Query (queries.ts), one hook per resource over this client.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-types';

export interface ApiErrorDetail {
  field?: string;
  variableId?: string;
  code?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the signed-in session (from GET /api/v1/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (WRITE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  return fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: ApiErrorDetail[] };
    };
    const e = body.error;
    if (e?.code) return new ApiError(res.status, e.code, e.message ?? '', e.details ?? []);
  } catch {
    // Not JSON (a proxy's error page): fall through to a generic error.
  }
  return new ApiError(res.status, res.status >= 500 ? 'INTERNAL' : 'HTTP_' + res.status, res.statusText);
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (WRITE.has(request.method) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 403 || !WRITE.has(request.method)) return response;
    // The token may have changed (signed in again in another tab): fetch it once and retry.
    const err = await errorOf(response.clone());
    if (err.code !== 'CSRF_TOKEN_INVALID') return response;
    const me = await send('GET', '/api/v1/me', undefined);
    if (!me.ok) return response;
    setCsrfToken(((await me.json()) as { csrfToken: string }).csrfToken);
    const retry = new Request(request, { headers: new Headers(request.headers) });
    if (csrfToken) retry.headers.set('x-csrf-token', csrfToken);
    return fetch(retry);
  },
};

/** The typed client: `client.POST('/api/v1/automations', { body })` checks path, body and answer. */
export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(csrf);

/** The answer of a typed call, or its error as ApiError (network failures too). */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.');
  }
  const { response } = result;
  if (!response.ok) {
    const e = (result.error as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } })
      ?.error;
    if (e?.code) throw new ApiError(response.status, e.code, e.message ?? '', e.details ?? []);
    throw new ApiError(
      response.status,
      response.status >= 500 ? 'INTERNAL' : 'HTTP_' + response.status,
      response.statusText,
    );
  }
  return result.data as T;
}
