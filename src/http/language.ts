// The languages Svarbud writes in (English and Norwegian bokmål), and which one a request asks for: an
// explicit `language` field wins, else the Accept-Language header (negotiated by `negotiator`), else English.
import Negotiator from 'negotiator';
import { z } from 'zod';

export const LANGUAGES = ['en', 'nb'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** The optional `language` field of bodies that store one (notification settings, invitations). */
export const languageSchema = z
  .enum(LANGUAGES)
  .describe('language of the mail this sends: `en` or `nb`; default from Accept-Language, else `en`');

// Browsers of Norwegian users say nb, no (Norwegian) or nn (nynorsk): bokmål serves all three.
const OFFERED = ['en', 'nb', 'no', 'nn'];

/** The language a request asks for: `explicit` when given, else the best Accept-Language match, else `en`. */
export function requestLanguage(
  explicit: Language | undefined,
  acceptLanguage: string | undefined,
): Language {
  if (explicit) return explicit;
  if (!acceptLanguage) return DEFAULT_LANGUAGE;
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language(OFFERED);
  if (best === undefined) return DEFAULT_LANGUAGE;
  return best === 'en' ? 'en' : 'nb';
}

/** A stored language, read back: anything unknown is English (the fallback). */
export function languageOf(stored: string | null | undefined): Language {
  return (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : DEFAULT_LANGUAGE;
}
