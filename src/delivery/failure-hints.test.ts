import { describe, expect, it } from 'vitest';
import {
  FAILURE_CODES,
  FAILURE_HINTS,
  failure,
  httpStatusFailure,
  redirectFailure,
} from './failure-hints.js';

describe('failure hints', () => {
  it('has a plain message and a hint for exactly the API error codes', () => {
    expect(Object.keys(FAILURE_HINTS).sort()).toEqual(
      [
        'BLOCKED_ADDRESS',
        'CONNECTION_REFUSED',
        'CONNECTION_RESET',
        'DNS_NOT_FOUND',
        'HTTP_STATUS',
        'INVALID_URL',
        'REDIRECT',
        'TIMEOUT',
        'TLS_ERROR',
      ].sort(),
    );
    for (const code of FAILURE_CODES) {
      expect(FAILURE_HINTS[code].message).toMatch(/^[A-Z].*\.$/);
      expect(FAILURE_HINTS[code].hint).toMatch(/^[A-Z].*[.)]$/);
    }
  });

  it('adds detail to the message and keeps the hint', () => {
    expect(failure('CONNECTION_REFUSED', '(ECONNREFUSED)')).toEqual({
      code: 'CONNECTION_REFUSED',
      message: 'The connection was refused. (ECONNREFUSED)',
      hint: 'Nothing is listening at that address and port — check the URL and that the receiver is running.',
    });
  });

  it('names the status and gives status-specific hints', () => {
    expect(httpStatusFailure(404)).toMatchObject({
      code: 'HTTP_STATUS',
      message: 'The receiver answered 404 Not Found.',
    });
    expect(httpStatusFailure(410).hint).toMatch(/disabled/);
    // A 5xx hint sends the owner to the receiver's logs; it promises no retry (a failed run has none left).
    expect(httpStatusFailure(502).hint).toMatch(/logs/);
    expect(httpStatusFailure(502).hint).not.toMatch(/retried/);
    expect(httpStatusFailure(599).message).toBe('The receiver answered 599.');
  });

  it('names the redirect target, shortened when huge', () => {
    expect(redirectFailure(301, 'https://new.example/hook').hint).toContain('https://new.example/hook');
    expect(redirectFailure(302, null).hint).toMatch(/final URL/);
  });
});
