import { useId, useRef, useState } from 'react';
import type { Lead } from '../../../shared/lead.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, dealerInbox } from '../../net/api.js';

/**
 * "Effacer les données" of one lead (host key only, the page's `canErase`): a person asked for
 * erasure. A confirmation names them and says it is for good; then `DELETE …/leads/:id`. The
 * row leaves the page at once (the server also pushes `lead:erased` to every open inbox).
 */
export function EraseLead({ lead, eventId, apiKey, onErased }: { lead: Lead; eventId: string; apiKey: string; onErased: (lead: Lead) => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = `${lead.firstName} ${lead.lastName}`;

  const close = () => dialog.current?.close();
  async function erase() {
    setBusy(true);
    setError(null);
    try {
      await dealerInbox.erase(eventId, lead.id, apiKey);
    } catch (err) {
      // Already erased (by another page, or the retention purge): gone all the same.
      if (!(err instanceof ApiError && err.status === 404)) {
        setBusy(false);
        setError(t(err instanceof ApiError ? errorKey(err.code) : 'error.internal'));
        return;
      }
    }
    close();
    onErased(lead);
  }

  return (
    <>
      <button
        type="button"
        className="lead-erase"
        aria-label={t('lead.erase.label', { name })}
        aria-haspopup="dialog"
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
      >
        {t('lead.erase.action')}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={titleId} aria-describedby={bodyId}>
        <h2 id={titleId}>{t('lead.erase.title', { name })}</h2>
        <p id={bodyId}>{t('lead.erase.body')}</p>
        <p className="error" role="alert">{error}</p>
        <div className="confirm-actions">
          {/* The safe choice has the focus: Enter does not erase anyone by accident. */}
          <button type="button" className="btn" autoFocus onClick={close}>{t('lead.erase.cancel')}</button>
          <button type="button" className="btn btn-danger" disabled={busy} aria-busy={busy} onClick={() => void erase()}>
            {busy ? t('lead.erase.busy') : t('lead.erase.confirm')}
          </button>
        </div>
      </dialog>
    </>
  );
}
