import { useEffect, useState, type CSSProperties } from 'react';
import type { PosterView } from '../../../shared/media.js';
import { Loading } from '../../App.js';
import { formatDateTime } from '../../i18n/format.js';
import { LanguageSwitch, useI18n } from '../../i18n/i18n.js';
import { ApiError } from '../../net/api.js';
import { Logo } from '../common/Brand.js';
import { BrandMark, hasBrandMark } from './BrandMark.js';
import { brandApi } from './brandApi.js';
import { brandPalette } from './colour.js';
import './poster.css';

/**
 * `/e/:code/poster`: the A4 poster a dealer puts in the showroom window. Brand, launch, date,
 * a big QR code to the viewer page, and the code and address for those who type. Printing (or
 * "Save as PDF") gives exactly one A4 page: see poster.css.
 */
export default function PosterPage({ code }: { code: string }) {
  const { t } = useI18n();
  const [view, setView] = useState<PosterView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    brandApi.poster(code).then(setView, (err: unknown) => setFailure(err instanceof ApiError && err.status === 404 ? t('viewer.notFound') : t('error.network')));
  }, [code, t]);
  useEffect(() => {
    if (!view) return;
    const before = document.title;
    // The PDF a browser saves is named after the page title.
    document.title = t('poster.docTitle', { title: view.event.title });
    return () => {
      document.title = before;
    };
  }, [view, t]);

  if (failure) {
    return (
      <main className="center-page">
        <p className="error" role="alert">{failure}</p>
        <a className="btn" href="/">{t('join.title')}</a>
      </main>
    );
  }
  if (!view) return <Loading />;
  return (
    <div className="poster-page">
      <div className="poster-toolbar" role="toolbar" aria-label={t('poster.toolbar')}>
        <button type="button" className="btn btn-primary" onClick={() => window.print()} data-testid="poster-print">
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M7 9V3h10v6M7 17H4v-7h16v7h-3M7 14h10v7H7z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" /></svg>
          {t('poster.print')}
        </button>
        <p className="hint">{t('poster.printHint')}</p>
        <LanguageSwitch />
      </div>
      <Poster view={view} />
    </div>
  );
}

function Poster({ view }: { view: PosterView }) {
  const { t, locale } = useI18n();
  const { event, vehicle, viewerUrl } = view;
  const { vars, tone } = brandPalette(event.brand.accent, event.brand.background);
  // After the launch, when it took place (the replay is what the poster offers then), not the date once planned.
  const date =
    event.status === 'ended' && event.endedAt
      ? t('poster.heldOn', { date: formatDateTime(event.startedAt ?? event.endedAt, locale) })
      : event.startsAt
        ? capitalise(formatDateTime(event.startsAt, locale))
        : t('poster.dateTbc');
  const address = viewerUrl.replace(/^https?:\/\//, '');
  return (
    <article className={`poster poster-${tone}`} style={vars as CSSProperties} data-testid="poster">
      <header className="poster-head">
        {hasBrandMark(event.brand) ? <BrandMark brand={event.brand} size="poster" /> : <span className="poster-vitrine"><Logo /></span>}
      </header>
      <div className="poster-main">
        <p className="poster-eyebrow">{event.status === 'live' ? t('poster.live') : event.status === 'ended' ? t('poster.ended') : t('brand.previewEyebrow')}</p>
        <h1 className="poster-title">{event.title}</h1>
        {vehicle.name && vehicle.name !== event.title ? <p className="poster-vehicle">{vehicle.name}</p> : null}
        <p className="poster-date">{date}</p>
      </div>
      <div className="poster-qr-block">
        <VectorQr url={viewerUrl} label={t('poster.qr', { code: event.code })} />
        <p className="poster-scan">{t(event.status === 'ended' ? 'poster.scanReplay' : 'poster.scan')}</p>
      </div>
      <footer className="poster-foot">
        <div className="poster-code">
          <span className="poster-code-label">{t('poster.code')}</span>
          <span className="poster-code-value" data-testid="poster-code">{event.code}</span>
        </div>
        <div className="poster-url">
          <span className="poster-code-label">{t('poster.orVisit')}</span>
          <span className="poster-url-value">{address}</span>
        </div>
      </footer>
      {hasBrandMark(event.brand) ? <span className="poster-powered"><Logo small /></span> : null}
    </article>
  );
}

/** The QR code as SVG: sharp at any print size, unlike a bitmap scaled up. Dark on white, always. */
function VectorQr({ url, label }: { url: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((QR) =>
      QR.toString(url, { type: 'svg', margin: 0, errorCorrectionLevel: 'M', color: { dark: '#0b0d12', light: '#ffffff' } }).then(
        (svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      ),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return <div className="poster-qr">{src ? <img src={src} alt={label} data-testid="poster-qr" /> : null}</div>;
}

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}
