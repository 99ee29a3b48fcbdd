import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { EventBrand } from '../../../shared/brand.js';
import type { EventStatus } from '../../../shared/event.js';
import { DEALER_NAMESPACE, type DealerServerToClientEvents } from '../../../shared/events.js';
import { handshakeKeyLoss, type KeyLoss } from '../../../shared/keyLoss.js';
import type { Lead } from '../../../shared/lead.js';
import { ApiError, dealerInbox, keyLossOf } from '../../net/api.js';
import { retryDelayMs } from '../../net/refusal.js';
import { applySnapshot, emptyInbox, foldPush, markSeen, type Inbox, type LeadPush } from './leads.fold.js';

/** The inbox only listens: it sends nothing over the socket (marking contacted is HTTP). */
type DealerSocket = Socket<DealerServerToClientEvents, Record<string, never>>;

export type InboxConnection = 'connecting' | 'live' | 'reconnecting' | 'refused';

/** Handshake refusals that retrying cannot fix (the HTTP view loaded, so these are rare). */
const FINAL_REFUSALS = new Set(['not_found', 'unauthorized', 'invalid_payload']);

export interface LeadInbox {
  inbox: Inbox;
  connection: InboxConnection;
  /** The last `GET …/leads` failed: the list may be out of date. An ApiError code. */
  loadError: string | null;
  /** The link stopped working while the page was open (rotated, revoked or expired in the studio). */
  keyLoss: KeyLoss | null;
  /** The page asks again (after a failed load). */
  reload: () => void;
  /** Fold the answer of a command this page made (marking contacted). */
  apply: (lead: Lead) => void;
  /** This page erased a lead: its row goes now (the `lead:erased` push follows). */
  erased: (id: string) => void;
  seen: () => void;
  /** The event's branding as last pushed (`brand:changed`); null until a change while open. */
  brand: EventBrand | null;
  /** The launch's status as last pushed (`event:status`); null until a change while open. */
  status: EventStatus | null;
}

/**
 * The one owner of the `/dealers` socket. On every connect, first or re-, the list is loaded
 * again over HTTP: pushes missed while the socket was away are only in the store.
 */
export function useLeadInbox(eventId: string, key: string): LeadInbox {
  const [inbox, setInbox] = useState<Inbox>(emptyInbox);
  const [connection, setConnection] = useState<InboxConnection>('connecting');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [keyLoss, setKeyLoss] = useState<KeyLoss | null>(null);
  const [brand, setBrand] = useState<EventBrand | null>(null);
  const [status, setStatus] = useState<EventStatus | null>(null);
  const loadRef = useRef<() => void>(() => {});

  useEffect(() => {
    let disposed = false;
    let loaded = false;
    /** Ids pushed while the current snapshot request is in flight (see applySnapshot). */
    let inFlight: Set<string> | null = null;
    let generation = 0;

    const load = () => {
      const mine = ++generation;
      const keep = new Set<string>();
      inFlight = keep;
      dealerInbox.leads(eventId, key).then(
        ({ leads }) => {
          if (disposed || mine !== generation) return;
          // Read now: React may run the updater later, after `loaded` below is set.
          const announce = loaded;
          setInbox((cur) => applySnapshot(cur, leads, { keep, announce }));
          loaded = true;
          inFlight = null;
          setLoadError(null);
        },
        (err: unknown) => {
          if (disposed || mine !== generation) return;
          inFlight = null;
          setLoadError(err instanceof ApiError ? err.code : 'internal');
          setKeyLoss(keyLossOf(err));
        },
      );
    };
    loadRef.current = load;

    const push = (p: LeadPush) => {
      inFlight?.add(p.kind === 'erased' ? p.id : p.lead.id);
      setInbox((cur) => foldPush(cur, p));
    };

    const s: DealerSocket = io(DEALER_NAMESPACE, { auth: { eventId, key }, transports: ['websocket', 'polling'] });
    s.on('connect', () => {
      setConnection('live');
      load();
    });
    s.on('lead:added', (lead) => push({ kind: 'added', lead }));
    s.on('lead:updated', (lead) => push({ kind: 'updated', lead }));
    s.on('lead:erased', ({ id }) => push({ kind: 'erased', id }));
    s.on('brand:changed', setBrand);
    s.on('event:status', (e) => setStatus(e.status));
    s.on('disconnect', (reason) => {
      // The server ended the session on purpose: socket.io will not retry by itself.
      if (reason === 'io server disconnect') s.connect();
      setConnection('reconnecting');
    });
    let retry: ReturnType<typeof setTimeout> | undefined;
    s.on('connect_error', (err) => {
      const loss = handshakeKeyLoss(err);
      const wait = retryDelayMs(err);
      if (loss) {
        // The server closed the inbox because its key stopped working: nothing more to load.
        setKeyLoss(loss);
        setConnection('refused');
      } else if (wait !== null) {
        clearTimeout(retry);
        retry = setTimeout(() => s.connect(), wait);
        setConnection((c) => (c === 'connecting' ? c : 'reconnecting'));
      } else if (FINAL_REFUSALS.has(err.message)) {
        // No live updates, but the list itself may still load over HTTP.
        setConnection('refused');
        if (!loaded) load();
      }
      else setConnection((c) => (c === 'connecting' ? c : 'reconnecting'));
    });
    return () => {
      disposed = true;
      clearTimeout(retry);
      s.disconnect();
    };
  }, [eventId, key]);

  const apply = useCallback((lead: Lead) => setInbox((cur) => foldPush(cur, { kind: 'updated', lead })), []);
  const seen = useCallback(() => setInbox(markSeen), []);
  const erased = useCallback((id: string) => setInbox((cur) => foldPush(cur, { kind: 'erased', id })), []);
  const reload = useCallback(() => loadRef.current(), []);
  return { inbox, connection, loadError, keyLoss, reload, apply, erased, seen, brand, status };
}
