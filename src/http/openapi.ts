// The OpenAPI document, generated from the route schemas: /api/openapi.json and a browsable page at
// /api/docs. Routes declare their success answers (zod); the error answers each operation can give are
// derived here from what the operation is (public or not, has a body, names an id) plus the catalogue
// codes its route declares in `x-errors`, so no route repeats the error envelope.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { fileURLToPath } from 'node:url';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { ERRORS, type ErrorCode } from './errors.js';

declare module 'fastify' {
  interface FastifySchema {
    /** Catalogue codes this operation answers with beyond the ones every operation of its kind gives. */
    'x-errors'?: readonly ErrorCode[];
  }
}

export const TAGS = [
  { name: 'accounts', description: 'Sign-up, login, the caller, API keys, members and invitations.' },
  { name: 'surveys', description: 'Surveys, questions, background variables and data labels.' },
  { name: 'templates', description: 'Surveys shared as templates inside the organization.' },
  { name: 'responses', description: 'Completed responses and their CSV download.' },
  { name: 'respondent page', description: 'The public page respondents answer on (no sign-in).' },
  { name: 'automations', description: 'Outgoing webhooks and their connection tests.' },
  { name: 'runs', description: 'The runs log: one run per response and automation, its attempts, replay.' },
  { name: 'notifications', description: 'Failure notification mail and the dev mailbox.' },
  { name: 'inbox', description: 'The built-in request inbox: a receiver to test automations against.' },
];

/** Where this server serves the receivers' guide (docs/receiving-webhooks.md). */
export const GUIDE_PATH = '/docs/receiving-webhooks.md';
const GUIDE_FILE = fileURLToPath(new URL('../../docs/receiving-webhooks.md', import.meta.url));

const DESCRIPTION = [
  'Outgoing webhooks for completed survey responses (Standard Webhooks).',
  '',
  'Authenticate with `Authorization: Bearer <api key>` (create keys under Settings or with `svarbud api-key create`),',
  'or with the session cookie set by sign-up/login; cookie requests that change state also send `X-CSRF-Token`',
  '(its value comes from `GET /api/v1/me`).',
  '',
  'Errors answer `{"error": {"code", "message", "details"}}` with a stable `code` from the catalogue;',
  '`details` name the field at fault. Lists answer `{"items", "nextCursor"}`: pass `nextCursor` back as `cursor`.',
  '',
  `Receiving deliveries (headers, payload, retries, idempotency, verifying signatures in Node, Python, Go,`,
  `PHP, Ruby, C# and Java): [Receiving Svarbud webhooks](${GUIDE_PATH}) (docs/receiving-webhooks.md).`,
].join('\n');

type Json = Record<string, unknown>;
type Operation = {
  security?: Json[];
  requestBody?: Json;
  parameters?: Json[];
  responses: Record<string, Json>;
  'x-errors'?: ErrorCode[];
};

const WRITE_SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { session: [], csrf: [] }];
const READ_SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { session: [] }];

const RESPONSE_HEADERS: Record<number, Json> = {
  401: {
    'WWW-Authenticate': {
      description: 'Always `Bearer`: send an API key, or sign in for a session cookie.',
      schema: { type: 'string' },
    },
  },
  429: {
    'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
  },
  503: {
    'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
  },
};

/** The catalogue codes an operation can answer with, from what it is and what its route declares. */
function errorCodesOf(method: string, path: string, op: Operation): Set<ErrorCode> {
  const codes = new Set<ErrorCode>(['INTERNAL', 'UNAVAILABLE']);
  // `security: []`, or an empty alternative: callers need not sign in.
  const isPublic =
    Array.isArray(op.security) &&
    (op.security.length === 0 || op.security.some((s) => Object.keys(s).length === 0));
  if (!isPublic) {
    codes.add('UNAUTHENTICATED');
    if (method !== 'get') codes.add('CSRF_TOKEN_INVALID');
  }
  if ((op.parameters?.length ?? 0) > 0 || op.requestBody) codes.add('VALIDATION_FAILED');
  if (op.requestBody) {
    codes.add('INVALID_JSON');
    codes.add('PAYLOAD_TOO_LARGE');
    codes.add('UNSUPPORTED_MEDIA_TYPE');
  }
  if (path.includes('{')) codes.add('NOT_FOUND');
  for (const code of op['x-errors'] ?? []) codes.add(code);
  return codes;
}

/** The component schema of the error envelope with one code, e.g. `NotFoundError`. */
function errorSchemaName(code: ErrorCode): string {
  return code
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')
    .concat('Error');
}

function errorSchema(code: ErrorCode): Json {
  return {
    type: 'object',
    description: ERRORS[code].message,
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'details'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', const: code },
          message: { type: 'string', description: 'A sentence for people; match on `code`.' },
          details: { type: 'array', items: { $ref: '#/components/schemas/ErrorDetail' } },
        },
      },
    },
  };
}

function errorResponse(codes: ErrorCode[]): Json {
  const refs = codes.map((c) => ({ $ref: `#/components/schemas/${errorSchemaName(c)}` }));
  return {
    description: codes.map((c) => `\`${c}\`: ${ERRORS[c].message}`).join(' '),
    content: { 'application/json': { schema: refs.length === 1 ? refs[0] : { anyOf: refs } } },
  };
}

/** Security and error answers of every operation (see the header comment). */
export function completeOperations(doc: Json): Json {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op.security === undefined) op.security = method === 'get' ? READ_SECURITY : WRITE_SECURITY;
      const byStatus = new Map<number, ErrorCode[]>();
      for (const code of errorCodesOf(method, path, op)) {
        const status = ERRORS[code].status;
        byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (response.description === 'Default Response')
          response.description = successDescription(status, response, doc);
      }
      for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
        const response = errorResponse(codes);
        if (RESPONSE_HEADERS[status]) response.headers = RESPONSE_HEADERS[status];
        op.responses[String(status)] = response;
      }
      delete op['x-errors'];
    }
  }
  const components = (doc.components ?? {}) as { schemas?: Json };
  components.schemas = {
    ...components.schemas,
    ...Object.fromEntries(
      (Object.keys(ERRORS) as ErrorCode[]).map((c) => [errorSchemaName(c), errorSchema(c)]),
    ),
    ErrorDetail: {
      type: 'object',
      description: 'One fault: the field at fault (a dotted path) and, for some errors, a code of its own.',
      required: ['message'],
      properties: {
        field: { type: 'string', description: 'e.g. `questions.0.options` or `answers.qst_…`' },
        code: { type: 'string' },
        message: { type: 'string' },
      },
    },
  };
  doc.components = components;
  return pruneComponents(dropSafeIntegerBounds(doc) as Json);
}

/** A success answer's description: its schema's own, else the status text ("Created"). */
function successDescription(status: string, response: Json, doc: Json): string {
  const content = response.content as Record<string, { schema?: Json }> | undefined;
  const ref = content?.['application/json']?.schema?.$ref;
  if (typeof ref === 'string') {
    const name = ref.split('/').pop()!;
    const schema = ((doc.components as Json).schemas as Record<string, Json>)[name];
    if (typeof schema?.description === 'string') return schema.description;
  }
  return STATUS_CODES[Number(status)] ?? 'Success';
}

/** zod writes int bounds ±(2^53 − 1) on every integer; they say nothing to a reader. */
function dropSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropSafeIntegerBounds);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    out[key] = dropSafeIntegerBounds(value);
  }
  return out;
}

/** Drops components nothing refers to (zod's registry writes an input and an output of each). */
function pruneComponents(doc: Json): Json {
  const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit(doc.paths);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
  return doc;
}

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Svarbud API',
        version,
        description: DESCRIPTION,
        license: { name: 'Proprietary (UNLICENSED)', identifier: 'LicenseRef-Proprietary' },
        contact: { name: 'The operators of this Svarbud server' },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key (`svb_…`) as `Authorization: Bearer <key>`.',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'svarbud_session',
            description: 'The session cookie set by sign-up, login and accepting an invitation.',
          },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'X-CSRF-Token',
            description:
              'With the session cookie on requests that change state: `csrfToken` of GET /api/v1/me.',
          },
        },
      },
      security: WRITE_SECURITY,
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => completeOperations(jsonSchemaTransformObject(input) as Json) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const guide = readFileSync(GUIDE_FILE);
  app.get(GUIDE_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/markdown; charset=utf-8').header('cache-control', 'no-cache').send(guide),
  );
}
