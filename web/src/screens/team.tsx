// The team: the organization's members (remove one; never the last — the server answers LAST_MEMBER),
// invite someone by e-mail (a single-use link, valid 7 days, goes out by mail), and the pending
// invitations with revoke. With sign-up closed, invitations are the only way in.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ErrorBox, Field, PageTitle, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { queryClient, useMe } from '../lib/queries';
import { teamKeys, useInvitations, useMembers } from '../lib/team-queries';
import type { Invitation, Member } from '../lib/types';
import { useConfirm } from '../ui/confirm';
import { toast } from '../ui/toasts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function TeamPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle actions={<Link to="/settings/api-keys">{t('apiKeys.title')}</Link>}>
        {t('team.title')}
      </PageTitle>
      <p className="muted">{t('team.intro')}</p>
      <MembersSection />
      <InviteForm />
      <InvitationsSection />
    </>
  );
}

function MembersSection() {
  const { t, formatDate } = useI18n();
  const members = useMembers();
  const me = useMe();
  const confirm = useConfirm();
  const [error, setError] = useState<unknown>(null);
  const remove = async (m: Member) => {
    const ok = await confirm({
      title: t('team.removeTitle'),
      message: t('team.confirmRemove', { name: m.name, email: m.email }),
      action: t('team.remove'),
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await unwrap(client.DELETE('/api/v1/members/{id}', { params: { path: { id: m.id } } }));
      void queryClient.invalidateQueries({ queryKey: teamKeys.members });
      toast(t('team.removed', { name: m.name }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">{t('team.members')}</h2>
      <ErrorBox error={error} />
      <QueryView query={members}>
        {(list) => (
          <table className="stack-table members-table">
            <thead>
              <tr>
                <th scope="col">{t('team.name')}</th>
                <th scope="col">{t('auth.email')}</th>
                <th scope="col">{t('team.memberSince')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('runs.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((m) => (
                <tr key={m.id}>
                  <td data-label={t('team.name')}>
                    {m.name}
                    {me.data?.user?.id === m.id && <span className="muted"> ({t('team.you')})</span>}
                  </td>
                  <td data-label={t('auth.email')}>{m.email}</td>
                  <td data-label={t('team.memberSince')}>{formatDate(m.createdAt)}</td>
                  <td>
                    <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(m)}>
                      {t('team.remove')}
                      <span className="visually-hidden"> {m.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </section>
  );
}

function InviteForm() {
  const { t, lang } = useI18n();
  const [email, setEmail] = useState('');
  const [language, setLanguage] = useState<'en' | 'nb'>(lang);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem = EMAIL.test(email.trim()) ? null : t('validation.email');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const sent = await unwrap(
        client.POST('/api/v1/invitations', { body: { email: email.trim(), language } }),
      );
      void queryClient.invalidateQueries({ queryKey: teamKeys.invitations });
      toast(t('team.invited', { email: sent.email }));
      setEmail('');
      setTouched(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('team.invite')}</h2>
      <p className="muted">{t('team.inviteIntro')}</p>
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('team.inviteEmail')}
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={touched ? problem : null}
        />
        <div className="field">
          <label htmlFor="invite-language">{t('team.inviteLanguage')}</label>
          <select
            id="invite-language"
            value={language}
            onChange={(e) => setLanguage(e.target.value === 'nb' ? 'nb' : 'en')}
          >
            <option value="en">{t('lang.en')}</option>
            <option value="nb">{t('lang.nb')}</option>
          </select>
        </div>
        <ErrorBox error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('team.sendInvitation')}
        </button>
      </form>
    </section>
  );
}

function InvitationsSection() {
  const { t, formatDateTime } = useI18n();
  const invitations = useInvitations();
  const confirm = useConfirm();
  const [error, setError] = useState<unknown>(null);
  const revoke = async (inv: Invitation) => {
    const ok = await confirm({
      title: t('team.revokeTitle'),
      message: t('team.confirmRevoke', { email: inv.email }),
      action: t('team.revoke'),
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await unwrap(client.DELETE('/api/v1/invitations/{id}', { params: { path: { id: inv.id } } }));
      void queryClient.invalidateQueries({ queryKey: teamKeys.invitations });
      toast(t('team.revoked', { email: inv.email }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t('team.pending')}</h2>
      <ErrorBox error={error} />
      <QueryView query={invitations}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="muted">{t('team.noPending')}</p>
          ) : (
            <ul className="invitations">
              {list.items.map((inv) => (
                <li key={inv.id} className="card">
                  <div>
                    <strong>{inv.email}</strong>
                    <p className="muted">
                      {t('team.expires', { date: formatDateTime(inv.expiresAt) })}
                      {inv.invitedBy ? ` · ${t('team.invitedBy', { name: inv.invitedBy.name })}` : ''}
                    </p>
                  </div>
                  <button type="button" className="btn btn-small btn-danger" onClick={() => void revoke(inv)}>
                    {t('team.revoke')}
                    <span className="visually-hidden"> {inv.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
