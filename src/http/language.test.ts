import { describe, expect, it } from 'vitest';
import { languageOf, requestLanguage } from './language.js';

describe('requestLanguage', () => {
  it('takes the explicit language, else the best Accept-Language match (nb, no and nn are bokmål), else en', () => {
    expect(requestLanguage('en', 'nb-NO,nb;q=0.9')).toBe('en');
    expect(requestLanguage('nb', undefined)).toBe('nb');
    expect(requestLanguage(undefined, 'nb-NO,nb;q=0.9,en;q=0.8')).toBe('nb');
    expect(requestLanguage(undefined, 'nn-NO')).toBe('nb');
    expect(requestLanguage(undefined, 'no')).toBe('nb');
    expect(requestLanguage(undefined, 'en;q=0.2, nb;q=0.9')).toBe('nb');
    expect(requestLanguage(undefined, 'da, en-GB;q=0.8, nb;q=0.5')).toBe('en');
    expect(requestLanguage(undefined, 'de-DE,fr;q=0.9')).toBe('en');
    expect(requestLanguage(undefined, '*')).toBe('en');
    expect(requestLanguage(undefined, ';;;garbage')).toBe('en');
    expect(requestLanguage(undefined, undefined)).toBe('en');
  });

  it('reads a stored language back, English for anything unknown', () => {
    expect(languageOf('nb')).toBe('nb');
    expect(languageOf('sv')).toBe('en');
    expect(languageOf(null)).toBe('en');
  });
});
