// English and Norwegian bokmål on i18next: one resource file per language (locales/en.json, nb.json,
// plural forms as i18next's `_one`/`_other` keys chosen by Intl.PluralRules), the chosen language
// remembered in localStorage by the language detector, and dates and numbers formatted with Intl in
// nb-NO or en-GB. `useI18n()` is the one hook screens use; it adds the formatters and error texts.
import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { useMemo } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import en from '../locales/en.json';
import nb from '../locales/nb.json';
import { ApiError } from './api';

export type Lang = 'en' | 'nb';
export const LANGS: Lang[] = ['en', 'nb'];
const LOCALES: Record<Lang, string> = { en: 'en-GB', nb: 'nb-NO' };

type PluralBase<K> = K extends `${infer B}_${'one' | 'other'}` ? B : K;
/** Every key of the UI's strings; a plural key is named without its `_one`/`_other` suffix. */
export type MessageKey = PluralBase<keyof typeof en>;
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, nb: { translation: nb } },
    supportedLngs: LANGS,
    fallbackLng: 'en',
    // Keys are flat ("runs.replayed"); dots and colons are part of them.
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false }, // React escapes.
    returnNull: false,
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: 'svarbud.lang',
      caches: ['localStorage'],
      // Norwegian in any written form (no, nn, nb-NO) gets bokmål.
      convertDetectedLanguage: (lng: string) => (/^(nb|no|nn)\b/i.test(lng) ? 'nb' : lng.split('-')[0]!),
    },
    react: { useSuspense: false },
  });
i18next.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18next.resolvedLanguage ?? 'en';

export { i18next };

export interface I18n {
  lang: Lang;
  locale: string;
  setLang(lang: Lang): void;
  t: Translate;
  /** Date and time to the second, e.g. "1 Dec 2026, 07:22:41". */
  formatDateTime(iso: string | null | undefined): string;
  formatDate(iso: string | null | undefined): string;
  /** How long ago (or ahead) `iso` is, e.g. "3 minutes ago" / "for 3 minutter siden". */
  formatRelative(iso: string | null | undefined, now?: number): string;
  formatNumber(n: number): string;
  /** A ratio (0–1) as a whole percentage. */
  formatPercent(ratio: number): string;
  /** The translated message of an error (API code, network failure or anything else). */
  errorText(error: unknown): string;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

export function useI18n(): I18n {
  const { t: translate, i18n } = useTranslation();
  const lang: Lang = i18n.resolvedLanguage === 'nb' ? 'nb' : 'en';
  return useMemo<I18n>(() => {
    const t: Translate = (key, values) => translate(key as never, values as never) as unknown as string;
    const locale = LOCALES[lang];
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const number = new Intl.NumberFormat(locale);
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const fmt = (f: Intl.DateTimeFormat) => (iso: string | null | undefined) => {
      if (!iso) return '';
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : f.format(d);
    };
    return {
      lang,
      locale,
      setLang: (next) => void i18n.changeLanguage(next),
      t,
      formatDateTime: fmt(dateTime),
      formatDate: fmt(date),
      formatRelative: (iso, now = Date.now()) => {
        if (!iso) return '';
        const diff = new Date(iso).getTime() - now;
        if (Number.isNaN(diff)) return '';
        const [unit, ms] = UNITS.find(([, ms]) => Math.abs(diff) >= ms) ?? ['second', 1000];
        return relative.format(Math.round(diff / ms), unit);
      },
      formatNumber: (n) => number.format(n),
      formatPercent: (ratio) => percent.format(ratio),
      errorText: (error) => {
        if (error instanceof ApiError) {
          const key = `error.${error.code}`;
          if (i18n.exists(key)) return t(key as MessageKey);
          // An unknown code: the server's English sentence is a fallback for the English UI only.
          if (lang === 'en' && error.message) return error.message;
          return t('error.unknown', { status: error.status });
        }
        return t('error.unknown', { status: '' });
      },
    };
  }, [lang, translate, i18n]);
}
