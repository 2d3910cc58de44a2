// Small shared pieces: loading and error states, page titles that take focus after navigation,
// the language switch, status badges and labelled form fields.
import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode } from 'react';
import { LANGS, useI18n, type MessageKey } from './lib/i18n';
import type { UseQueryResult } from '@tanstack/react-query';
import type { RunStatus } from './lib/types';

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
