// Pieces the wizard and the automation page share: the variable picker, label and answer-format
// choices, custom headers, URL checks and the connection test result.
import { useId, useState, type ReactNode } from 'react';
import { variableText } from '../lib/variable-names';
import { useI18n, type MessageKey } from '../lib/i18n';
import { HEADER_NAME, isReservedHeader, MAX_HEADERS } from '../../../src/shared/contract-rules';
import { FailureDiagnosis } from './failure-diagnosis';
import type { TestResult, Variable, VariableSelection } from '../lib/types';

export { MAX_HEADERS };

export interface HeaderRow {
  key: number;
  name: string;
  value: string;
}
let nextKey = 1;
export const headerRowsOf = (headers: Record<string, string>): HeaderRow[] =>
  Object.entries(headers).map(([name, value]) => ({ key: nextKey++, name, value }));
export const headersOf = (rows: HeaderRow[]): Record<string, string> =>
  Object.fromEntries(rows.filter((r) => r.name.trim() !== '').map((r) => [r.name.trim(), r.value]));

/** The message key of what is wrong with a header name, or null. */
export function headerProblem(rows: HeaderRow[], row: HeaderRow): MessageKey | null {
  const name = row.name.trim();
  if (name === '') return row.value === '' ? null : 'headers.nameRequired';
  const lower = name.toLowerCase();
  if (!HEADER_NAME.test(name)) return 'headers.invalidName';
  if (isReservedHeader(lower)) return 'headers.reserved';
  if (
    rows.some(
      (r) =>
        r.key !== row.key && r.name.trim().toLowerCase() === lower && rows.indexOf(r) < rows.indexOf(row),
    )
  )
    return 'headers.duplicate';
  if (/[\r\n\0]/.test(row.value)) return 'headers.lineBreak';
  return null;
}

/** The message key of what is wrong with a delivery URL, or null (the server checks it again). */
export function urlProblem(url: string): MessageKey | null {
  const raw = url.trim();
  if (raw === '') return 'validation.required';
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return 'url.invalid';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'url.invalid';
  if (parsed.username || parsed.password) return 'url.credentials';
  if (raw.length > 2000) return 'url.tooLong';
  return null;
}

export function HeadersEditor({ rows, onChange }: { rows: HeaderRow[]; onChange(rows: HeaderRow[]): void }) {
  const { t } = useI18n();
  const id = useId();
  const update = (key: number, change: Partial<HeaderRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  return (
    <fieldset>
      <legend>{t('headers.title')}</legend>
      <p className="hint">{t('headers.hint')}</p>
      {rows.map((r, i) => {
        const problem = headerProblem(rows, r);
        return (
          <div className="option-row" key={r.key}>
            <div className="field grow">
              <label htmlFor={`${id}-n${r.key}`}>{t('headers.name', { n: i + 1 })}</label>
              <input
                id={`${id}-n${r.key}`}
                value={r.name}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${id}-e${r.key}` : undefined}
                onChange={(e) => update(r.key, { name: e.target.value })}
              />
              {problem && (
                <p id={`${id}-e${r.key}`} className="field-error">
                  {t(problem)}
                </p>
              )}
            </div>
            <div className="field grow">
              <label htmlFor={`${id}-v${r.key}`}>{t('headers.value', { n: i + 1 })}</label>
              <input
                id={`${id}-v${r.key}`}
                value={r.value}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => update(r.key, { value: e.target.value })}
              />
            </div>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
            >
              {t('common.remove')}
              <span className="visually-hidden"> {t('headers.name', { n: i + 1 })}</span>
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        disabled={rows.length >= MAX_HEADERS}
        onClick={() => onChange([...rows, { key: nextKey++, name: '', value: '' }])}
      >
        {t('headers.add')}
      </button>
    </fieldset>
  );
}

export function VariablePicker({
  variables,
  selection,
  onChange,
}: {
  variables: Variable[];
  selection: VariableSelection;
  onChange(selection: VariableSelection): void;
}) {
  const { t } = useI18n();
  const id = useId();
  const chosen = selection.mode === 'specific' ? selection.ids : [];
  const toggle = (vid: string, on: boolean) =>
    onChange({ mode: 'specific', ids: on ? [...chosen, vid] : chosen.filter((x) => x !== vid) });
  const groups: [MessageKey, Variable[]][] = [
    ['labels.backgroundVariables', variables.filter((v) => v.kind === 'background')],
    ['survey.questions', variables.filter((v) => v.kind === 'question')],
  ];
  return (
    <div>
      <div className="field">
        <label htmlFor={id}>{t('wizard.variablesChoice')}</label>
        <select
          id={id}
          value={selection.mode}
          onChange={(e) =>
            onChange(e.target.value === 'all' ? { mode: 'all' } : { mode: 'specific', ids: [] })
          }
        >
          <option value="all">{t('wizard.allVariables')}</option>
          <option value="specific">{t('wizard.specificVariables')}</option>
        </select>
      </div>
      <p className="hint">
        {selection.mode === 'all' ? t('wizard.allVariablesHint') : t('wizard.specificVariablesHint')}
      </p>
      {selection.mode === 'specific' &&
        groups.map(
          ([title, list]) =>
            list.length > 0 && (
              <fieldset key={title}>
                <legend>{t(title)}</legend>
                {list.map((v) => (
                  <div className="check" key={v.id}>
                    <input
                      type="checkbox"
                      id={`${id}-${v.id}`}
                      checked={chosen.includes(v.id)}
                      onChange={(e) => toggle(v.id, e.target.checked)}
                    />
                    <label htmlFor={`${id}-${v.id}`}>
                      {variableText(t, v)} <span className="muted">({v.label})</span>
                    </label>
                  </div>
                ))}
              </fieldset>
            ),
        )}
      {selection.mode === 'specific' && selection.ids.length === 0 && (
        <p className="field-error" role="status">
          {t('wizard.chooseOne')}
        </p>
      )}
    </div>
  );
}

/** A group of radio buttons, each with a label and an optional hint tied to it. */
function RadioChoice<T extends string>({
  legend,
  choices,
  value,
  onChange,
}: {
  legend: string;
  choices: { value: T; label: string; hint?: string }[];
  value: T;
  onChange(v: T): void;
}) {
  const id = useId();
  return (
    <fieldset>
      <legend>{legend}</legend>
      {choices.map((c) => (
        <div className="check" key={c.value}>
          <input
            type="radio"
            id={`${id}-${c.value}`}
            name={id}
            checked={value === c.value}
            onChange={() => onChange(c.value)}
            aria-describedby={c.hint ? `${id}-${c.value}-d` : undefined}
          />
          <label htmlFor={`${id}-${c.value}`}>{c.label}</label>
          {c.hint && (
            <p className="hint" id={`${id}-${c.value}-d`}>
              {c.hint}
            </p>
          )}
        </div>
      ))}
    </fieldset>
  );
}

export function LabelsChoice({
  value,
  onChange,
}: {
  value: 'auto' | 'data';
  onChange(v: 'auto' | 'data'): void;
}) {
  const { t } = useI18n();
  return (
    <RadioChoice
      legend={t('wizard.labelsQuestion')}
      choices={(['auto', 'data'] as const).map((v) => ({
        value: v,
        label: t(`wizard.labels.${v}`),
        hint: t(`wizard.labels.${v}.hint`),
      }))}
      value={value}
      onChange={onChange}
    />
  );
}

export function AnswerFormatChoice({
  value,
  onChange,
}: {
  value: 'text' | 'code';
  onChange(v: 'text' | 'code'): void;
}) {
  const { t } = useI18n();
  return (
    <RadioChoice
      legend={t('wizard.answerFormat')}
      choices={(['text', 'code'] as const).map((v) => ({ value: v, label: t(`wizard.answerFormat.${v}`) }))}
      value={value}
      onChange={onChange}
    />
  );
}

/** Failures before a connection was made: no request reached the receiver. */
const NOT_SENT = new Set([
  'INVALID_URL',
  'BLOCKED_ADDRESS',
  'DNS_NOT_FOUND',
  'CONNECTION_REFUSED',
  'TLS_ERROR',
]);

export function TestResultView({ result }: { result: TestResult }) {
  const { t, formatNumber } = useI18n();
  const sent = !result.error || !NOT_SENT.has(result.error.code);
  return (
    <div className={`card test-result ${result.ok ? 'ok' : 'failed'}`} role="status" aria-live="polite">
      <h3>{result.ok ? t('test.succeeded') : t('test.failed')}</h3>
      <dl className="facts">
        <dt>{t('test.statusCode')}</dt>
        <dd>{result.statusCode ?? t('test.noResponse')}</dd>
        <dt>{t('test.time')}</dt>
        <dd>{t('test.ms', { ms: formatNumber(result.durationMs) })}</dd>
      </dl>
      {result.error && <FailureDiagnosis error={result.error} statusCode={result.statusCode} />}
      {result.response && (
        <>
          <h4>{t('test.response')}</h4>
          <pre className="excerpt">
            {result.response.body === '' ? t('test.emptyBody') : result.response.body}
          </pre>
        </>
      )}
      <details>
        <summary>{sent ? t('test.sample') : t('test.sampleNotSent')}</summary>
        <pre className="excerpt">{prettyJson(result.request.body)}</pre>
      </details>
    </div>
  );
}

export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return 'whsec_' + btoa(String.fromCharCode(...bytes));
}

/** A signing secret, hidden until revealed, with a copy button (and any further actions). */
export function SecretView({ secret, children }: { secret: string; children?: ReactNode }) {
  const { t } = useI18n();
  const [revealed, setRevealed] = useState(false);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // Clipboard blocked (insecure context): show it so it can be selected by hand.
      setRevealed(true);
    }
  };
  return (
    <>
      <p>
        <code className="secret" aria-label={t('secret.title')}>
          {revealed ? secret : 'whsec_' + '•'.repeat(24)}
        </code>
      </p>
      <div className="actions">
        <button type="button" className="btn" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
          {revealed ? t('secret.hide') : t('secret.reveal')}
        </button>
        <button type="button" className="btn" onClick={() => void copy()}>
          {t('secret.copy')}
        </button>
        {children}
      </div>
      <p role="status" className={copied ? 'notice notice-ok' : 'visually-hidden'}>
        {copied ? t('secret.copied') : ''}
      </p>
    </>
  );
}
