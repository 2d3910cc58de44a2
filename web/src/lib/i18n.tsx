// English and Norwegian bokmål: every string of the UI in both, the chosen language remembered in
// localStorage, and dates and numbers formatted with Intl in that language.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from './api';
import { messages, type Lang, type MessageKey } from './messages';

export type { Lang, MessageKey };
export const LANGS: Lang[] = ['en', 'nb'];
const STORAGE_KEY = 'svarbud.lang';
const LOCALES: Record<Lang, string> = { en: 'en-GB', nb: 'nb-NO' };

function initialLang(): Lang {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'nb') return saved;
  } catch {
    // Storage may be blocked; fall back to the browser's language.
  }
  return /^(nb|no|nn)\b/i.test(navigator.language) ? 'nb' : 'en';
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
  formatDateTime(iso: string | null | undefined): string;
  formatDate(iso: string | null | undefined): string;
  formatNumber(n: number): string;
  /** A ratio (0–1) as a whole percentage. */
  formatPercent(ratio: number): string;
  /** The translated message of an error (API code, network failure or anything else). */
  errorText(error: unknown): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, still switched.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const table = messages[lang];
    const t: Translate = (key, values) => {
      let text = table[key];
      if (values)
        for (const [name, v] of Object.entries(values)) text = text.replaceAll(`{${name}}`, String(v));
      return text;
    };
    const locale = LOCALES[lang];
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const number = new Intl.NumberFormat(locale);
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    const fmt = (f: Intl.DateTimeFormat) => (iso: string | null | undefined) => {
      if (!iso) return '';
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : f.format(d);
    };
    return {
      lang,
      setLang,
      t,
      formatDateTime: fmt(dateTime),
      formatDate: fmt(date),
      formatNumber: (n) => number.format(n),
      formatPercent: (ratio) => percent.format(ratio),
      errorText: (error) => {
        if (error instanceof ApiError) {
          const key = `error.${error.code}` as MessageKey;
          if (key in table) return t(key);
          return t('error.unknown', { status: error.status });
        }
        return t('error.unknown', { status: '' });
      },
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
