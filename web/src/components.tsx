// Small shared pieces: loading and error states, page titles that take focus after navigation,
// the language switch, status badges and labelled form fields.
import { Fragment, useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode } from 'react';
import { LANGS, useI18n, type MessageKey } from './lib/i18n';
import type { UseQueryResult } from '@tanstack/react-query';
import type { RunStatus } from './lib/types';
import { toast } from './ui/toasts';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, errorText } = useI18n();
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <span>{errorText(error)}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** Renders a query: loading, error with retry, or `children(data)`. */
export function QueryView<T>({
  query,
  children,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) return <ErrorBox error={query.error} onRetry={() => void query.refetch()} />;
  return <Loading />;
}

/** The page heading; it takes focus when the page opens so screen readers announce the new page. */
export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  const text = typeof children === 'string' ? children : null;
  useEffect(() => {
    if (text) document.title = `${text} – Svarbud`;
  }, [text]);
  return (
    <div className="page-title">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const id = useId();
  return (
    <div className="lang-switch">
      <label htmlFor={id}>{t('common.language')}</label>
      <select id={id} value={lang} onChange={(e) => setLang(e.target.value as typeof lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {t(`lang.${l}` as MessageKey)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function StatusBadge({ status }: { status: RunStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>;
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  error?: string | null | undefined;
  hint?: string | undefined;
};

/** A labelled input with its hint and error wired to aria-describedby. */
export function Field({ label, error, hint, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Copies `value` to the clipboard and says so in a toast. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useI18n();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast(t('common.copied'));
    } catch {
      toast(t('common.copyFailed'));
    }
  };
  return (
    <button type="button" className="btn btn-small btn-copy" aria-label={label} onClick={() => void copy()}>
      {t('common.copy')}
    </button>
  );
}

/** `https://hooks.example.com/…/svarbud` for a long URL: host and last part; the whole URL on hover. */
export function shortUrl(url: string, max = 40): string {
  if (url.length <= max) return url;
  try {
    const u = new URL(url);
    const last = u.pathname.split('/').filter(Boolean).pop() ?? '';
    const short = `${u.protocol}//${u.host}/…/${last}`;
    return short.length < url.length ? short : url;
  } catch {
    return url.slice(0, max - 1) + '…';
  }
}

export function ShortUrl({ url }: { url: string }) {
  return <UrlText url={url} text={shortUrl(url)} />;
}

/** A URL (or `text`, a shortened form of it) whose line breaks fall after a slash, never inside a word. */
export function UrlText({ url, text = url }: { url: string; text?: string }) {
  const parts = text.split(/(?<=\/)/);
  return (
    <span className="url" title={url}>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </span>
  );
}

/** An instant to the second, with how long ago it was underneath (the exact time also on hover). */
export function DateTime({ iso, relative = true }: { iso: string; relative?: boolean }) {
  const { formatDateTime, formatRelative } = useI18n();
  return (
    <>
      <time dateTime={iso} title={formatDateTime(iso)}>
        {formatDateTime(iso)}
      </time>
      {relative && <span className="muted sub">{formatRelative(iso)}</span>}
    </>
  );
}
