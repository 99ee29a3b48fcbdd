import { useEffect, useRef, useState } from 'react';
import { slugify, type PaintVariant, type Vehicle } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { arSessionInit, detectArMode, type ArMode } from '../../scene/ar/support.js';
import '../../scene/ar/ar.css';

type Phase = 'idle' | 'preparing' | 'session';

/** Quick Look wants a file extension and an image inside the link; nothing else is shown. */
const BLANK_GIF = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';

/** A USDZ already made for this vehicle and paint: a second tap opens it at once, within the tap. */
interface Prepared {
  key: string;
  url: string;
  bytes: number;
}

/** What the person is told when AR does not open. */
function reasonKey(err: unknown): MessageKey {
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotSupportedError') return 'ar.failedUnsupported';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'ar.failedDenied';
  if (name === 'VehicleLoadError' || name === 'UsdzExportError') return 'ar.failedModel';
  return 'ar.failedOther';
}

const paintKey = (vehicle: Vehicle, variant: PaintVariant | null) => JSON.stringify([vehicle.modelUrl, vehicle.bodyMaterials, variant]);

/**
 * "Voir chez moi": the vehicle at real size in the person's own space, with the paint on
 * stage. WebXR immersive-ar where the browser has it (Android), AR Quick Look with a USDZ made
 * here from the same model (iPhone, iPad), nothing elsewhere. All the 3D code is loaded on the
 * tap, never with the page.
 */
export function ArButton({ vehicle, variant }: { vehicle: Vehicle; variant: PaintVariant | null }) {
  const { t } = useI18n();
  /** undefined while asking the browser; null: no AR here. */
  const [mode, setMode] = useState<ArMode | null | undefined>(undefined);
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<MessageKey | null>(null);
  const link = useRef<HTMLAnchorElement>(null);
  const prepared = useRef<Prepared | null>(null);

  useEffect(() => {
    let live = true;
    void detectArMode().then((m) => live && setMode(m));
    return () => {
      live = false;
      if (prepared.current) URL.revokeObjectURL(prepared.current.url);
    };
  }, []);

  if (mode === undefined) return null;
  // Nothing to show, but the answer is known (tests wait for it rather than for time to pass).
  if (mode === null) return <span hidden data-testid="ar" data-ar-mode="none" />;

  const fail = (err: unknown) => {
    console.warn('AR did not open', err);
    setError(reasonKey(err));
    setPhase('idle');
  };

  /** Opens Quick Look: the link must be a real `<a rel="ar">` with an image, clicked by us. */
  const openQuickLook = (usdz: Prepared) => {
    const a = link.current;
    if (!a) return;
    a.href = `${usdz.url}#allowsContentScaling=0`; // real size: no pinch-to-scale in Quick Look
    a.dataset.usdzBytes = String(usdz.bytes);
    a.click();
  };

  const quickLook = async () => {
    const key = paintKey(vehicle, variant);
    if (prepared.current?.key === key) return openQuickLook(prepared.current);
    setPhase('preparing');
    try {
      const { exportUsdz } = await import('../../scene/ar/quickLook.js');
      const blob = await exportUsdz(vehicle, variant);
      if (prepared.current) URL.revokeObjectURL(prepared.current.url);
      prepared.current = { key, url: URL.createObjectURL(blob), bytes: blob.size };
      setPhase('idle');
      openQuickLook(prepared.current);
    } catch (err) {
      fail(err);
    }
  };

  const immersive = () => {
    const xr = navigator.xr;
    if (!xr) return fail(new DOMException('no navigator.xr', 'NotSupportedError'));
    // The session must be asked for within the tap itself: before any await.
    const overlay = document.createElement('div');
    overlay.className = 'ar-overlay';
    document.body.append(overlay);
    const request = xr.requestSession('immersive-ar', arSessionInit(overlay));
    setPhase('preparing');
    void Promise.all([request, import('../../scene/ar/webxr.js'), import('../../scene/ar/vehicleObject.js')]).then(
      ([session, { runArSession }, { buildVehicleObject }]) => {
        setPhase('session');
        return runArSession(session, {
          overlay,
          texts: { close: t('ar.close'), preparing: t('ar.preparing'), scan: t('ar.scan'), place: t('ar.place'), placed: t('ar.placed') },
          car: (renderer) => buildVehicleObject(vehicle, variant, renderer),
          onEnd: (err) => (err ? fail(err) : setPhase('idle')),
        });
      },
      (err: unknown) => {
        overlay.remove();
        fail(err);
      },
    );
  };

  const onClick = () => {
    setError(null);
    if (phase !== 'idle') return;
    if (mode === 'webxr') immersive();
    else void quickLook();
  };

  const busy = phase !== 'idle';
  return (
    <div className="ar" data-testid="ar" data-ar-mode={mode}>
      <button type="button" className="btn ar-button" onClick={onClick} aria-busy={busy} aria-describedby="ar-hint" data-testid="ar-button">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" strokeLinecap="round">
          <path d="M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3" />
          <path d="M12 7.5 16 9.7v4.6L12 16.5 8 14.3V9.7zM8 9.7l4 2.2 4-2.2M12 11.9v4.6" />
        </svg>
        <span>{phase === 'preparing' ? t('ar.preparing') : t('ar.button')}</span>
      </button>
      <span id="ar-hint" className="visually-hidden">
        {t('ar.buttonHint')}
      </span>
      {mode === 'quicklook' ? (
        // What AR Quick Look opens: a rel="ar" link whose first child is an image.
        <a ref={link} rel="ar" className="ar-quicklook-link" download={`${slugify(vehicle.name, 'vehicule')}.usdz`} data-testid="ar-quicklook" tabIndex={-1} aria-hidden="true">
          <img src={BLANK_GIF} alt="" width={1} height={1} />
        </a>
      ) : null}
      {error ? (
        <div className="ar-error" role="alert">
          <span>{t('ar.failed', { reason: t(error) })}</span>
          <button type="button" className="ar-error-close" onClick={() => setError(null)} aria-label={t('ar.dismiss')}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
