import { describe, expect, it } from 'vitest';
import { ERRORS } from './errors.js';

describe('error catalogue', () => {
  it('every key equals its code and has a 4xx/5xx status and a message', () => {
    for (const [key, entry] of Object.entries(ERRORS)) {
      expect(entry.code).toBe(key);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.message.length).toBeGreaterThan(5);
    }
  });
});
