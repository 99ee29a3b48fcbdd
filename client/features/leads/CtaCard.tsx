import { useEffect, useRef, useState } from 'react';
import type { CtaKind } from '../../../shared/presentation.js';
import { useI18n } from '../../i18n/i18n.js';
import { LeadIcon } from './RequestChoices.js';

/** Matches the slide-away animation in leads.css. */
const LEAVE_MS = 260;

/**
 * The presenter's call to action, pushed live: it slides up on every screen, opens the
 * matching form, can be dismissed, and slides away when the presenter takes it back.
 * `hidden` (the lead sheet is open) keeps it mounted, so focus can come back to its button.
 */
export function CtaCard({
  cta,
  replay,
  vehicle,
  hidden,
  dismissed,
  alreadySent,
  onOpen,
  onDismiss,
}: {
  cta: CtaKind | null;
  /** In the replay: offered during the launch, not live now. */
  replay: boolean;
  vehicle: string;
  hidden: boolean;
  /** The call to action this viewer closed (until the presenter takes it back). */
  dismissed: CtaKind | null;
  alreadySent: readonly CtaKind[];
  onOpen: (kind: CtaKind) => void;
  onDismiss: (kind: CtaKind) => void;
}) {
  const { t } = useI18n();
  /** What is on screen: the last call to action, kept a moment while it slides away. */
  const [shown, setShown] = useState<{ kind: CtaKind; leaving: boolean } | null>(cta ? { kind: cta, leaving: false } : null);

  useEffect(() => {
    if (cta) {
      setShown({ kind: cta, leaving: false });
      return;
    }
    setShown((cur) => (cur ? { ...cur, leaving: true } : null));
    const timer = setTimeout(() => setShown(null), LEAVE_MS);
    return () => clearTimeout(timer);
  }, [cta]);

  const card = useRef<HTMLElement>(null);
  const onScreen = shown !== null && shown.kind !== dismissed;
  useStageClearance(card, onScreen);

  if (!shown || shown.kind === dismissed) return null;
  const kind = shown.kind;
  const sent = alreadySent.includes(kind);
  return (
    <aside ref={card} className={`lead-cta${shown.leaving ? ' lead-cta-leaving' : ''}`} aria-labelledby="lead-cta-title" hidden={hidden} data-testid="lead-cta">
      <span className="lead-cta-icon"><LeadIcon type={kind} size={26} /></span>
      <div className="lead-cta-body">
        <p className="lead-cta-eyebrow">{replay ? null : <span className="lead-cta-dot" aria-hidden="true" />}{t(replay ? 'lead.cta.eyebrowReplay' : 'lead.cta.eyebrow')}</p>
        <h2 id="lead-cta-title" className="lead-cta-title">{t(`lead.cta.title.${kind}`)}</h2>
        {sent ? (
          // Done: the card steps back to a confirmation rather than inviting the same request again.
          <p className="lead-cta-sent" role="status">{t('lead.cta.already')}</p>
        ) : (
          <>
            <p className="lead-cta-text">{t(`lead.cta.body.${kind}`, { vehicle })}</p>
            <button type="button" className="btn btn-primary lead-cta-action" onClick={() => onOpen(kind)} disabled={shown.leaving}>
              {t(`lead.formTitle.${kind}`)}
            </button>
          </>
        )}
      </div>
      <button
        type="button"
        className="sheet-close lead-cta-close"
        aria-label={t('lead.cta.dismiss')}
        onClick={() => onDismiss(kind)}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M3 3l10 10M13 3L3 13" stroke="currentColor" strokeWidth="2" strokeLinecap="round" /></svg>
      </button>
    </aside>
  );
}

/**
 * How much of the stage's bottom the card takes (`--lead-cta-clear` on `.page-stage`), so what
 * sits above it on a phone (a hotspot card folded to its title) clears it whatever its height.
 */
function useStageClearance(card: React.RefObject<HTMLElement | null>, onScreen: boolean): void {
  useEffect(() => {
    const el = card.current;
    const stage = el?.closest<HTMLElement>('.page-stage');
    if (!el || !stage || !onScreen) return;
    const measure = () => stage.style.setProperty('--lead-cta-clear', `${Math.max(0, Math.round(stage.getBoundingClientRect().bottom - el.getBoundingClientRect().top))}px`);
    measure();
    // Sizes change the room it takes; its slide-up (a transform) moves it without resizing anything.
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    observer.observe(stage);
    el.addEventListener('animationend', measure);
    return () => {
      observer.disconnect();
      el.removeEventListener('animationend', measure);
      stage.style.removeProperty('--lead-cta-clear');
    };
  }, [card, onScreen]);
}
