// Every code of the server's error catalogue has its text in both languages, so the UI never falls
// back to the server's English sentence (or a bare status) for an error it can get.
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../src/http/errors';
import en from './en.json';
import nb from './nb.json';

describe('error texts', () => {
  it('name every error code of the catalogue in English and Norwegian', () => {
    const codes = Object.keys(ERRORS);
    expect(codes.length).toBeGreaterThan(10);
    for (const [lang, table] of [
      ['en', en],
      ['nb', nb],
    ] as const) {
      const missing = codes.filter((code) => !(`error.${code}` in table));
      expect(missing, `error texts missing in ${lang}.json`).toEqual([]);
    }
  });
});
