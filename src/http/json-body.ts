// JSON bodies: parsed safely (no prototype poisoning); an empty body means "no body".
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from './errors.js';

export function registerJsonParser(app: FastifyInstance): void {
  // The API speaks JSON only: any other body is 415 UNSUPPORTED_MEDIA_TYPE (the inbox registers its own).
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'remove' }));
    } catch {
      done(new AppError('INVALID_JSON'), undefined);
    }
  });
}
