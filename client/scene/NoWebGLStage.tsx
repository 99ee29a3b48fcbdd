import { useState } from 'react';
import type { PaintVariant, Vehicle } from '../../shared/vehicle.js';
import { useI18n } from '../i18n/i18n.js';
import './poster.css';

/**
 * The stage for a browser that cannot draw 3D (no WebGL): the vehicle's poster, rendered when
 * the model was prepared, full-bleed behind the page like the 3D stage. The picture shows one
 * paint; the swatch says which paint the presenter has on show now. No three.js in here: this
 * is what an old or locked-down device downloads instead of the 3D chunk.
 */
export function NoWebGLStage({ vehicle, paint }: { vehicle: Vehicle; paint: PaintVariant | null }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState<string | null>(null);
  const src = vehicle.posterUrl && failed !== vehicle.posterUrl ? vehicle.posterUrl : null;
  const alt = paint ? t('poster.alt', { vehicle: vehicle.name, paint: paint.name }) : vehicle.name;
  return (
    <div className="stage stage-poster" data-testid="stage-poster" data-poster={src ? 'shown' : 'none'}>
      {src ? (
        <img className="stage-poster-image" src={src} alt={alt} decoding="async" onError={() => setFailed(src)} />
      ) : (
        <div className="stage-poster-empty" role="img" aria-label={alt}>
          <svg viewBox="0 0 120 48" width="120" height="48" aria-hidden="true">
            <path d="M8 34c0-5 3-8 9-9l14-3 14-10c3-2 6-3 10-3h20c5 0 9 2 13 5l9 8 12 2c5 1 8 4 8 9v4H8z" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinejoin="round" />
            <circle cx="32" cy="38" r="7" fill="var(--bg)" stroke="currentColor" strokeWidth="2.5" />
            <circle cx="90" cy="38" r="7" fill="var(--bg)" stroke="currentColor" strokeWidth="2.5" />
          </svg>
          <p>{vehicle.name}</p>
          <p className="stage-poster-soon">{t('poster.none')}</p>
        </div>
      )}
      <div className="stage-poster-notes">
        <p className="stage-poster-note">{t('poster.note')}</p>
        {paint ? (
          <p className="stage-poster-paint" data-testid="poster-paint">
            <span className="stage-poster-swatch" style={{ background: paint.color }} aria-hidden="true" />
            {t('poster.paint', { paint: paint.name })}
          </p>
        ) : null}
      </div>
    </div>
  );
}
