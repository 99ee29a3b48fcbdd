import { useEffect, useState } from 'react';
import type { EventStatus } from '../../../shared/event.js';
import { useI18n } from '../../i18n/i18n.js';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label={`${t('common.copy')} — ${label}`}
      onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false))}
    >
      {copied ? `✓ ${t('common.copied')}` : t('common.copy')}
    </button>
  );
}

/** A well-kept QR library (node-qrcode), loaded only on the pages that show one. */
export function QrCode({ url, size = 240, label }: { url: string; size?: number; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((QR) =>
      QR.toDataURL(url, { margin: 1, width: size * 2, errorCorrectionLevel: 'M', color: { dark: '#0b0d12', light: '#ffffff' } }).then((d) => live && setSrc(d)),
    );
    return () => {
      live = false;
    };
  }, [url, size]);
  return (
    <div className="qr" style={{ width: size, height: size }}>
      {src ? <img src={src} width={size} height={size} alt={label} data-testid="qr" /> : null}
    </div>
  );
}

export function StatusBadge({ status }: { status: EventStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status}`} data-testid="status">{status === 'live' ? <span className="dot" aria-hidden="true" /> : null}{t(`status.${status}`)}</span>;
}

export function LinkRow({ label, url }: { label: string; url: string }) {
  return (
    <div className="link-row">
      <span className="link-label">{label}</span>
      <code className="link-url" title={url}>{url}</code>
      <CopyButton text={url} label={label} />
    </div>
  );
}
