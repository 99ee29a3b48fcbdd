import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { EventCreated } from '../../../shared/event.js';
import { formatDateTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, api } from '../../net/api.js';
import { fragmentParam } from '../../net/identity.js';
import { TopBar } from '../common/Brand.js';
import { LinkRow, QrCode, StatusBadge } from '../common/widgets.js';
import { AccessPanel } from './AccessPanel.js';
import { EventLeadsPanel } from './EventLeadsPanel.js';
import { ModelUpload } from './ModelUpload.js';
import { StagingSection } from './Staging.js';
import { BrandPanel } from './BrandPanel.js';

const TOKEN_KEY = 'vitrine.adminToken';

/** The token may arrive once in the fragment (link printed at first start); keep it, clear the URL. */
function initialToken(): string | null {
  const fromLink = fragmentParam('token');
  if (fromLink) {
    localStorage.setItem(TOKEN_KEY, fromLink);
    history.replaceState(null, '', location.pathname);
    return fromLink;
  }
  return localStorage.getItem(TOKEN_KEY);
}

export default function StudioPage() {
  const { t } = useI18n();
  const [token, setToken] = useState<string | null>(initialToken);
  const [events, setEvents] = useState<EventCreated[] | null>(null);
  const [authError, setAuthError] = useState<string | null>(null);

  const load = useCallback(
    (tok: string) =>
      api.listEvents(tok).then(
        (r) => {
          setEvents(r.events);
          setAuthError(null);
        },
        (err: unknown) => {
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
            localStorage.removeItem(TOKEN_KEY);
            setToken(null);
            setAuthError(t('studio.badToken'));
          } else setAuthError(t('error.network'));
        },
      ),
    [t],
  );
  useEffect(() => {
    if (token) void load(token);
  }, [token, load]);

  if (!token) {
    return (
      <SignIn
        error={authError}
        onToken={(tok) => {
          localStorage.setItem(TOKEN_KEY, tok);
          setToken(tok);
        }}
      />
    );
  }
  return (
    <div className="page page-studio">
      <TopBar>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => { localStorage.removeItem(TOKEN_KEY); setToken(null); }}>
          {t('studio.signOut')}
        </button>
      </TopBar>
      <main className="studio">
        <header className="studio-head">
          <h1>{t('studio.title')}</h1>
          <p className="lead">{t('studio.lead')}</p>
        </header>
        <CreateEvent token={token} onCreated={(e) => setEvents((cur) => [e, ...(cur ?? []).filter((x) => x.id !== e.id)])} />
        <section aria-labelledby="events-title">
          <h2 id="events-title">{t('studio.events')}</h2>
          {authError ? <p className="error" role="alert">{authError}</p> : null}
          {events && events.length === 0 ? <p className="muted">{t('studio.noEvents')}</p> : null}
          <ul className="event-list">
            {/* A rotated link: the card's own links and keys (console, report) are read again. */}
            {(events ?? []).map((e) => <EventCard key={e.id} event={e} token={token} onKeysChanged={() => void load(token)} />)}
          </ul>
        </section>
      </main>
    </div>
  );
}

function SignIn({ error, onToken }: { error: string | null; onToken: (t: string) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  return (
    <div className="page page-join">
      <TopBar />
      <main className="join">
        <h1>{t('studio.title')}</h1>
        <form className="join-form" onSubmit={(e) => { e.preventDefault(); if (value.trim()) onToken(value.trim()); }}>
          <label htmlFor="token">{t('studio.token')}</label>
          <input id="token" type="password" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" aria-describedby="token-hint token-error" />
          <p id="token-hint" className="hint">{t('studio.tokenHint')}</p>
          <p id="token-error" className="error" role="alert">{error}</p>
          <button className="btn btn-primary btn-block">{t('studio.signIn')}</button>
        </form>
      </main>
    </div>
  );
}

/** `datetime-local` gives local wall time without a zone; the browser knows the zone. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function CreateEvent({ token, onCreated }: { token: string; onCreated: (e: EventCreated) => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [locale, setLocale] = useState<'fr' | 'en'>('fr');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<EventCreated | null>(null);
  const [busy, setBusy] = useState(false);
  // Allowed (a launch being set up as it starts), but worth a word: viewers would read "not started yet".
  const iso = localToIso(startsAt);
  const past = iso !== undefined && Date.parse(iso) < Date.now();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const ev = await api.createEvent(token, { title, locale, ...(iso ? { startsAt: iso } : {}) });
      setCreated(ev);
      onCreated(ev);
      setTitle('');
      setStartsAt('');
    } catch (err) {
      setError(err instanceof ApiError ? (err.code === 'invalid_payload' ? `${t('error.invalid_payload')} ${err.message}` : t(errorKey(err.code))) : t('error.network'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="new-title">
      <h2 id="new-title">{t('studio.new')}</h2>
      <form className="create-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="ev-title">{t('studio.eventTitle')}</label>
          <input id="ev-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} placeholder={t('studio.eventTitlePlaceholder')} />
        </div>
        <div className="field">
          <label htmlFor="ev-start">{t('studio.startsAt')}</label>
          <input id="ev-start" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} aria-describedby={past ? 'ev-start-past' : undefined} />
          {past ? <p className="hint hint-warning" id="ev-start-past">{t('studio.startsAtPast')}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="ev-locale">{t('studio.locale')}</label>
          <select id="ev-locale" value={locale} onChange={(e) => setLocale(e.target.value as 'fr' | 'en')}>
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </div>
        <button className="btn btn-primary" disabled={busy || !title.trim()}>{t('studio.create')}</button>
        <p className="error" role="alert">{error}</p>
      </form>
      {created ? (
        <div className="created" role="status" aria-live="polite">
          <p className="eyebrow">{t('studio.created')}</p>
          <EventDetails event={created} />
        </div>
      ) : null}
    </section>
  );
}

function EventDetails({ event }: { event: EventCreated }) {
  const { t } = useI18n();
  return (
    <div className="event-details">
      <QrCode url={event.links.viewer} size={168} label={`${t('studio.viewerLink')} — QR`} />
      <div className="event-links">
        <p className="code-big" data-testid="event-code">{event.code}</p>
        <LinkRow label={t('studio.viewerLink')} url={event.links.viewer} />
        <LinkRow label={t('studio.hostLink')} url={event.links.host} />
        <LinkRow label={t('studio.dealerLink')} url={event.links.dealer} />
        <p className="hint">{t('studio.secretHint')}</p>
      </div>
    </div>
  );
}

function EventCard({ event, token, onKeysChanged }: { event: EventCreated; token: string; onKeysChanged: () => void }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [managing, setManaging] = useState(false);
  const [access, setAccess] = useState(false);
  // Bumped on each key change, so the open dealer directory reads its links again.
  const [keysVersion, setKeysVersion] = useState(0);
  const detailsId = `details-${event.id}`;
  const manageId = `manage-${event.id}`;
  const accessId = `access-${event.id}`;
  return (
    <li className="card event-card">
      <div className="event-card-head">
        <div>
          <h3>{event.title}</h3>
          <p className="muted">
            {t('studio.code')} <strong>{event.code}</strong>
            {event.status === 'ended' && event.endedAt
              ? ` · ${t('studio.endedOn', { date: formatDateTime(event.endedAt, locale) })}`
              : event.startsAt
                ? ` · ${formatDateTime(event.startsAt, locale)}`
                : ''}
          </p>
        </div>
        <StatusBadge status={event.status} />
        <a className="btn btn-small" href={event.links.host} target="_blank" rel="noopener noreferrer">{t('studio.openHost')}</a>
      </div>
      <div className="event-card-actions">
        <button type="button" className="btn btn-small btn-ghost" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen((o) => !o)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {t('studio.details')}
        </button>
        <button type="button" className="btn btn-small btn-ghost" aria-expanded={managing} aria-controls={manageId} onClick={() => setManaging((m) => !m)}>
          <span aria-hidden="true">{managing ? '▾' : '▸'}</span> {t('studio.manage')}
        </button>
        <button type="button" className="btn btn-small btn-ghost" aria-expanded={access} aria-controls={accessId} onClick={() => setAccess((a) => !a)}>
          <span aria-hidden="true">{access ? '▾' : '▸'}</span> {t('access.open')}
        </button>
        <a className="btn btn-small btn-ghost" href={event.links.dealer} target="_blank" rel="noopener noreferrer">{t('studio.openLeads')}</a>
        <a className="btn btn-small btn-ghost" href={`/report/${encodeURIComponent(event.id)}#key=${encodeURIComponent(event.hostKey)}`} target="_blank" rel="noopener noreferrer">{t('report.open')}</a>
      </div>
      {/* The panels the buttons above open, right under them; then the event's standing sections. */}
      <div id={detailsId} hidden={!open}>{open ? <EventDetails event={event} /> : null}</div>
      <div id={accessId} className="manage" hidden={!access}>{access ? <AccessPanel eventId={event.id} token={token} onChanged={() => { setKeysVersion((v) => v + 1); onKeysChanged(); }} /> : null}</div>
      <div id={manageId} hidden={!managing}>{managing ? <EventLeadsPanel event={event} token={token} keysVersion={keysVersion} /> : null}</div>
      <ModelUpload event={event} token={token} />
      <StagingSection event={event} token={token} />
      <BrandPanel event={event} token={token} />
    </li>
  );
}
