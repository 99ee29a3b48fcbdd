import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyLoss } from '../../../shared/keyLoss.js';
import { LEAD_TYPES, type LeadType } from '../../../shared/lead.js';
import { formatNumber } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { dealerInbox, type DealerView, type LeadDownloadFormat } from '../../net/api.js';
import { useBrandTheme } from '../brand/useBrandTheme.js';
import { TopBar } from '../common/Brand.js';
import { StatusBadge } from '../common/widgets.js';
import { saveFile } from './download.js';
import { LeadTable } from './LeadTable.js';
import { downloadName, filterLeads, medianContactDelayMs, noFilters, toLeadQuery, type LeadFilters } from './leads.view.js';
import { delayLabel } from './time.js';
import { useChime } from './useChime.js';
import { useLeadInbox, type InboxConnection } from './useLeadInbox.js';

/** "il y a 3 min" must move on by itself; a minute's precision is all it shows. */
const CLOCK_TICK_MS = 30_000;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** What tells us the dealer has looked at the page (a scroll caused by new rows does not). */
const LOOK_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function Inbox({ eventId, apiKey, view, onKeyLost }: { eventId: string; apiKey: string; view: DealerView; onKeyLost: (loss: KeyLoss) => void }) {
  const { t, locale } = useI18n();
  const { inbox, connection, loadError, keyLoss, reload, apply, erased, seen, brand, status } = useLeadInbox(eventId, apiKey);
  // A change pushed while the inbox is open wins over the brand the page opened with (innermost claim).
  useBrandTheme(brand);
  // A link that stopped working takes the leads off the screen at once, not at the next reload.
  useEffect(() => {
    if (keyLoss) onKeyLost(keyLoss);
  }, [keyLoss, onKeyLost]);
  /** Said once a row was erased from this page (its button, which had the focus, is gone). */
  const [erasedNote, setErasedNote] = useState<string | null>(null);
  const { enabled: soundOn, setEnabled: setSound, chime, unlock } = useChime();
  const [filters, setFilters] = useState<LeadFilters>(noFilters);
  const now = useNow(CLOCK_TICK_MS);
  const unseen = inbox.unseen.size;
  const hasUnseen = unseen > 0;
  const listRef = useRef<HTMLDivElement>(null);

  const visible = useMemo(() => filterLeads(inbox.leads, filters), [inbox.leads, filters]);
  const median = useMemo(() => medianContactDelayMs(visible), [visible]);
  const toCall = visible.filter((l) => !l.contactedAt).length;
  const showDealer = view.scope.kind === 'all';
  const dealerOptions = useMemo(() => {
    // Leads keep their dealer's name after it leaves the directory: it stays filterable.
    const names = new Map(view.dealers.map((d) => [d.id, d.name]));
    for (const l of inbox.leads) if (l.dealerId && !names.has(l.dealerId)) names.set(l.dealerId, l.dealerName ?? l.dealerId);
    return [...names].sort((a, b) => a[1].localeCompare(b[1], locale));
  }, [view.dealers, inbox.leads, locale]);

  // One chime per batch of arrivals, however many leads it holds.
  const lastUnseen = useRef(0);
  useEffect(() => {
    if (unseen > lastUnseen.current && soundOn) chime();
    lastUnseen.current = unseen;
  }, [unseen, soundOn, chime]);

  useEffect(() => {
    if (!hasUnseen) return;
    const look = () => seen();
    window.addEventListener('focus', look);
    for (const e of LOOK_EVENTS) window.addEventListener(e, look, { passive: true });
    return () => {
      window.removeEventListener('focus', look);
      for (const e of LOOK_EVENTS) window.removeEventListener(e, look);
    };
  }, [hasUnseen, seen]);

  // After a reload with the sound on, the first gesture anywhere lets the page make sound again.
  useEffect(() => {
    if (!soundOn) return;
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [soundOn, unlock]);

  useEffect(() => {
    const before = document.title;
    document.title = hasUnseen ? t('dealer.docTitleNew', { n: unseen, event: view.event.title }) : t('dealer.docTitle', { event: view.event.title });
    return () => {
      document.title = before;
    };
  }, [hasUnseen, unseen, t, view.event.title]);

  return (
    <div className="page page-dealer">
      <TopBar>
        <ConnectionPill connection={connection} />
      </TopBar>
      <main className="dealer">
        <header className="dealer-head">
          <div className="dealer-head-text">
            <p className="eyebrow">{t('dealer.space')}</p>
            <h1>{t('dealer.title')}</h1>
            <p className="dealer-event">
              <span className="dealer-event-title">{view.event.title}</span>
              <StatusBadge status={status ?? view.event.status} />
            </p>
            <p className="muted">{view.scope.kind === 'all' ? t('dealer.scopeAll') : t('dealer.scopeDealer', { name: view.scope.name })}</p>
          </div>
          <div className="dealer-head-side">
            <div aria-live="polite" className="new-slot">
              {hasUnseen ? (
                <button
                  type="button"
                  className="new-badge"
                  onClick={() => {
                    seen();
                    listRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
                  }}
                >
                  {t('dealer.newBadge', { n: unseen })}
                </button>
              ) : null}
            </div>
            <label className="switch">
              <input type="checkbox" role="switch" checked={soundOn} onChange={(e) => setSound(e.target.checked)} />
              <span className="switch-track" aria-hidden="true" />
              {t('dealer.sound')}
            </label>
          </div>
        </header>

        <section className="dealer-stats" aria-label={t('dealer.stats')}>
          <Stat value={formatNumber(visible.length, locale)} label={t('dealer.stat.count', { n: visible.length })} />
          <Stat value={formatNumber(toCall, locale)} label={t('dealer.stat.toCall')} accent={toCall > 0} />
          <Stat value={median === null ? '—' : delayLabel(median, t)} label={median === null ? `${t('dealer.stat.median')} · ${t('dealer.stat.medianNone')}` : t('dealer.stat.median')} />
        </section>

        <Toolbar filters={filters} setFilters={setFilters} dealerOptions={showDealer ? dealerOptions : null} eventId={eventId} apiKey={apiKey} code={view.event.code} dealerId={view.scope.kind === 'dealer' ? view.scope.dealerId : null} />

        {loadError ? (
          <p className="error dealer-load-error" role="alert">
            {t(inbox.leads.length ? 'dealer.staleList' : 'dealer.loadFailed')}{' '}
            <button type="button" className="btn btn-small" onClick={reload}>{t('common.retry')}</button>
          </p>
        ) : null}

        <p className="visually-hidden" role="status">{erasedNote}</p>
        <div ref={listRef} className="dealer-list" tabIndex={-1}>
          {visible.length > 0 ? (
            <LeadTable
              leads={visible}
              unseen={inbox.unseen}
              showDealer={showDealer}
              directory={view.dealers}
              now={now}
              eventId={eventId}
              apiKey={apiKey}
              onUpdated={apply}
              canErase={view.canErase === true}
              onErased={(lead) => {
                erased(lead.id);
                setErasedNote(t('lead.erase.done', { name: `${lead.firstName} ${lead.lastName}` }));
                listRef.current?.focus();
              }}
            />
          ) : inbox.leads.length > 0 ? (
            <div className="dealer-empty">
              <p>{t('dealer.noMatch')}</p>
              <button type="button" className="btn btn-small" onClick={() => setFilters(noFilters)}>{t('dealer.filter.reset')}</button>
            </div>
          ) : (
            <div className="dealer-empty">
              <h2>{t('dealer.empty')}</h2>
              <p className="muted">{t('dealer.emptyBody')}</p>
            </div>
          )}
        </div>
      </main>
    </div>
  );
}

function ConnectionPill({ connection }: { connection: InboxConnection }) {
  const { t } = useI18n();
  if (connection === 'live') return <span className="pill conn-live"><span className="conn-dot" aria-hidden="true" />{t('dealer.connected')}</span>;
  if (connection === 'refused') return <span className="pill conn-down" role="alert">{t('dealer.refused')}</span>;
  return <span className="pill conn-wait" role="status">{t(connection === 'connecting' ? 'common.connecting' : 'common.reconnecting')}</span>;
}

function Stat({ value, label, accent = false }: { value: string; label: string; accent?: boolean }) {
  return (
    <p className={`stat${accent ? ' stat-accent' : ''}`}>
      <strong className="stat-value">{value}</strong>
      <span className="stat-label">{label}</span>
    </p>
  );
}

const FORMATS: LeadDownloadFormat[] = ['excel', 'csv', 'json'];

function Toolbar({ filters, setFilters, dealerOptions, eventId, apiKey, code, dealerId }: {
  filters: LeadFilters;
  setFilters: (f: LeadFilters) => void;
  dealerOptions: [string, string][] | null;
  eventId: string;
  apiKey: string;
  code: string;
  /** A dealer's own key: its files bear its id. */
  dealerId: string | null;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<LeadDownloadFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<LeadFilters>) => setFilters({ ...filters, ...patch });
  const filtered = filters.type !== '' || filters.dealerId !== '' || filters.from !== '' || filters.to !== '';

  async function download(format: LeadDownloadFormat) {
    setBusy(format);
    setError(null);
    try {
      const blob = await dealerInbox.download(eventId, apiKey, format, toLeadQuery(filters));
      saveFile(blob, downloadName(code, format, dealerId ?? (filters.dealerId || null)));
    } catch {
      setError(t('dealer.download.failed'));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="dealer-toolbar">
      <fieldset className="dealer-filters">
        <legend className="visually-hidden">{t('dealer.filters')}</legend>
        <div className="field">
          <label htmlFor="f-type">{t('dealer.filter.type')}</label>
          <select id="f-type" value={filters.type} onChange={(e) => set({ type: e.target.value as LeadType | '' })}>
            <option value="">{t('dealer.filter.allTypes')}</option>
            {LEAD_TYPES.map((type) => <option key={type} value={type}>{t(`dealer.type.${type}`)}</option>)}
          </select>
        </div>
        {dealerOptions ? (
          <div className="field field-dealer">
            <label htmlFor="f-dealer">{t('dealer.filter.dealer')}</label>
            <select id="f-dealer" value={filters.dealerId} onChange={(e) => set({ dealerId: e.target.value })}>
              <option value="">{t('dealer.filter.allDealers')}</option>
              {dealerOptions.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="f-from">{t('dealer.filter.from')}</label>
          <input id="f-from" type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t('dealer.filter.to')}</label>
          <input id="f-to" type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => set({ to: e.target.value })} />
        </div>
        {filtered ? <button type="button" className="btn btn-small btn-ghost dealer-reset" onClick={() => setFilters(noFilters)}>{t('dealer.filter.reset')}</button> : null}
      </fieldset>
      <div className="dealer-downloads" role="group" aria-labelledby="dl-title" aria-describedby="dl-hint">
        <span id="dl-title" className="dealer-downloads-title">{t('dealer.download')}</span>
        <div className="dealer-downloads-buttons">
          {FORMATS.map((f) => (
            <button key={f} type="button" className="btn btn-small" disabled={busy !== null} aria-busy={busy === f} onClick={() => void download(f)}>
              {t(`dealer.download.${f}`)}
            </button>
          ))}
        </div>
        <p id="dl-hint" className="hint">{filtered ? t('dealer.download.hint') : null}</p>
        <p className="error" role="alert">{error}</p>
      </div>
    </div>
  );
}
