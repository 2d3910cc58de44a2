// Unsaved edits do not vanish without a word: leaving the page in the app asks in a dialog (React
// Router's blocker), and reloading or closing the tab gets the browser's own prompt.
import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { useI18n } from '../lib/i18n';
import { useConfirm } from './confirm';

/** While `dirty`, navigating to another page asks first (not to one `keeps(path)` says keeps the edits). */
export function useUnsavedChangesPrompt(
  dirty: boolean,
  keeps: (path: string) => boolean = () => false,
): void {
  const { t } = useI18n();
  const confirm = useConfirm();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && currentLocation.pathname !== nextLocation.pathname && !keeps(nextLocation.pathname),
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    void confirm({
      title: t('unsaved.title'),
      message: t('unsaved.message'),
      action: t('unsaved.leave'),
      danger: true,
    }).then((leave) => (leave ? blocker.proceed() : blocker.reset()));
  }, [blocker, confirm, t]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}
