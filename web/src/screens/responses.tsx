// A survey's responses (newest first): who answered and when, delete (erasure: the response with its
// runs, messages and attempt logs) and "Send to automation…" (one run, origin `manual`).
import { useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { Link } from 'react-router';
import { ErrorBox, QueryView } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { keys, queryClient, useAutomations } from '../lib/queries';
import { responseKeys, useResponses } from '../lib/response-queries';
import type { Survey, SurveyResponse } from '../lib/types';
import { useConfirm } from '../ui/confirm';
import { toast } from '../ui/toasts';

/** Who gave a response, as the runs log names it: "First Last", else the e-mail, else a placeholder. */
function respondentName(r: SurveyResponse, anonymous: string, noName: string): string {
  if (!r.respondent) return anonymous;
  const name = [r.respondent.firstName, r.respondent.lastName].filter(Boolean).join(' ');
  return name || r.respondent.email || noName;
}

export function ResponsesSection({ survey }: { survey: Survey }) {
  const { t, formatDateTime } = useI18n();
  const responses = useResponses(survey.id);
  const confirm = useConfirm();
  const [error, setError] = useState<unknown>(null);
  const nameOf = (r: SurveyResponse) => respondentName(r, t('runs.anonymous'), t('runs.noName'));
  const remove = async (r: SurveyResponse) => {
    const ok = await confirm({
      title: t('responses.deleteTitle'),
      message: t('responses.confirmDelete', { name: nameOf(r), date: formatDateTime(r.completedAt) }),
      action: t('common.delete'),
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await unwrap(
        client.DELETE('/api/v1/surveys/{id}/responses/{responseId}', {
          params: { path: { id: survey.id, responseId: r.id } },
        }),
      );
      void queryClient.invalidateQueries({ queryKey: responseKeys.responses(survey.id) });
      void queryClient.invalidateQueries({ queryKey: keys.automations });
      toast(t('responses.deleted'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="responses-heading">
      <h2 id="responses-heading">{t('responses.title')}</h2>
      <ErrorBox error={error} />
      <QueryView query={responses}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">{t('responses.none')}</p>
          ) : (
            <table className="stack-table responses-table">
              <thead>
                <tr>
                  <th scope="col">{t('runs.name')}</th>
                  <th scope="col">{t('auth.email')}</th>
                  <th scope="col">{t('responses.completed')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('runs.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={r.id}>
                    <td data-label={t('runs.name')}>{nameOf(r)}</td>
                    <td data-label={t('auth.email')}>{r.respondent?.email ?? '–'}</td>
                    <td data-label={t('responses.completed')}>{formatDateTime(r.completedAt)}</td>
                    <td className="row-actions">
                      <SendToAutomation survey={survey} response={r} name={nameOf(r)} />
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        onClick={() => void remove(r)}
                      >
                        {t('common.delete')}
                        <span className="visually-hidden"> {t('responses.ofName', { name: nameOf(r) })}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
      {responses.data?.nextCursor && <p className="hint">{t('responses.newest')}</p>}
    </section>
  );
}

function SendToAutomation({
  survey,
  response,
  name,
}: {
  survey: Survey;
  response: SurveyResponse;
  name: string;
}) {
  const { t } = useI18n();
  return (
    <DialogTrigger>
      <Button className="btn btn-small">
        {t('responses.send')}
        <span className="visually-hidden"> {t('responses.ofName', { name })}</span>
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog">
            {({ close }) => <SendForm survey={survey} response={response} name={name} onClose={close} />}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

function SendForm({
  survey,
  response,
  name,
  onClose,
}: {
  survey: Survey;
  response: SurveyResponse;
  name: string;
  onClose(): void;
}) {
  const { t } = useI18n();
  const automations = useAutomations();
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const { run } = await unwrap(
        client.POST('/api/v1/surveys/{id}/responses/{responseId}/send', {
          params: { path: { id: survey.id, responseId: response.id } },
          body: { automationId: chosen },
        }),
      );
      void queryClient.invalidateQueries({ queryKey: keys.automation(chosen) });
      toast(t('responses.sent', { name: run.name || name }));
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) void send();
      }}
    >
      <Heading slot="title">{t('responses.sendTitle', { name })}</Heading>
      <QueryView query={automations}>
        {(list) => {
          const mine = list.items.filter((a) => a.surveyId === survey.id);
          return mine.length === 0 ? (
            <p className="muted">
              {t('responses.noAutomations')}{' '}
              <Link to={`/automations/new?survey=${encodeURIComponent(survey.id)}`}>
                {t('automations.create')}
              </Link>
            </p>
          ) : (
            <fieldset>
              <legend>{t('responses.chooseAutomation')}</legend>
              {mine.map((a) => (
                <div className="check" key={a.id}>
                  <input
                    type="radio"
                    id={`send-${response.id}-${a.id}`}
                    name={`send-${response.id}`}
                    value={a.id}
                    checked={chosen === a.id}
                    onChange={() => setChosen(a.id)}
                  />
                  <label htmlFor={`send-${response.id}-${a.id}`}>
                    {a.name}
                    {!a.enabled && <span className="muted"> ({t('responses.heldDisabled')})</span>}
                  </label>
                </div>
              ))}
            </fieldset>
          );
        }}
      </QueryView>
      <ErrorBox error={error} />
      <div className="actions">
        <Button className="btn" onPress={onClose}>
          {t('common.cancel')}
        </Button>
        <button type="submit" className="btn btn-primary" disabled={busy || !chosen}>
          {t('responses.sendNow')}
        </button>
      </div>
    </form>
  );
}
