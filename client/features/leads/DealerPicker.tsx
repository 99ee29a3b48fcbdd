import { useEffect, useId, useRef, useState } from 'react';
import type { DealerPublic } from '../../../shared/lead.js';
import { formatKm } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { eventDealers, type DealerDirectory, type DealerOrigin } from '../../net/api.js';
import { POSTCODE_RE } from './leadForm.js';

/** Typing pauses this long before the list follows the postcode. */
const POSTCODE_DEBOUNCE_MS = 400;
/** Dealers shown before "show all": the nearest few are what people choose from. */
const SHORT_LIST = 4;
const GEO_OPTIONS: PositionOptions = { enableHighAccuracy: false, timeout: 10_000, maximumAge: 10 * 60_000 };

/** Why the choice changed: the viewer picked, or the chosen dealer is no longer in the directory. */
export type DealerChange = 'picked' | 'gone';

type Near = { kind: 'none' } | { kind: 'postcode'; postcode: string } | { kind: 'position'; lat: number; lng: number };

const originOf = (near: Near): DealerOrigin =>
  near.kind === 'postcode' ? { postcode: near.postcode } : near.kind === 'position' ? { lat: near.lat, lng: near.lng } : null;

/** Geolocation exists on every phone but only answers on https:// (or localhost). */
const canLocate = () => typeof navigator !== 'undefined' && 'geolocation' in navigator && window.isSecureContext;

/**
 * The dealer choice of the lead form, nearest first (from the postcode as typed, or the
 * viewer's position on request). No directory, or an endpoint that fails: the picker is not
 * shown at all and the server routes by postcode, which is what "no preference" means anyway.
 */
export function DealerPicker({
  eventId,
  postcode,
  value,
  onChange,
  disabled,
  error,
}: {
  eventId: string;
  postcode: string;
  value: string | null;
  onChange: (dealerId: string | null, why: DealerChange) => void;
  disabled: boolean;
  error: string | null;
}) {
  const { t, locale } = useI18n();
  const ids = useId();
  const [near, setNear] = useState<Near>(() => (POSTCODE_RE.test(postcode.trim()) ? { kind: 'postcode', postcode: postcode.trim() } : { kind: 'none' }));
  const [directory, setDirectory] = useState<DealerDirectory | null>(null);
  const [hidden, setHidden] = useState(false);
  const [loading, setLoading] = useState(true);
  const [expanded, setExpanded] = useState(false);
  const [geo, setGeo] = useState<{ busy: boolean; problem: MessageKey | null }>({ busy: false, problem: null });
  const everShown = useRef(false);
  /** Bumped when the server refused the chosen dealer: the list is stale, fetch it again. */
  const [reload, setReload] = useState(0);
  useEffect(() => {
    if (error) setReload((n) => n + 1);
  }, [error]);

  // The list follows the postcode once it has 5 digits, after a pause in the typing.
  useEffect(() => {
    const pc = postcode.trim();
    if (!POSTCODE_RE.test(pc)) return;
    const timer = setTimeout(() => setNear((cur) => (cur.kind === 'postcode' && cur.postcode === pc ? cur : { kind: 'postcode', postcode: pc })), POSTCODE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [postcode]);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    eventDealers(eventId, originOf(near), ctrl.signal).then(
      (dir) => {
        if (ctrl.signal.aborted) return;
        setLoading(false);
        if (dir.dealers.length > 0 || everShown.current) {
          // Once shown, an emptied directory still replaces the list: only "no preference" is left.
          everShown.current = true;
          setDirectory(dir);
        } else {
          setHidden(true); // the event has no dealers
        }
      },
      () => {
        if (ctrl.signal.aborted) return;
        setLoading(false);
        // A list already shown stays; none yet (no endpoint, no network): no picker.
        if (!everShown.current) setHidden(true);
      },
    );
    return () => ctrl.abort();
  }, [eventId, near, reload]);

  // A picker that disappears must not leave a choice behind; nor a dealer the reloaded list
  // no longer has (deleted meanwhile: the server refused it), which no radio would show checked
  // and which a new try would send again. Back to "no preference".
  const listed = directory?.dealers;
  useEffect(() => {
    if (value && (hidden || (listed && !loading && !listed.some((d) => d.id === value)))) onChange(null, 'gone');
  }, [hidden, listed, loading, value, onChange]);

  if (hidden) return null;

  const locate = () => {
    setGeo({ busy: true, problem: null });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setGeo({ busy: false, problem: null });
        setNear({ kind: 'position', lat: pos.coords.latitude, lng: pos.coords.longitude });
      },
      (err) => setGeo({ busy: false, problem: err.code === err.PERMISSION_DENIED ? 'lead.dealer.denied' : 'lead.dealer.unavailable' }),
      GEO_OPTIONS,
    );
  };

  const dealers = directory?.dealers ?? [];
  let shown = expanded ? dealers : dealers.slice(0, SHORT_LIST);
  // The chosen dealer stays in view when a new origin pushes it out of the short list.
  const selected = value ? dealers.find((d) => d.id === value) : undefined;
  if (selected && !shown.some((d) => d.id === selected.id)) shown = [...shown, selected];
  const origin = directory?.origin;
  const caption = !directory
    ? t('lead.dealer.loading')
    : origin?.from === 'position'
      ? t('lead.dealer.fromPosition')
      : origin?.from === 'postcode' && near.kind === 'postcode'
        ? t('lead.dealer.fromPostcode', { postcode: near.postcode })
        : t('lead.dealer.byName');

  const pick = (d: DealerPublic | null) => onChange(d?.id ?? null, 'picked');

  return (
    <fieldset className="lead-dealers" aria-describedby={`${ids}-caption${error ? ` ${ids}-error` : ''}`} aria-busy={loading} disabled={disabled}>
      <legend>
        {t('lead.dealer.legend')} <span className="lead-optional">{t('lead.optional')}</span>
      </legend>
      <div className="lead-dealers-head">
        <p id={`${ids}-caption`} className="lead-dealers-caption" aria-live="polite">{caption}</p>
        {canLocate() ? (
          <button type="button" className="btn btn-small lead-near-me" onClick={locate} disabled={geo.busy}>
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path d="M12 2v3M12 19v3M2 12h3M19 12h3" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              <circle cx="12" cy="12" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
              <circle cx="12" cy="12" r="2" fill="currentColor" />
            </svg>
            {geo.busy ? t('lead.dealer.locating') : t('lead.dealer.nearMe')}
          </button>
        ) : null}
      </div>
      {geo.problem ? <p className="hint lead-geo-problem" role="status">{t(geo.problem)}</p> : null}
      {error ? <p id={`${ids}-error`} className="error lead-field-error">{error}</p> : null}
      <div className="lead-dealer-list">
        <label className="lead-dealer">
          <input type="radio" name={`${ids}-dealer`} checked={value === null} onChange={() => pick(null)} />
          <span className="lead-dealer-text">
            <span className="lead-dealer-name">{t('lead.dealer.noPreference')}</span>
            <span className="lead-dealer-where">{t(POSTCODE_RE.test(postcode.trim()) ? 'lead.dealer.noPreferenceHint' : 'lead.dealer.noPreferenceHintNoPostcode')}</span>
          </span>
        </label>
        {shown.map((d) => (
          <label key={d.id} className="lead-dealer">
            <input type="radio" name={`${ids}-dealer`} value={d.id} checked={value === d.id} onChange={() => pick(d)} />
            <span className="lead-dealer-text">
              <span className="lead-dealer-name">{d.name}</span>
              <span className="lead-dealer-where">{[d.address, `${d.postcode} ${d.city}`].filter(Boolean).join(', ')}</span>
            </span>
            {d.distanceKm !== undefined ? <span className="lead-dealer-km">{formatKm(d.distanceKm, locale)}</span> : null}
          </label>
        ))}
      </div>
      {dealers.length > SHORT_LIST ? (
        <button type="button" className="lead-link-btn" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
          {expanded ? t('lead.dealer.showFewer') : t('lead.dealer.showAll', { n: dealers.length })}
        </button>
      ) : null}
      {/* GeoNames (CC BY 4.0) asks for credit wherever results drawn from it are shown. */}
      {dealers.some((d) => d.distanceKm !== undefined) ? <p className="hint lead-dealers-credit">{t('lead.dealer.credit')}</p> : null}
    </fieldset>
  );
}
