// A copy button: puts `text` on the clipboard and says so; where the clipboard is blocked (an insecure
// context) it says the text can be selected by hand instead.
import { useState } from 'react';
import { useI18n } from '../lib/i18n';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'blocked'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('blocked');
    }
  };
  return (
    <>
      <button type="button" className="btn" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className={state === 'idle' ? 'visually-hidden' : 'copy-status'}>
        {state === 'copied' ? t('copy.copied') : state === 'blocked' ? t('copy.blocked') : ''}
      </span>
    </>
  );
}

/** Offers `text` as a file download named `fileName` (no server round trip). */
export function DownloadButton({ text, fileName, label }: { text: string; fileName: string; label: string }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    // The click has started the download; the URL is not needed after this turn.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <button type="button" className="btn" onClick={download}>
      {label}
    </button>
  );
}
