import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.js';

/** What a confirmation asks: the question, and the words of the button that does it ("Terminer le lancement"). */
export interface ConfirmRequest {
  message: string;
  action: string;
  /** It cannot be undone: the button is red and the focus starts on "Annuler". */
  danger?: boolean;
}

type Ask = (request: ConfirmRequest) => Promise<boolean>;

const ConfirmContext = createContext<Ask | null>(null);

/**
 * Asks before a consequential action in the page's own modal dialog, in the page's language and
 * brand, not the browser's `confirm()` box (which names the site's address, cannot be styled,
 * and says "OK"). Resolves true only when the action's button is pressed; Escape, "Annuler" and
 * a second question asked meanwhile all answer false. Outside a `ConfirmProvider` it falls back to
 * the browser's box.
 */
export function useConfirm(): Ask {
  return useContext(ConfirmContext) ?? browserConfirm;
}

const browserConfirm: Ask = ({ message }) => Promise.resolve(window.confirm(message));

interface Pending extends ConfirmRequest {
  resolve: (ok: boolean) => void;
}

/** One dialog for the whole page; `useConfirm()` opens it. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const actionButton = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const pendingRef = useRef<Pending | null>(null);
  /** What the dialog's `close` event answers: true only after the action's button. */
  const answer = useRef(false);
  const messageId = useId();

  const ask = useCallback<Ask>(
    (request) =>
      new Promise<boolean>((resolve) => {
        pendingRef.current?.resolve(false);
        const next = { ...request, resolve };
        pendingRef.current = next;
        setPending(next);
      }),
    [],
  );

  useEffect(() => {
    const d = dialog.current;
    if (!pending || !d) return;
    if (!d.open) d.showModal();
    (pending.danger ? cancelButton : actionButton).current?.focus();
  }, [pending]);

  function settle(ok: boolean): void {
    answer.current = ok;
    dialog.current?.close();
  }

  /** Every way out (a button, Escape) ends here: the browser then gives the focus back to where it was. */
  function closed(): void {
    const p = pendingRef.current;
    pendingRef.current = null;
    setPending(null);
    p?.resolve(answer.current);
    answer.current = false;
  }

  return (
    <ConfirmContext.Provider value={ask}>
      {children}
      <dialog ref={dialog} className="confirm-dialog" aria-describedby={messageId} aria-label={pending?.action} onClose={closed}>
        <p id={messageId} className="confirm-message">{pending?.message}</p>
        <div className="confirm-actions">
          <button ref={cancelButton} type="button" className="btn" onClick={() => settle(false)}>
            {t('common.cancel')}
          </button>
          <button ref={actionButton} type="button" className={pending?.danger ? 'btn btn-danger' : 'btn btn-primary'} onClick={() => settle(true)}>
            {pending?.action}
          </button>
        </div>
      </dialog>
    </ConfirmContext.Provider>
  );
}
