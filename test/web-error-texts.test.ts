// The web UI translates every code of the API's error catalogue, in both languages: the server's
// English sentence is never what a Norwegian user reads.
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../src/http/errors.js';
import en from '../web/src/locales/en.json' with { type: 'json' };
import nb from '../web/src/locales/nb.json' with { type: 'json' };

describe('the web UI and the error catalogue', () => {
  it('has a text for every error code in English and Norwegian', () => {
    for (const table of [en, nb] as Record<string, string>[])
      expect(Object.keys(ERRORS).filter((code) => !table[`error.${code}`])).toEqual([]);
  });
});
