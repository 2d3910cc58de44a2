// The dev mailbox: while no SMTP server is configured (SVARBUD_SMTP_URL unset), every mail Svarbud would
// send — failure notifications, invitations — is kept here; each opens to its text.
import { DateTime, ErrorBox, Loading, PageTitle } from '../components';
import { useI18n } from '../lib/i18n';
import { useDevMailbox } from '../lib/mailbox-queries';
import { useMe } from '../lib/queries';
import type { DevMail } from '../lib/types';

export function MailboxPage() {
  const { t } = useI18n();
  const me = useMe();
  const mail = useDevMailbox();
  const items = mail.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageTitle>{t('mailbox.title')}</PageTitle>
      <p className="muted">{me.data?.devMailbox === false ? t('mailbox.smtpOn') : t('mailbox.intro')}</p>
      {mail.isPending ? (
        <Loading />
      ) : mail.error ? (
        <ErrorBox error={mail.error} onRetry={() => void mail.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{t('mailbox.none')}</p>
      ) : (
        <>
          <ul className="mailbox" aria-label={t('mailbox.title')}>
            {items.map((m) => (
              <MailItem key={m.id} mail={m} />
            ))}
          </ul>
          {mail.hasNextPage && (
            <div className="actions">
              <button
                type="button"
                className="btn"
                disabled={mail.isFetchingNextPage}
                onClick={() => void mail.fetchNextPage()}
              >
                {t('mailbox.older')}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}

function MailItem({ mail }: { mail: DevMail }) {
  const { t } = useI18n();
  return (
    <li className="card mail">
      <details>
        <summary>
          <span className="mail-subject">{mail.subject}</span>
          <span className="mail-meta">
            <span>
              {t('mailbox.to')} {mail.to}
            </span>
            <DateTime iso={mail.createdAt} />
          </span>
        </summary>
        <pre
          className="excerpt mail-text"
          tabIndex={0}
          aria-label={t('mailbox.text', { subject: mail.subject })}
        >
          {mail.text}
        </pre>
      </details>
    </li>
  );
}
