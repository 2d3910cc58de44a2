// The Inbox: what arrived at the organization's built-in receiver (POST /api/v1/inbox/<token>), newest
// first — time, method, signature verification, headers and the body (pretty-printed JSON, always as
// text) — refreshed every 3 seconds while the page is open.
import { useState } from 'react';
import { ErrorBox, PageTitle, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n, type MessageKey } from '../lib/i18n';
import { keys, queryClient, useAutomations, useInboxes, useInboxRequests } from '../lib/queries';
import { Link } from 'react-router';
import type { Inbox, InboxRequest, Verification } from '../lib/types';
import { prettyJson } from './automation-parts';

const REFRESH_MS = 3000;

const BADGE: Record<Verification, string> = {
  valid: 'badge-succeeded',
  invalid: 'badge-failed',
  unsigned: 'badge-scheduled',
  no_matching_automation: 'badge-scheduled',
};

export function VerificationBadge({ verification }: { verification: Verification }) {
  const { t } = useI18n();
  return (
    <span className={`badge ${BADGE[verification]}`} data-verification={verification}>
      {t(`verification.${verification}` as MessageKey)}
    </span>
  );
}

export function InboxPage() {
  const { t } = useI18n();
  const inboxes = useInboxes();
  return (
    <div>
      <PageTitle>{t('inbox.title')}</PageTitle>
      <p>{t('inbox.intro')}</p>
      <QueryView query={inboxes}>
        {(list) => (list.items[0] ? <InboxView inbox={list.items[0]} /> : null)}
      </QueryView>
    </div>
  );
}

function InboxView({ inbox }: { inbox: Inbox }) {
  const { t } = useI18n();
  // Look again every few seconds while the page is open.
  const page = useInboxRequests(inbox.id, REFRESH_MS);
  const automations = useAutomations();
  const names = new Map((automations.data?.items ?? []).map((a) => [a.id, a.name]));
  const [older, setOlder] = useState<InboxRequest[]>([]);
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await queryClient.invalidateQueries({ queryKey: keys.inboxRequests(inbox.id) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = (id: string) =>
    act(async () => {
      await unwrap(
        client.DELETE('/api/v1/inboxes/{id}/requests/{requestId}', {
          params: { path: { id: inbox.id, requestId: id } },
        }),
      );
      setOlder((items) => items.filter((r) => r.id !== id));
    });
  const clear = () =>
    act(async () => {
      await unwrap(client.DELETE('/api/v1/inboxes/{id}/requests', { params: { path: { id: inbox.id } } }));
      setOlder([]);
      setOlderCursor(null);
    });
  const showOlder = (cursor: string) =>
    act(async () => {
      const next = await unwrap(
        client.GET('/api/v1/inboxes/{id}/requests', {
          params: { path: { id: inbox.id }, query: { limit: 50, cursor } },
        }),
      );
      setOlder((items) => [...items, ...next.items]);
      setOlderCursor(next.nextCursor ?? null);
    });

  const nextCursor = older.length > 0 ? olderCursor : (page.data?.nextCursor ?? null);
  return (
    <>
      <div className="card">
        <p>
          <strong>{t('inbox.url')}</strong>
        </p>
        <p>
          <code className="inbox-url">{inbox.url}</code>
        </p>
        <p className="hint">{t('inbox.autoRefresh')}</p>
      </div>
      <ErrorBox error={error} />
      <QueryView query={page}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="muted inbox-empty">{t('inbox.empty')}</p>
          ) : (
            <>
              <div className="toolbar">
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={busy}
                  onClick={() => void clear()}
                >
                  {t('inbox.clear')}
                </button>
              </div>
              <ul className="list inbox-requests">
                {[...list.items, ...older].map((r, i) => (
                  <RequestItem
                    key={r.id}
                    open={i === 0}
                    request={r}
                    automationName={r.automationId ? (names.get(r.automationId) ?? r.automationId) : null}
                    busy={busy}
                    onDelete={() => void remove(r.id)}
                  />
                ))}
              </ul>
              {nextCursor && (
                <button
                  type="button"
                  className="btn"
                  disabled={busy}
                  onClick={() => void showOlder(nextCursor)}
                >
                  {t('inbox.older')}
                </button>
              )}
            </>
          )
        }
      </QueryView>
    </>
  );
}

function RequestItem({
  request,
  automationName,
  busy,
  onDelete,
  open,
}: {
  /** Only the newest message starts unfolded: a long inbox stays a list to scan. */
  open: boolean;
  request: InboxRequest;
  automationName: string | null;
  busy: boolean;
  onDelete(): void;
}) {
  const { t, formatDateTime } = useI18n();
  const headerText = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
  return (
    <li className="card inbox-request" data-verification={request.verification}>
      <div className="page-title">
        <h2 className="inbox-request-title">
          <span className="method">{request.method}</span>{' '}
          {t('inbox.received', { date: formatDateTime(request.receivedAt) })}
        </h2>
        <div className="actions">
          <VerificationBadge verification={request.verification} />
          <button type="button" className="btn btn-small" disabled={busy} onClick={onDelete}>
            {t('common.delete')}
          </button>
        </div>
      </div>
      <p className="hint">
        {t(`verification.${request.verification}.hint` as MessageKey)}
        {request.automationId && (
          <>
            {' '}
            {t('inbox.signedBy')}{' '}
            <Link to={`/automations/${encodeURIComponent(request.automationId)}`}>{automationName}</Link>
          </>
        )}
      </p>
      <details className="inbox-message" open={open}>
        <summary>{t('inbox.body')}</summary>
        <pre className="excerpt message inbox-body" tabIndex={0}>
          {request.body === '' ? t('test.emptyBody') : prettyJson(request.body)}
        </pre>
        {request.bodyTruncated && (
          <p className="notice notice-warn">{t('inbox.truncated', { count: request.bodyBytes })}</p>
        )}
      </details>
      <details>
        <summary>{t('inbox.headers')}</summary>
        <pre className="excerpt inbox-headers">{headerText}</pre>
      </details>
    </li>
  );
}
