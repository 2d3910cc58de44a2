// Confirmations and notices in a modal dialog (React Aria Components: focus kept inside, Escape
// cancels, focus back where it was) instead of the browser's confirm() and alert().
// `const confirm = useConfirm(); if (await confirm({ title, message, action })) …`
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useI18n } from '../lib/i18n';

export interface ConfirmRequest {
  title: string;
  message: string;
  /** Lines listed under the message (the automations a change would alter). */
  details?: string[];
  /** The confirming button's text ("Delete", "Replay"); none for a notice with only OK. */
  action?: string;
  danger?: boolean;
}

type Ask = (request: ConfirmRequest) => Promise<boolean>;
const ConfirmContext = createContext<Ask | null>(null);

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<(ConfirmRequest & { resolve(ok: boolean): void }) | null>(null);
  const ask = useCallback<Ask>((request) => new Promise((resolve) => setOpen({ ...request, resolve })), []);
  const close = (ok: boolean) => {
    open?.resolve(ok);
    setOpen(null);
  };
  return (
    <ConfirmContext.Provider value={ask}>
      {children}
      <ModalOverlay
        className="modal-overlay"
        isOpen={open !== null}
        isDismissable
        onOpenChange={(isOpen) => {
          if (!isOpen) close(false);
        }}
      >
        <Modal className="modal">
          <Dialog className="dialog" role="alertdialog">
            {open && (
              <>
                <Heading slot="title">{open.title}</Heading>
                <p>{open.message}</p>
                {open.details && open.details.length > 0 && (
                  <ul className="confirm-details">
                    {open.details.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                )}
                <div className="actions">
                  {open.action ? (
                    <>
                      <Button className="btn" onPress={() => close(false)}>
                        {t('common.cancel')}
                      </Button>
                      <Button
                        className={`btn ${open.danger ? 'btn-danger' : 'btn-primary'}`}
                        onPress={() => close(true)}
                        autoFocus
                      >
                        {open.action}
                      </Button>
                    </>
                  ) : (
                    <Button className="btn btn-primary" onPress={() => close(true)} autoFocus>
                      {t('common.ok')}
                    </Button>
                  )}
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </ConfirmContext.Provider>
  );
}

/** Asks in a dialog; resolves true when confirmed. */
export function useConfirm(): Ask {
  const ask = useContext(ConfirmContext);
  if (!ask) throw new Error('useConfirm outside ConfirmProvider');
  return ask;
}
