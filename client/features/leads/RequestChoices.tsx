import { LEAD_TYPES, type LeadType } from '../../../shared/lead.js';
import { useI18n } from '../../i18n/i18n.js';

const stroke = { fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

/** One line-drawn icon per request, in the weight of the rest of the interface. */
export function LeadIcon({ type, size = 22 }: { type: LeadType; size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" className="lead-icon">
      {type === 'test_drive' ? (
        <>
          <circle cx="12" cy="12" r="8.5" {...stroke} />
          <circle cx="12" cy="12" r="2.2" {...stroke} />
          <path d="M3.8 10.5c2.6-.9 5.3-1.3 8.2-1.3s5.6.4 8.2 1.3M10.2 13.8 8 20M13.8 13.8 16 20" {...stroke} />
        </>
      ) : null}
      {type === 'quote' ? (
        <>
          <path d="M6 3h8.5L19 7.5V20a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z" {...stroke} />
          <path d="M14 3v5h5M14.5 12.2a3.2 3.2 0 1 0 0 4.6M8.6 13.6h4.4M8.6 15.4h4.4" {...stroke} />
        </>
      ) : null}
      {type === 'brochure' ? (
        <path d="M12 6.5C10 5 7.3 4.5 3.5 4.8v13.4c3.8-.3 6.5.2 8.5 1.8 2-1.6 4.7-2.1 8.5-1.8V4.8C16.7 4.5 14 5 12 6.5zM12 6.5V20" {...stroke} />
      ) : null}
      {type === 'callback' ? (
        <path d="M5.2 3.8h3.1l1.6 4.1-2 1.3a11 11 0 0 0 6.9 6.9l1.3-2 4.1 1.6v3.1a1.9 1.9 0 0 1-2.1 1.9A16.5 16.5 0 0 1 3.3 5.9a1.9 1.9 0 0 1 1.9-2.1zM14.5 3.5a6 6 0 0 1 6 6M14.5 7a2.6 2.6 0 0 1 2.5 2.5" {...stroke} />
      ) : null}
    </svg>
  );
}

/**
 * The four requests a viewer can make, as a 2×2 grid: compact enough that the sheet leaves
 * the car in view on a phone. `hints` adds a line of explanation (the sheet; the waiting and
 * ended cards are short on room).
 */
export function RequestChoices({ hints, onPick, sentTypes = [] }: { hints: boolean; onPick: (type: LeadType) => void; sentTypes?: readonly LeadType[] }) {
  const { t } = useI18n();
  return (
    <ul className={`lead-choices${hints ? ' lead-choices-hints' : ''}`}>
      {LEAD_TYPES.map((type) => (
        <li key={type}>
          <button type="button" className="lead-choice" data-type={type} onClick={() => onPick(type)}>
            <span className="lead-choice-icon"><LeadIcon type={type} /></span>
            <span className="lead-choice-text">
              <span className="lead-choice-title">{t(`lead.type.${type}`)}</span>
              {sentTypes.includes(type) ? (
                <span className="lead-choice-done">{t('lead.status.sent')}</span>
              ) : hints ? (
                <span className="lead-choice-hint">{t(`lead.typeHint.${type}`)}</span>
              ) : null}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
