// "Erase a respondent's data" (SPEC §12, a data-subject request): every response of one e-mail in the
// organization, with its runs, messages and attempt logs. The count comes first (a dry run), the
// owner confirms it, then the counts erased are shown.
import { useState, type FormEvent } from 'react';
import { ErrorBox, Field, PageTitle } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { queryClient } from '../lib/queries';
import { useConfirm } from '../ui/confirm';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function ErasurePage() {
  const { t, formatNumber } = useI18n();
  const confirm = useConfirm();
  const [email, setEmail] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ email: string; responses: number; runs: number } | null>(null);
  const problem = EMAIL.test(email.trim()) ? null : t('validation.email');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    const address = email.trim();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const count = await unwrap(
        client.POST('/api/v1/responses/erase', { body: { email: address, dryRun: true } }),
      );
      if (count.responses === 0) {
        setResult({ email: address, ...count });
        return;
      }
      const ok = await confirm({
        title: t('erase.confirmTitle'),
        message: t('erase.confirm', { email: address }),
        details: [
          t('erase.responses', { n: formatNumber(count.responses) }),
          t('erase.runs', { n: formatNumber(count.runs) }),
        ],
        action: t('erase.action'),
        danger: true,
      });
      if (!ok) return;
      const erased = await unwrap(client.POST('/api/v1/responses/erase', { body: { email: address } }));
      // Lists, counts and logs all over the app may have shown them.
      void queryClient.invalidateQueries();
      setResult({ email: address, ...erased });
      setEmail('');
      setTouched(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle>{t('erase.title')}</PageTitle>
      <p className="muted">{t('erase.intro')}</p>
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('erase.email')}
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={touched ? problem : null}
        />
        <button type="submit" className="btn btn-danger" disabled={busy}>
          {t('erase.find')}
        </button>
      </form>
      <ErrorBox error={error} />
      <p role="status" className={result ? 'notice notice-ok' : 'visually-hidden'}>
        {result === null
          ? ''
          : result.responses === 0
            ? t('erase.nothing', { email: result.email })
            : t('erase.done', {
                email: result.email,
                responses: formatNumber(result.responses),
                runs: formatNumber(result.runs),
              })}
      </p>
    </>
  );
}
