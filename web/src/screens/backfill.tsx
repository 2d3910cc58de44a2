// "Send existing responses" (SPEC §12): a dialog on the automation page that creates runs (origin
// `backfill`) for the survey's responses completed in a period — all of them, or only those this
// automation has no run for yet. The count comes first (dryRun); creating them is a second step.
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { ErrorBox, Loading } from '../components';
import { client, unwrap } from '../lib/api';
import { isDate, periodEndIso, startOfDay } from '../lib/dates';
import { useI18n } from '../lib/i18n';
import { keys, queryClient } from '../lib/queries';
import type { Automation } from '../lib/types';
import { toast } from '../ui/toasts';

interface Period {
  from: string;
  to: string;
  onlyMissing: boolean;
}

/** The backfill body for a period of local dates (both inclusive; either may be open). */
export function backfillBody(p: Period) {
  return {
    onlyMissing: p.onlyMissing,
    ...(isDate(p.from) ? { from: new Date(startOfDay(p.from)).toISOString() } : {}),
    ...(isDate(p.to) ? { to: periodEndIso(p.to) } : {}),
  };
}

export function SendExistingButton({ automation }: { automation: Automation }) {
  const { t } = useI18n();
  return (
    <DialogTrigger>
      <Button className="btn">{t('backfill.open')}</Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog">
            {({ close }) => <SendExistingForm automation={automation} onClose={close} />}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

function SendExistingForm({ automation: a, onClose }: { automation: Automation; onClose(): void }) {
  const { t, formatNumber } = useI18n();
  const id = useId();
  const [period, setPeriod] = useState<Period>({ from: '', to: '', onlyMissing: true });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fromAfterTo = isDate(period.from) && isDate(period.to) && period.from > period.to;
  const body = backfillBody(period);
  const count = useQuery({
    queryKey: [...keys.automation(a.id), 'backfill-count', body],
    queryFn: () =>
      unwrap(
        client.POST('/api/v1/automations/{id}/backfill', {
          params: { path: { id: a.id } },
          body: { ...body, dryRun: true },
        }),
      ),
    enabled: !fromAfterTo,
    staleTime: 0,
  });
  // The dry run answers 200 {wouldCreate}; the typed client merges both answers' shapes.
  const wouldCreate =
    count.data && 'wouldCreate' in count.data ? (count.data as { wouldCreate: number }).wouldCreate : null;
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = (await unwrap(
        client.POST('/api/v1/automations/{id}/backfill', { params: { path: { id: a.id } }, body }),
      )) as { created: number; automationEnabled: boolean };
      void queryClient.invalidateQueries({ queryKey: keys.automation(a.id) });
      toast(
        t('backfill.created', { count: result.created }) +
          (result.automationEnabled ? '' : ' ' + t('backfill.heldDisabled')),
      );
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      noValidate
    >
      <Heading slot="title">{t('backfill.title')}</Heading>
      <p className="muted">{t('backfill.intro')}</p>
      <fieldset className="period">
        <legend>{t('backfill.period')}</legend>
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('runs.from')}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={period.from}
            onChange={(e) => setPeriod({ ...period, from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('runs.to')}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={period.to}
            aria-invalid={fromAfterTo || undefined}
            onChange={(e) => setPeriod({ ...period, to: e.target.value })}
          />
        </div>
        {fromAfterTo && <p className="field-error">{t('runs.fromAfterTo')}</p>}
        <p className="hint">{t('backfill.periodHint')}</p>
      </fieldset>
      <div className="check">
        <input
          id={`${id}-missing`}
          type="checkbox"
          checked={period.onlyMissing}
          onChange={(e) => setPeriod({ ...period, onlyMissing: e.target.checked })}
        />
        <label htmlFor={`${id}-missing`}>{t('backfill.onlyMissing')}</label>
      </div>
      <div role="status" className="backfill-count">
        {fromAfterTo ? null : wouldCreate !== null ? (
          <strong>{t('backfill.wouldCreate', { count: wouldCreate, n: formatNumber(wouldCreate) })}</strong>
        ) : count.error ? null : (
          <Loading />
        )}
      </div>
      {!a.enabled && <p className="notice notice-warn">{t('backfill.disabledNote')}</p>}
      <ErrorBox error={count.error ?? error} />
      <div className="actions">
        <Button className="btn" onPress={onClose}>
          {t('common.cancel')}
        </Button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || fromAfterTo || wouldCreate === null || wouldCreate === 0}
        >
          {t('backfill.send', { count: wouldCreate ?? 0 })}
        </button>
      </div>
    </form>
  );
}
