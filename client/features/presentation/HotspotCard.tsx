import './presentation.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LeadType } from '../../../shared/lead.js';
import type { Hotspot } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import type { LeadSheet } from '../leads/useLeads.js';
import type { HotspotCardState } from './useHotspotCard.js';

/**
 * A hotspot's card over the stage: its title, text, picture and, when it has one, its call
 * to action (which opens that request's form). Escape closes it.
 */
export function HotspotCard({ hotspot, byPresenter, onClose, onCta }: { hotspot: Hotspot; byPresenter: boolean; onClose: () => void; onCta?: (type: LeadType) => void }) {
  const { t } = useI18n();
  const closeButton = useRef<HTMLButtonElement>(null);
  const section = useRef<HTMLElement>(null);
  // Closed from inside (its button, Escape), the focus goes back to the hotspot's marker, or the
  // stage: it fell to the page's body, and a keyboard user started over from the top.
  const close = useCallback(() => {
    const inside = section.current?.contains(document.activeElement) ?? false;
    onClose();
    if (!inside) return;
    requestAnimationFrame(() => {
      const marker = document.querySelector<HTMLElement>(`.hotspot-marker[data-hotspot="${CSS.escape(hotspot.id)}"]`);
      const back = marker && marker.dataset.visible !== 'false' ? marker : document.querySelector<HTMLElement>('[data-testid="stage"]');
      back?.focus();
    });
  }, [onClose, hotspot.id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);
  // A tap moves focus into the card; the presenter's focus must not steal a typing viewer's.
  useEffect(() => {
    if (!byPresenter) closeButton.current?.focus();
  }, [hotspot.id, byPresenter]);
  // On a phone with the presenter's call to action on screen, a card the presenter opened folds
  // to its title above it (leads.css), so both stay in view; the viewer unfolds it. A card the
  // viewer opened themselves starts unfolded (the call to action then steps aside).
  const [unfolded, setUnfolded] = useState<string | null>(null);
  const expanded = !byPresenter || unfolded === hotspot.id;
  const titleId = `hotspot-${hotspot.id}-title`;
  return (
    <section ref={section} className={`hotspot-card${expanded ? ' hotspot-card-expanded' : ''}`} role="dialog" aria-labelledby={titleId} data-testid="hotspot-card" data-hotspot={hotspot.id}>
      {hotspot.image ? <img className="hotspot-card-image" src={hotspot.image} alt="" /> : null}
      <div className="hotspot-card-body">
        {byPresenter ? <p className="eyebrow">{t('hotspot.presenterShows')}</p> : null}
        <h2 id={titleId}>{hotspot.title}</h2>
        {hotspot.text ? <p className="hotspot-card-text">{hotspot.text}</p> : null}
        {/* Shown only while the card is folded (CSS). */}
        <button type="button" className="btn btn-small hotspot-card-unfold" onClick={() => {
            setUnfolded(hotspot.id);
            requestAnimationFrame(() => closeButton.current?.focus());
          }}>
          {t('hotspot.unfold')}
        </button>
        {hotspot.cta && onCta ? (
          <button type="button" className="btn btn-primary btn-block" onClick={() => onCta(hotspot.cta!)}>
            {t(`lead.type.${hotspot.cta}`)}
          </button>
        ) : null}
      </div>
      <button ref={closeButton} type="button" className="hotspot-card-close" aria-label={t('hotspot.close')} onClick={close}>
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M3.5 3.5l9 9m0-9-9 9" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" /></svg>
      </button>
    </section>
  );
}

/** A viewer's card (live or replay): its call to action opens that request's form in the lead sheet. */
export function ViewerHotspotCard({ card, sheet }: { card: HotspotCardState; sheet: LeadSheet }) {
  if (!card.open) return null;
  return (
    <HotspotCard
      hotspot={card.open}
      byPresenter={card.byPresenter}
      onClose={card.close}
      onCta={(type) => {
        card.close();
        sheet.open({ kind: 'form', type });
      }}
    />
  );
}
