import { useEffect, useId, useRef, useState } from 'react';
import type { Lead } from '../../../shared/lead.js';
import { formatDateTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, dealerInbox } from '../../net/api.js';
import { EraseLead } from './EraseLead.js';
import { CONTACT_UNDO_MS, contactDelayMs, displayPhone, variantLabel } from './leads.view.js';
import { dayLabel, delayLabel, momentLabel, receivedLabel } from './time.js';

interface TableProps {
  leads: Lead[];
  unseen: ReadonlySet<string>;
  /** The all-leads scope shows which dealership each lead went to. */
  showDealer: boolean;
  /** The event's dealers: the all-leads scope gives a lead without one to one of them. */
  directory: readonly { id: string; name: string }[];
  now: number;
  eventId: string;
  apiKey: string;
  onUpdated: (lead: Lead) => void;
  /** The host key: each lead offers "Effacer les données". */
  canErase: boolean;
  onErased: (lead: Lead) => void;
}

/** A table on a desk; under ~700 px each row becomes a card (dealer.css), same markup. */
export function LeadTable(props: TableProps) {
  const { t } = useI18n();
  return (
    <table className="leads">
      <thead>
        <tr>
          <th scope="col">{t('dealer.col.received')}</th>
          <th scope="col">{t('dealer.col.request')}</th>
          <th scope="col">{t('dealer.col.contact')}</th>
          <th scope="col">{t('dealer.col.message')}</th>
          {props.showDealer ? <th scope="col">{t('dealer.col.dealer')}</th> : null}
          <th scope="col">{t('dealer.col.followUp')}</th>
        </tr>
      </thead>
      <tbody>
        {props.leads.map((lead) => (
          <LeadRow key={lead.id} lead={lead} isNew={props.unseen.has(lead.id)} {...props} />
        ))}
      </tbody>
    </table>
  );
}

function LeadRow({ lead, isNew, showDealer, directory, now, eventId, apiKey, onUpdated, canErase, onErased }: Omit<TableProps, 'leads' | 'unseen'> & { lead: Lead; isNew: boolean }) {
  const { t, locale } = useI18n();
  const nameId = useId();
  const name = `${lead.firstName} ${lead.lastName}`;
  return (
    <tr className={`lead-row${isNew ? ' lead-new' : ''}`} data-testid="lead">
      <td className="lead-received" data-label={t('dealer.col.received')}>
        {isNew ? <span className="tag tag-new">{t('dealer.new')}</span> : null}
        <time dateTime={lead.createdAt} title={formatDateTime(lead.createdAt, locale)}>{receivedLabel(lead.createdAt, now, locale, t)}</time>
      </td>
      <td className="lead-request" data-label={t('dealer.col.request')}>
        <span className={`lead-type lead-type-${lead.type}`}>{t(`dealer.type.${lead.type}`)}</span>
        {lead.preferredDate ? <span className="lead-detail">{t('dealer.preferredDate', { date: dayLabel(lead.preferredDate, locale) })}</span> : null}
        {lead.variant ? <span className="lead-detail">{t('dealer.variant', { name: variantLabel(lead.variant) })}</span> : null}
        {lead.source === 'replay' ? <span className="lead-detail muted">{t('dealer.replay')}</span> : null}
      </td>
      <td className="lead-contact" data-label={t('dealer.col.contact')}>
        <strong className="lead-name" id={nameId}>{name}</strong>
        {lead.phone ? (
          <a className="lead-phone" href={`tel:${lead.phone}`} aria-label={t('dealer.call', { name, phone: displayPhone(lead.phone) })}>
            {displayPhone(lead.phone)}
          </a>
        ) : (
          <span className="muted">{t('dealer.noPhone')}</span>
        )}
        <a className="lead-email" href={`mailto:${lead.email}`} aria-label={`${t('dealer.mail', { name })} (${lead.email})`}>{lead.email}</a>
        {lead.postcode ? <span className="lead-detail">{t('dealer.postcode', { postcode: lead.postcode })}</span> : null}
        <span className={`lead-consent${lead.consent.marketing ? ' lead-consent-yes' : ''}`}>{lead.consent.marketing ? t('dealer.marketingYes') : t('dealer.marketingNo')}</span>
      </td>
      <td className={`lead-message${lead.message ? '' : ' lead-message-none'}`} data-label={t('dealer.col.message')}>
        {lead.message ?? t('dealer.noMessage')}
      </td>
      {showDealer ? (
        <td className="lead-dealer" data-label={t('dealer.col.dealer')}>
          {lead.dealerName ?? <span className="muted">{t('dealer.unassigned')}</span>}
          {lead.dealerId === null && directory.length > 0 ? <AssignDealer lead={lead} directory={directory} eventId={eventId} apiKey={apiKey} onUpdated={onUpdated} nameId={nameId} /> : null}
          {lead.routing !== 'none' && lead.dealerName ? <span className="lead-detail muted">{t(`dealer.routing.${lead.routing}`)}</span> : null}
        </td>
      ) : null}
      <td className="lead-follow" data-label={t('dealer.col.followUp')}>
        <ContactedCell lead={lead} now={now} eventId={eventId} apiKey={apiKey} onUpdated={onUpdated} nameId={nameId} />
        {canErase ? <EraseLead lead={lead} eventId={eventId} apiKey={apiKey} onErased={onErased} /> : null}
      </td>
    </tr>
  );
}

/** A lead no dealer was given, given to one of the directory's (`POST …/assign`). */
function AssignDealer({ lead, directory, eventId, apiKey, onUpdated, nameId }: { lead: Lead; directory: readonly { id: string; name: string }[]; eventId: string; apiKey: string; onUpdated: (l: Lead) => void; nameId: string }) {
  const { t } = useI18n();
  const selectId = useId();
  const [dealerId, setDealerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function assign() {
    if (!dealerId) return setError(t('dealer.assign.pick'));
    setBusy(true);
    setError(null);
    try {
      const { lead: updated } = await dealerInbox.assign(eventId, lead.id, dealerId, apiKey);
      onUpdated(updated);
    } catch (err) {
      setError(t(err instanceof ApiError ? errorKey(err.code) : 'error.internal'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="lead-assign">
      <label htmlFor={selectId} className="visually-hidden">{t('dealer.assign.label')}</label>
      <select id={selectId} value={dealerId} aria-describedby={nameId} onChange={(e) => setDealerId(e.target.value)}>
        <option value="">{t('dealer.assign.placeholder')}</option>
        {directory.map((d) => (
          <option key={d.id} value={d.id}>{d.name}</option>
        ))}
      </select>
      <button type="button" className="btn btn-small" disabled={busy} aria-describedby={nameId} onClick={() => void assign()}>
        {busy ? t('dealer.marking') : t('dealer.assign.button')}
      </button>
      <p className="error" role="alert">{error}</p>
    </div>
  );
}

/**
 * A tap on "Contacté" can be taken back for `CONTACT_UNDO_MS` before it is recorded: the
 * contact time is stamped once and feeds the brand's report, and a dealer scrolling a list of
 * look-alike rows on a phone taps the wrong one. The mark is sent when the window ends, at
 * once if the row goes away (a filter), and as the page goes away (`keepalive`).
 */

function ContactedCell({ lead, now, eventId, apiKey, onUpdated, nameId }: { lead: Lead; now: number; eventId: string; apiKey: string; onUpdated: (l: Lead) => void; nameId: string }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [undoable, setUndoable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const undoButton = useRef<HTMLButtonElement>(null);
  const markButton = useRef<HTMLButtonElement>(null);
  const restoreFocus = useRef(false);
  // The latest `send`, for the timer, the page's exit and the row's unmount.
  const send = useRef<(leaving: boolean) => void>(() => undefined);
  send.current = (leaving: boolean) => {
    setUndoable(false);
    if (leaving) {
      void dealerInbox.markContacted(eventId, lead.id, apiKey, true).catch(() => undefined);
      return;
    }
    setBusy(true);
    setError(null);
    dealerInbox
      .markContacted(eventId, lead.id, apiKey)
      .then(({ lead: updated }) => onUpdated(updated))
      .catch((err: unknown) => setError(t(err instanceof ApiError ? errorKey(err.code) : 'error.internal')))
      .finally(() => setBusy(false));
  };

  useEffect(() => {
    if (!undoable) return;
    undoButton.current?.focus();
    const timer = setTimeout(() => send.current(false), CONTACT_UNDO_MS);
    const leave = () => send.current(true);
    window.addEventListener('pagehide', leave);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pagehide', leave);
    };
  }, [undoable]);
  // The row goes (a filter, an erasure elsewhere) while the window is open: the mark goes now.
  const pending = useRef(false);
  pending.current = undoable;
  useEffect(() => () => {
    if (pending.current) send.current(true);
  }, []);
  useEffect(() => {
    if (!undoable && restoreFocus.current) {
      restoreFocus.current = false;
      markButton.current?.focus();
    }
  }, [undoable]);

  const delay = contactDelayMs(lead);
  if (lead.contactedAt && delay !== null) {
    return (
      <p className="lead-contacted">
        <span aria-hidden="true">✓ </span>
        {t('dealer.contactedAt', { when: momentLabel(lead.contactedAt, now, locale, t), delay: delayLabel(delay, t) })}
      </p>
    );
  }
  if (undoable) {
    return (
      <p className="lead-contacted lead-contacted-undo" role="status">
        <span aria-hidden="true">✓ </span>
        {t('dealer.contactedNow')}{' '}
        <button
          ref={undoButton}
          type="button"
          className="btn btn-small btn-ghost"
          aria-describedby={nameId}
          onClick={() => {
            restoreFocus.current = true;
            setUndoable(false);
          }}
        >
          {t('dealer.undoContacted')}
        </button>
      </p>
    );
  }
  return (
    <>
      <button ref={markButton} type="button" className="btn btn-small btn-primary" disabled={busy} aria-describedby={nameId} onClick={() => setUndoable(true)}>
        {busy ? t('dealer.marking') : t('dealer.markContacted')}
      </button>
      <p className="error" role="alert">{error}</p>
    </>
  );
}
