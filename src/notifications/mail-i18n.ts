// Mail wording per language through i18next (the library the web UI uses too), one resource file per
// language in ./locales, plurals by CLDR rules (Intl.PluralRules). A key missing in Norwegian falls back
// to English. `text` gives a sentence for the plain-text part; `html` escapes the sentence and then puts
// in the values as given (already-escaped markup such as <strong>…</strong> or a link).
import i18next, { type TFunction } from 'i18next';
import { DEFAULT_LANGUAGE, type Language } from '../http/language.js';
import { en } from './locales/en.js';
import { nb, nbFailures } from './locales/nb.js';
import { escapeHtml } from './mail-html.js';

const i18n = i18next.createInstance();
void i18n.init({
  // `failures`: why an attempt failed, by failure code — Norwegian only, as English mail shows the
  // attempt's own (English) message and hint.
  resources: { en: { mail: en }, nb: { mail: nb, failures: nbFailures } },
  defaultNS: 'mail',
  ns: ['mail', 'failures'],
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: ['en', 'nb'],
  // Mail is not HTML until `html` below escapes it; values are inserted as they are.
  interpolation: { escapeValue: false },
  initAsync: false,
});

type Values = Record<string, string | number>;

export interface MailWords {
  language: Language;
  /** The sentence for `key`, values put in as they are (`count` picks the plural). */
  text(key: string, values?: Values): string;
  /** Whether `key` has wording in this language itself (no fallback). */
  has(key: string): boolean;
  /** The sentence for `key`, HTML-escaped, with `markup` values put in unescaped and the others escaped. */
  html(key: string, values?: Values, markup?: Record<string, string>): string;
}

/** The wording of mail in `language`. */
export function mailWords(language: Language): MailWords {
  const t: TFunction = i18n.getFixedT(language);
  const text = (key: string, values: Values = {}) => t(key, values) as string;
  return {
    language,
    text,
    has: (key) => i18n.exists(key, { lng: language, fallbackLng: false }),
    html(key, values = {}, markup = {}) {
      // Placeholders that survive escaping stand in for the markup until the sentence is escaped.
      const slots = Object.keys(markup);
      const withSlots = { ...values, ...Object.fromEntries(slots.map((k, i) => [k, `\uE000${i}\uE001`])) };
      const escaped = escapeHtml(text(key, withSlots));
      return escaped.replace(/\uE000(\d+)\uE001/g, (_, i: string) => markup[slots[Number(i)]!]!);
    },
  };
}
