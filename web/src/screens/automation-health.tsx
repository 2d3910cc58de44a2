// What the automation page says about its health beyond the disabled banner: how close a failure
// streak is to disabling it ("3 of 5 failures before it is disabled"), and the variables its specific
// selection lost when they were deleted from the survey.
import { useI18n } from '../lib/i18n';
import type { Automation } from '../lib/types';

export function FailureStreakNote({ automation: a }: { automation: Automation }) {
  const { t, formatDateTime } = useI18n();
  const s = a.failureStreak;
  if (!a.enabled || s.count === 0) return null;
  const atRisk = s.warnAt !== null && s.count >= s.warnAt;
  return (
    <div
      className={`notice ${atRisk ? 'notice-error' : 'notice-warn'} failure-streak`}
      role="region"
      aria-label={t('streak.title')}
    >
      <strong>{t('streak.text', { count: s.count, n: s.count, max: s.disableAt })}</strong>
      <progress max={s.disableAt} value={s.count} aria-label={t('streak.title')} />
      <p className="muted">
        {t('streak.hint')}
        {s.warnedAt ? ' ' + t('streak.warned', { date: formatDateTime(s.warnedAt) }) : ''}
      </p>
    </div>
  );
}

export function LostVariablesNote({ automation: a }: { automation: Automation }) {
  const { t, formatDateTime } = useI18n();
  if (a.lostVariables.length === 0) return null;
  return (
    <div className="notice notice-warn lost-variables" role="region" aria-label={t('lost.title')}>
      <strong>{t('lost.title')}</strong>
      <p>{t('lost.intro', { count: a.lostVariables.length })}</p>
      <ul>
        {a.lostVariables.map((l) => (
          <li key={l.id}>
            <code>{l.label}</code> <span className="muted">({formatDateTime(l.lostAt)})</span>
          </li>
        ))}
      </ul>
      <p className="muted">{t('lost.hint')}</p>
    </div>
  );
}
