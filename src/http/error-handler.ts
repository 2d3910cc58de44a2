// Turns every error into the catalogue's shape; bad input is never a 500.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_S } from '../db/unavailable.js';
import { AppError, ERRORS, faultMessage, type ErrorCode, type ErrorDetail } from './errors.js';
import { allowedMethods } from './method-not-allowed.js';

function send(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
  return { status: ERRORS[code].status, body: { error: { code, message, details } } };
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

function classify(err: unknown): ReturnType<typeof send> | null {
  if (err instanceof AppError) return send(err.code, err.message, err.details);
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'body';
    const details = err.validation.map((v) => {
      const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { field: field === '' ? where : field, in: where, message: v.message ?? 'is invalid' };
    });
    return send('VALIDATION_FAILED', faultMessage(details), details);
  }
  const fe = err as FastifyError;
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const code = FASTIFY_CODES[fe.code]!;
    return send(code, ERRORS[code].message);
  }
  // Other request errors Fastify raises itself (never our own exceptions, which are 500s).
  if (fe.code?.startsWith('FST_') && fe.statusCode === 400) return send('VALIDATION_FAILED', fe.message);
  if (fe.statusCode === 413) return send('PAYLOAD_TOO_LARGE', ERRORS.PAYLOAD_TOO_LARGE.message);
  if (fe.statusCode === 415) return send('UNSUPPORTED_MEDIA_TYPE', ERRORS.UNSUPPORTED_MEDIA_TYPE.message);
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const known = classify(err);
    if (known) {
      if (err instanceof AppError) void reply.headers(err.headers);
      // RFC 9110: a 401 names the scheme that would work.
      if (known.status === 401) void reply.header('www-authenticate', 'Bearer realm="svarbud"');
      return reply.code(known.status).send(known.body);
    }
    // The database is away (restart, failover, terminated session, full pool): not our bug, and the
    // client may try again shortly.
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, 'database unavailable');
      const unavailable = send('UNAVAILABLE', ERRORS.UNAVAILABLE.message);
      return reply
        .code(unavailable.status)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S))
        .send(unavailable.body);
    }
    request.log.error({ err }, 'unhandled error');
    const internal = send('INTERNAL', ERRORS.INTERNAL.message);
    return reply.code(internal.status).send(internal.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = allowedMethods(app, path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const body = send(
        'METHOD_NOT_ALLOWED',
        `${request.method} is not allowed here; use ${allowed.join(', ')}.`,
      );
      return reply.code(405).header('allow', allowed.join(', ')).send(body.body);
    }
    const body = send('NOT_FOUND', `No route ${request.method} ${path}.`);
    return reply.code(404).send(body.body);
  });
}
