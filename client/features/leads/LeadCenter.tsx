import { useEffect, useRef, useState } from 'react';
import type { StatePayload } from '../../../shared/events.js';
import type { LeadType } from '../../../shared/lead.js';
import type { CtaKind } from '../../../shared/presentation.js';
import { useI18n } from '../../i18n/i18n.js';
import type { SentReceipt } from '../../net/outbox.js';
import { CtaCard } from './CtaCard.js';
import { LeadForm } from './LeadForm.js';
import './leads.css';
import { LeadIcon, RequestChoices } from './RequestChoices.js';
import { sentTypesOf, type LeadOutbox, type LeadSheet } from './useLeads.js';

/** How long "your request has been sent" stays when it arrives with the sheet closed. */
const TOAST_MS = 6_000;
/** The latest requests listed in the sheet; older ones are of no use on a phone. */
const RECENT = 4;

/**
 * Everything a viewer does to become a lead: the "interested" button, the presenter's call to
 * action, the sheet (the four requests, the form, the confirmation) and the request statuses.
 */
export function LeadCenter({
  state,
  leads,
  sheet,
  showInterest,
  ctaMode,
  exploring = false,
  reconnecting,
}: {
  state: StatePayload;
  leads: LeadOutbox;
  sheet: LeadSheet;
  /** Live: the floating button (before and after, the status card offers the requests). */
  showInterest: boolean;
  /**
   * The presenter's call to action: `live` while the launch is on, `replay` as it was at that
   * moment of the replay (not "live"), `off` before and after the launch (a card left open at
   * the end would sit on the closing card, saying "live").
   */
  ctaMode: 'live' | 'replay' | 'off';
  /**
   * The viewer turns the car on their own: the card steps aside (the "interested" button stays)
   * so that the car, "Suivre le présentateur" and the hotspot cards are free, and slides back
   * when they follow the presenter again.
   */
  exploring?: boolean;
  reconnecting: boolean;
}) {
  const { t } = useI18n();
  const { view, open, close } = sheet;
  const { outbox, snapshot } = leads;
  const interest = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const vehicle = state.event.vehicle;
  const sentTypes = sentTypesOf(snapshot);
  const formType = view.kind === 'form' ? view.type : null;
  const pushed = ctaMode === 'off' ? null : state.presentation.cta;
  const cta = exploring ? null : pushed;
  const [dismissed, setDismissed] = useState<CtaKind | null>(null);
  const ctaShown = cta !== null && cta !== dismissed;

  // Taken back by the presenter: a dismissal does not carry over to the next time it is pushed.
  useEffect(() => {
    if (!pushed) setDismissed(null);
  }, [pushed]);
  // The card's close button had the focus: it moves to the button that took the card's place.
  useEffect(() => {
    if (dismissed) interest.current?.focus();
  }, [dismissed]);

  // Focus goes to the sheet's title, not a field: a phone keyboard would cover the sheet.
  useEffect(() => {
    if (view.kind !== 'closed') heading.current?.focus();
  }, [view.kind, formType]);

  // "Sent" for a request acknowledged while the viewer was elsewhere (sheet closed or reloaded).
  const [toast, setToast] = useState<SentReceipt | null>(null);
  const seen = useRef<Set<string> | null>(null);
  const showingDone = view.kind === 'done' ? view.id : null;
  useEffect(() => {
    if (!outbox) return;
    const ids = new Set(snapshot.sent.map((r) => r.id));
    const before = seen.current;
    seen.current = ids;
    if (!before) return; // receipts from earlier visits are not news
    const fresh = snapshot.sent.filter((r) => !before.has(r.id) && r.id !== showingDone).at(-1);
    if (fresh) setToast(fresh);
  }, [outbox, snapshot.sent, showingDone]);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  // A request of this type still being sent: the form shows it on its way (a fresh form would
  // make a second lead with a new id); another request is one deliberate tap away from there.
  const openForm = (type: LeadType) => {
    const resume = snapshot.pending.findLast((e) => e.payload.type === type);
    open(resume ? { kind: 'form', type, resume } : { kind: 'form', type });
  };
  const fixRefused = (id: string) => {
    const r = snapshot.refused.find((x) => x.entry.id === id);
    if (r) open({ kind: 'form', type: r.entry.payload.type, retry: r });
  };
  const closed = view.kind === 'closed';
  const pendingCount = snapshot.pending.length;
  const firstRefused = snapshot.refused[0];
  const receipt = view.kind === 'done' ? snapshot.sent.find((r) => r.id === view.id) : undefined;
  const title =
    view.kind === 'form' ? t(`lead.formTitle.${view.type}`) : view.kind === 'done' ? t('lead.done.title') : t('lead.menuTitle', { vehicle: vehicle.name });

  return (
    <>
      {showInterest ? (
        <button
          ref={interest}
          type="button"
          className="lead-interest"
          aria-haspopup="dialog"
          aria-expanded={!closed}
          aria-controls="lead-sheet"
          onClick={() => open({ kind: 'menu' })}
          hidden={ctaShown && closed}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path d="M4 14.5l1.6-4.6A2.5 2.5 0 0 1 8 8.2h8a2.5 2.5 0 0 1 2.4 1.7l1.6 4.6M3.5 14.5h17v3.2a.8.8 0 0 1-.8.8H18a.8.8 0 0 1-.8-.8v-1H6.8v1a.8.8 0 0 1-.8.8H4.3a.8.8 0 0 1-.8-.8z" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinejoin="round" />
          </svg>
          {t('lead.interested')}
        </button>
      ) : null}

      <CtaCard
        cta={cta}
        replay={ctaMode === 'replay'}
        vehicle={vehicle.name}
        hidden={!closed}
        dismissed={dismissed}
        alreadySent={sentTypes}
        onOpen={openForm}
        onDismiss={setDismissed}
      />

      <div className={`lead-notices${reconnecting ? ' lead-notices-low' : ''}`} aria-live="polite">
        {closed && toast ? (
          <p className="lead-toast lead-toast-ok">{t('lead.toast.sent', { type: t(`lead.type.${toast.type}`) })}</p>
        ) : closed && pendingCount > 0 ? (
          <p className="lead-toast"><span className="lead-spinner" aria-hidden="true" />{t('lead.toast.pending', { n: pendingCount })}</p>
        ) : closed && firstRefused ? (
          <p className="lead-toast lead-toast-error">
            {t('lead.error.refused')}
            <button type="button" className="btn btn-small" onClick={() => fixRefused(firstRefused.entry.id)}>{t('lead.status.fix')}</button>
          </p>
        ) : null}
      </div>

      {!closed ? (
        <section
          id="lead-sheet"
          className={`sheet lead-sheet lead-sheet-${view.kind}`}
          role="dialog"
          aria-labelledby="lead-sheet-title"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
        >
          <header className="sheet-head">
            {view.kind === 'form' ? (
              <button type="button" className="sheet-close lead-back" aria-label={t('lead.back')} onClick={() => open({ kind: 'menu' })}>
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M10 3 5 8l5 5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" /></svg>
              </button>
            ) : null}
            <h2 id="lead-sheet-title" ref={heading} tabIndex={-1}>{title}</h2>
            <button type="button" className="sheet-close" aria-label={t('lead.close')} onClick={close}>
              <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M3 3l10 10M13 3L3 13" stroke="currentColor" strokeWidth="2" strokeLinecap="round" /></svg>
            </button>
          </header>
          <div className="sheet-body">
            {view.kind === 'menu' ? (
              <>
                <RequestChoices hints onPick={openForm} sentTypes={sentTypes} />
                <MyRequests
                  pending={snapshot.pending.map((e) => ({ id: e.id, type: e.payload.type }))}
                  sent={snapshot.sent.slice(-RECENT).reverse()}
                  refused={snapshot.refused}
                  onFix={fixRefused}
                  onDismiss={(id) => outbox?.dismiss(id)}
                />
              </>
            ) : null}
            {view.kind === 'form' && outbox ? (
              <>
                <p className="lead-form-vehicle"><LeadIcon type={view.type} size={18} /> {vehicle.name}</p>
                <LeadForm
                  key={`${view.type}-${view.retry?.entry.id ?? view.resume?.id ?? ''}`}
                  code={state.event.code}
                  eventId={state.event.id}
                  type={view.type}
                  vehicle={vehicle}
                  presentedVariant={state.presentation.variant}
                  outbox={outbox}
                  {...(view.retry ? { retry: view.retry } : {})}
                  {...(view.resume ? { resume: view.resume } : {})}
                  onSent={(id) => open({ kind: 'done', id })}
                />
              </>
            ) : null}
            {view.kind === 'done' ? (
              <div className="lead-done" data-testid="lead-done">
                <span className="lead-done-check" aria-hidden="true">
                  <svg viewBox="0 0 24 24" width="30" height="30"><path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" /></svg>
                </span>
                <p className="lead-done-status" role="status">{receipt?.dealerName ? t('lead.status.sentTo', { dealer: receipt.dealerName }) : t('lead.status.sent')}</p>
                <p className="lead-done-next">{receipt?.dealerName ? t('lead.done.dealer', { dealer: receipt.dealerName }) : t('lead.done.noDealer')}</p>
                <div className="lead-done-actions">
                  <button type="button" className="btn btn-primary btn-block" onClick={close}>{t(state.event.status === 'live' ? 'lead.done.back' : 'lead.done.close')}</button>
                  <button type="button" className="btn btn-ghost btn-block" onClick={() => open({ kind: 'menu' })}>{t('lead.done.another')}</button>
                </div>
              </div>
            ) : null}
          </div>
        </section>
      ) : null}
    </>
  );
}

function MyRequests({
  pending,
  sent,
  refused,
  onFix,
  onDismiss,
}: {
  pending: { id: string; type: LeadType }[];
  sent: readonly SentReceipt[];
  refused: LeadOutbox['snapshot']['refused'];
  onFix: (id: string) => void;
  /** The viewer gives up on a refused request: only then is it forgotten on the device. */
  onDismiss: (id: string) => void;
}) {
  const { t } = useI18n();
  if (pending.length + sent.length + refused.length === 0) return null;
  return (
    <section className="lead-mine" aria-labelledby="lead-mine-title">
      <h3 id="lead-mine-title">{t('lead.mine')}</h3>
      <ul>
        {refused.map((r) => (
          <li key={r.entry.id} className="lead-mine-item lead-mine-refused">
            <LeadIcon type={r.entry.payload.type} size={18} />
            <span className="lead-mine-type">{t(`lead.type.${r.entry.payload.type}`)}</span>
            <span className="lead-mine-status">{t('lead.status.refused')}</span>
            <span className="lead-mine-actions">
              <button type="button" className="btn btn-small" onClick={() => onFix(r.entry.id)}>{t('lead.status.fix')}</button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => onDismiss(r.entry.id)}>{t('lead.status.dismiss')}</button>
            </span>
          </li>
        ))}
        {pending.map((p) => (
          <li key={p.id} className="lead-mine-item lead-mine-pending">
            <LeadIcon type={p.type} size={18} />
            <span className="lead-mine-type">{t(`lead.type.${p.type}`)}</span>
            <span className="lead-mine-status"><span className="lead-spinner" aria-hidden="true" />{t('lead.status.pending')}</span>
          </li>
        ))}
        {sent.map((r) => (
          <li key={r.id} className="lead-mine-item lead-mine-sent">
            <LeadIcon type={r.type} size={18} />
            <span className="lead-mine-type">{t(`lead.type.${r.type}`)}</span>
            <span className="lead-mine-status">{r.dealerName ? t('lead.status.sentTo', { dealer: r.dealerName }) : t('lead.status.sent')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
