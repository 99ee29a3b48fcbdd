import { useEffect, useId, useState, type FormEvent } from 'react';
import type { EventCreated } from '../../../shared/event.js';
import { DEFAULT_RETENTION_MONTHS, EventSettings, type EventSettingsSaved } from '../../../shared/lead.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, eventLeadSettings } from '../../net/api.js';

/** The event's privacy notice (empty = the default one) and how long its leads are kept. */
export function PrivacySettings({ event, token }: { event: EventCreated; token: string }) {
  const { t } = useI18n();
  const uid = useId();
  const [notice, setNotice] = useState('');
  const [contact, setContact] = useState('');
  const [months, setMonths] = useState(String(DEFAULT_RETENTION_MONTHS));
  /** What the server has now: the "in force" line says which notice viewers read. */
  const [current, setCurrent] = useState<EventSettingsSaved | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    eventLeadSettings.privacy(event.code).then(
      (p) => {
        if (!live) return;
        setCurrent(p);
        setNotice(p.privacyNotice ?? '');
        setContact(p.privacyContact ?? '');
        setMonths(String(p.retentionMonths));
      },
      (err: unknown) => live && setError(`${t('studio.loadFailed')} ${t(err instanceof ApiError ? errorKey(err.code) : 'error.internal')}`),
    );
    return () => {
      live = false;
    };
  }, [event.code, t]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSavedAt(null);
    const checked = EventSettings.safeParse({ privacyNotice: notice.trim() ? notice : null, privacyContact: contact, retentionMonths: Number(months) });
    if (!checked.success) {
      const field = checked.error.issues[0]?.path[0];
      setError(t(field === 'retentionMonths' ? 'studio.privacy.retentionRule' : field === 'privacyContact' ? 'studio.privacy.contactRule' : 'studio.privacy.noticeRule'));
      return;
    }
    setBusy(true);
    try {
      const next = await eventLeadSettings.saveSettings(event.id, token, checked.data);
      setCurrent(next);
      setNotice(next.privacyNotice ?? '');
      setContact(next.privacyContact ?? '');
      setMonths(String(next.retentionMonths));
      setSavedAt(Date.now());
    } catch (err) {
      setError(t(err instanceof ApiError ? errorKey(err.code) : 'error.internal'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="manage-block" aria-labelledby={`${uid}-title`}>
      <div className="manage-block-head">
        <h3 id={`${uid}-title`}>{t('studio.privacy.title')}</h3>
        <a className="btn btn-small btn-ghost" href={`/e/${encodeURIComponent(event.code)}/privacy`} target="_blank" rel="noopener noreferrer">
          {t('studio.privacy.preview')}
        </a>
      </div>
      <p className="muted">{t('studio.privacy.lead')}</p>
      {current ? <p className="privacy-current">{t(current.privacyNotice ? 'studio.privacy.usingCustom' : 'studio.privacy.usingDefault')}</p> : null}
      <form className="privacy-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${uid}-notice`}>{t('studio.privacy.notice')}</label>
          <textarea id={`${uid}-notice`} className="privacy-notice" rows={8} value={notice} maxLength={20_000} onChange={(e) => setNotice(e.target.value)} aria-describedby={`${uid}-notice-hint`} />
          <p id={`${uid}-notice-hint`} className="hint">{t('studio.privacy.noticeHint')}</p>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-contact`}>{t('studio.privacy.contact')}</label>
          <input id={`${uid}-contact`} type="text" inputMode="email" autoComplete="off" spellCheck={false} placeholder="dpo@marque.fr" value={contact} maxLength={200} onChange={(e) => setContact(e.target.value)} aria-describedby={`${uid}-contact-hint`} />
          <p id={`${uid}-contact-hint`} className="hint">{t('studio.privacy.contactHint')}</p>
        </div>
        <div className="field privacy-months">
          <label htmlFor={`${uid}-months`}>{t('studio.privacy.retention')}</label>
          <input id={`${uid}-months`} type="number" min={1} max={120} step={1} inputMode="numeric" value={months} onChange={(e) => setMonths(e.target.value)} aria-describedby={`${uid}-months-hint`} />
          <p id={`${uid}-months-hint`} className="hint">{t('studio.privacy.retentionHint', { n: DEFAULT_RETENTION_MONTHS })}</p>
        </div>
        <div className="privacy-actions">
          <button className="btn btn-primary" disabled={busy || current === null}>{t('studio.privacy.save')}</button>
          <p className="manage-ok" aria-live="polite">{savedAt ? t('studio.privacy.saved') : null}</p>
          <p className="error" role="alert">{error}</p>
        </div>
      </form>
    </section>
  );
}
