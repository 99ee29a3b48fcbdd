import { useEffect, useId, useState, type FormEvent } from 'react';
import type { KeyRef, KeyView } from '../../../shared/access.js';
import { formatDateTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, eventKeys } from '../../net/api.js';
import { LinkRow } from '../common/widgets.js';
import './access.css';
import { useConfirm } from '../common/Confirm.js';

type Outcome = { kind: 'done'; text: string } | { kind: 'error'; text: string } | null;

/** `datetime-local` shows local wall time without a zone: the value for an ISO instant, and back. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(value: string): string | null {
  const d = new Date(value);
  return value && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

/**
 * The studio's "Accès" panel: every link of an event (presenter, the dealers' shared link, each
 * dealer's own), what state it is in, and the three things the studio may do to one. Each change
 * is confirmed first, since the old link stops at once, open pages included.
 */
export function AccessPanel({ eventId, token, onChanged }: { eventId: string; token: string; onChanged: (ref: KeyRef) => void }) {
  const { t, locale } = useI18n();
  const confirm = useConfirm();
  const uid = useId();
  const [keys, setKeys] = useState<KeyView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  /** The link a rotation just made, shown until another change. */
  const [fresh, setFresh] = useState<KeyView | null>(null);
  const [dating, setDating] = useState<KeyRef | null>(null);
  const [busy, setBusy] = useState<KeyRef | null>(null);

  useEffect(() => {
    let live = true;
    eventKeys.list(eventId, token).then(
      (r) => live && setKeys(r.keys),
      (err: unknown) => live && setLoadError(t(err instanceof ApiError ? errorKey(err.code) : 'error.internal')),
    );
    return () => {
      live = false;
    };
  }, [eventId, token, t]);

  const labelOf = (k: KeyView) => (k.ref === 'host' ? t('access.ref.host') : k.ref === 'dealer' ? t('access.ref.dealer') : t('access.ref.own', { name: k.name ?? k.ref }));

  /** One change: the row shows the key's new state; an error says why; nothing else moves. */
  async function apply(k: KeyView, run: () => Promise<{ key: KeyView }>): Promise<KeyView | null> {
    setOutcome(null);
    setFresh(null);
    setBusy(k.ref);
    try {
      const { key: next } = await run();
      setKeys((cur) => (cur ?? []).map((x) => (x.ref === next.ref ? next : x)));
      onChanged(next.ref);
      return next;
    } catch (err) {
      setOutcome({ kind: 'error', text: t(err instanceof ApiError ? errorKey(err.code) : 'error.internal') });
      return null;
    } finally {
      setBusy(null);
    }
  }

  async function rotate(k: KeyView) {
    if (!(await confirm({ message: t('access.confirmRotate', { label: labelOf(k) }), action: t('access.rotate'), danger: true }))) return;
    const next = await apply(k, () => eventKeys.rotate(eventId, token, k.ref));
    if (next) setFresh(next);
  }

  async function revoke(k: KeyView) {
    if (!(await confirm({ message: t('access.confirmRevoke', { label: labelOf(k) }), action: t('access.revoke'), danger: true }))) return;
    if (await apply(k, () => eventKeys.revoke(eventId, token, k.ref))) setOutcome({ kind: 'done', text: t('access.revokedDone', { label: labelOf(k) }) });
  }

  async function date(k: KeyView, expiresAt: string | null) {
    if (expiresAt) {
      const past = Date.parse(expiresAt) <= Date.now();
      const message = past ? t('access.confirmExpiryPast', { label: labelOf(k) }) : t('access.confirmExpiry', { label: labelOf(k), date: formatDateTime(expiresAt, locale) });
      if (!(await confirm({ message, action: t('common.confirm'), danger: past }))) return;
    }
    if (!(await apply(k, () => eventKeys.setExpiry(eventId, token, k.ref, expiresAt)))) return;
    setOutcome({ kind: 'done', text: t(expiresAt ? 'access.expirySaved' : 'access.expiryCleared', { label: labelOf(k) }) });
    setDating(null);
  }

  return (
    <section className="manage-block" aria-labelledby={`${uid}-title`}>
      <div className="manage-block-head">
        <h3 id={`${uid}-title`}>{t('access.title')}</h3>
      </div>
      <p className="muted">{t('access.lead')}</p>
      <div aria-live="polite">
        {outcome?.kind === 'done' ? <p className="manage-ok">{outcome.text}</p> : null}
        {outcome?.kind === 'error' ? <p className="error" role="alert">{outcome.text}</p> : null}
        {fresh?.link ? (
          <div className="access-fresh" data-testid="access-fresh">
            <p>{t('access.newLink', { label: labelOf(fresh) })}</p>
            <LinkRow label={labelOf(fresh)} url={fresh.link} />
          </div>
        ) : null}
      </div>
      {loadError ? <p className="error" role="alert">{t('studio.loadFailed')} {loadError}</p> : null}
      {keys ? (
        <ul className="access-list">
          {keys.map((k) => (
            <li key={k.ref} className="access-row" data-testid="access-key" aria-label={labelOf(k)}>
              <div className="access-who">
                <strong>{labelOf(k)}</strong>
                <span className={`pill access-status access-${k.status}`}>{t(`access.status.${k.status}`)}</span>
                <span className="access-when">
                  {k.status === 'revoked' && k.revokedAt ? t('access.revokedOn', { date: formatDateTime(k.revokedAt, locale) })
                    : k.expiresAt ? t(k.status === 'expired' ? 'access.expiredOn' : 'access.expiresOn', { date: formatDateTime(k.expiresAt, locale) })
                    : t('access.noExpiry')}
                </span>
              </div>
              <div className="access-actions">
                <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void rotate(k)}>{t('access.rotate')}</button>
                <button type="button" className="btn btn-small btn-ghost" aria-expanded={dating === k.ref} disabled={busy !== null || k.status === 'revoked'} onClick={() => setDating((d) => (d === k.ref ? null : k.ref))}>
                  {t('access.expiry')}
                </button>
                <button type="button" className="btn btn-small btn-quiet" disabled={busy !== null || k.status === 'revoked'} onClick={() => void revoke(k)}>{t('access.revoke')}</button>
              </div>
              {dating === k.ref ? <ExpiryForm view={k} label={labelOf(k)} busy={busy !== null} onSubmit={(iso) => void date(k, iso)} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ExpiryForm({ view, label, busy, onSubmit }: { view: KeyView; label: string; busy: boolean; onSubmit: (iso: string | null) => void }) {
  const { t } = useI18n();
  const uid = useId();
  const [value, setValue] = useState(() => toLocalInput(view.expiresAt));
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    const iso = fromLocalInput(value);
    if (!iso) return setError(t('access.pickDate'));
    setError(null);
    onSubmit(iso);
  }
  return (
    <form className="access-expiry" onSubmit={submit}>
      <label htmlFor={`${uid}-at`}>{t('access.expiryLabel', { label })}</label>
      <input id={`${uid}-at`} type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} aria-describedby={`${uid}-error`} />
      <button className="btn btn-small btn-primary" disabled={busy}>{t('access.setExpiry')}</button>
      {view.expiresAt ? <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => onSubmit(null)}>{t('access.clearExpiry')}</button> : null}
      <p id={`${uid}-error`} className="error" role="alert">{error}</p>
    </form>
  );
}
