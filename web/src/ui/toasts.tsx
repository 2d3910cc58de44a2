// Short notices that something happened ("The survey was copied."), on React Aria Components' toast
// region: announced to screen readers, dismissable, gone after a few seconds.
import {
  UNSTABLE_Toast as Toast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastQueue as ToastQueue,
  UNSTABLE_ToastRegion as ToastRegion,
  Button,
  Text,
} from 'react-aria-components';
import { useI18n } from '../lib/i18n';

interface Notice {
  title: string;
}

const queue = new ToastQueue<Notice>({ maxVisibleToasts: 3 });

/** Shows `title` as a toast for five seconds. */
export function toast(title: string): void {
  queue.add({ title }, { timeout: 5000 });
}

export function Toasts() {
  const { t } = useI18n();
  return (
    <ToastRegion queue={queue} className="toast-region">
      {({ toast: item }) => (
        <Toast toast={item} className="toast">
          <ToastContent>
            <Text slot="title">{item.content.title}</Text>
          </ToastContent>
          <Button slot="close" className="btn btn-small" aria-label={t('common.close')}>
            ×
          </Button>
        </Toast>
      )}
    </ToastRegion>
  );
}
