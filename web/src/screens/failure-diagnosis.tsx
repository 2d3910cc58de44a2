// A failed connection test's or attempt's diagnosis and hint, translated by its failure code (and, for
// an HTTP error status, by that status: a 404 is not an Authorization problem). The server's English
// sentence is shown only in the English UI, or as the last resort for a code the UI does not know.
import { FAILURE_CODES, type FailureCode } from '../../../src/shared/contract-rules';
import { useI18n, type MessageKey, type Translate } from '../lib/i18n';

export interface Failure {
  code: string;
  message: string;
  hint: string | null;
}

const isKnown = (code: string): code is FailureCode => (FAILURE_CODES as readonly string[]).includes(code);

/** The hint key for an HTTP error status: each class of status has its own advice. */
function statusHint(status: number | null): MessageKey {
  if (status === 401 || status === 403) return 'failure.HTTP_STATUS.hint.auth';
  if (status === 404) return 'failure.HTTP_STATUS.hint.404';
  if (status === 410) return 'failure.HTTP_STATUS.hint.410';
  if (status === 429) return 'failure.HTTP_STATUS.hint.429';
  if (status !== null && status >= 500) return 'failure.HTTP_STATUS.hint.5xx';
  if (status !== null && status >= 400) return 'failure.HTTP_STATUS.hint.4xx';
  return 'failure.HTTP_STATUS.hint';
}

/** The diagnosis and hint of `error` in the UI's language. */
export function describeFailure(
  t: Translate,
  error: Failure,
  statusCode: number | null,
): { diagnosis: string; hint: string | null; translated: boolean } {
  if (!isKnown(error.code)) return { diagnosis: error.message, hint: error.hint, translated: false };
  if (error.code === 'HTTP_STATUS' && statusCode !== null)
    return {
      diagnosis: t('failure.HTTP_STATUS.status', { status: statusCode }),
      hint: t(statusHint(statusCode), { status: statusCode }),
      translated: true,
    };
  return {
    diagnosis: t(`failure.${error.code}` as MessageKey),
    hint: t(`failure.${error.code}.hint` as MessageKey),
    translated: true,
  };
}

export function FailureDiagnosis({ error, statusCode }: { error: Failure; statusCode: number | null }) {
  const { t, lang } = useI18n();
  const { diagnosis, hint, translated } = describeFailure(t, error, statusCode);
  return (
    <>
      <p className="diagnosis">
        <strong>{t('test.diagnosis')}</strong> {diagnosis}
      </p>
      {hint && (
        <p className="hint-box">
          <strong>{t('test.hint')}</strong> {hint}
        </p>
      )}
      {translated && lang === 'en' && error.message !== diagnosis && (
        <p className="muted">
          {t('test.details')} {error.message}
        </p>
      )}
    </>
  );
}
