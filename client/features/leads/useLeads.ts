import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ErrorBody } from '../../../shared/errors.js';
import type { LeadType } from '../../../shared/lead.js';
import type { LiveRoom } from '../../net/liveRoom.js';
import { createOutbox, NOT_CONNECTED, outboxPrefix, type Outbox, type OutboxEntry, type OutboxSnapshot } from '../../net/outbox.js';
import { localStore } from './leadForm.js';

const EMPTY: OutboxSnapshot = { pending: [], sent: [], refused: [] };
const noSubscription = () => () => {};

export interface LeadOutbox {
  outbox: Outbox | null;
  snapshot: OutboxSnapshot;
}

/**
 * The page's lead outbox, wired to its socket: whatever is still queued goes out when the
 * first `state` arrives (page load) and again after every reconnection (`epoch`).
 */
/** The kinds of request this device has had acknowledged (each once): shown as "Envoyée ✓". */
export const sentTypesOf = (snapshot: OutboxSnapshot): LeadType[] => [...new Set(snapshot.sent.map((r) => r.type))];

export function useLeadOutbox(code: string, room: LiveRoom): LeadOutbox {
  const roomRef = useRef(room);
  useLayoutEffect(() => {
    roomRef.current = room;
  });
  const [outbox, setOutbox] = useState<Outbox | null>(null);

  useEffect(() => {
    const o = createOutbox({
      code,
      storage: localStore(),
      // Never through socket.io's offline buffer: the outbox resends by itself on reconnection,
      // and a buffered copy would only arrive alongside it.
      send: (payload) => (roomRef.current.socket?.connected ? roomRef.current.send('lead:submit', payload) : Promise.resolve(NOT_CONNECTED)),
    });
    setOutbox(o);
    // Another tab of the same event queued, sent or dismissed a lead: show it here too.
    const prefix = outboxPrefix(code);
    const onStorage = (e: StorageEvent) => {
      if (e.key === null || e.key.startsWith(prefix)) o.refresh();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      window.removeEventListener('storage', onStorage);
      o.dispose();
    };
  }, [code]);

  // Once per (outbox, connection): a repeated effect run must not send the queue head twice.
  const flushed = useRef<{ outbox: Outbox; epoch: number } | null>(null);
  useEffect(() => {
    if (!outbox || room.epoch === 0) return;
    if (flushed.current?.outbox === outbox && flushed.current.epoch === room.epoch) return;
    flushed.current = { outbox, epoch: room.epoch };
    outbox.flush();
  }, [outbox, room.epoch]);

  const snapshot = useSyncExternalStore(outbox?.subscribe ?? noSubscription, () => outbox?.snapshot() ?? EMPTY);
  return { outbox, snapshot };
}

/**
 * What the lead sheet shows. `retry` reopens a refused request with what was typed; `resume`,
 * a request of that type still on its way (its status, not a blank form that would make a second).
 */
export type SheetView =
  | { kind: 'closed' }
  | { kind: 'menu' }
  | { kind: 'form'; type: LeadType; retry?: { entry: OutboxEntry; error: ErrorBody }; resume?: OutboxEntry }
  | { kind: 'done'; id: string };

export interface LeadSheet {
  view: SheetView;
  open: (view: Exclude<SheetView, { kind: 'closed' }>) => void;
  close: () => void;
}

/**
 * Which part of the lead sheet is open. Lives in the page so that every way in (the
 * "interested" button, the presenter's call to action, the waiting and ended cards) opens
 * the same sheet; focus goes back to whatever opened it.
 */
export function useLeadSheet(): LeadSheet {
  const [view, setView] = useState<SheetView>({ kind: 'closed' });
  const opener = useRef<HTMLElement | null>(null);
  const open = useCallback(
    (next: Exclude<SheetView, { kind: 'closed' }>) => {
      if (view.kind === 'closed' && document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
      setView(next);
    },
    [view.kind],
  );
  const close = useCallback(() => setView({ kind: 'closed' }), []);

  useEffect(() => {
    if (view.kind !== 'closed' || !opener.current) return;
    const el = opener.current;
    opener.current = null;
    if (el.isConnected) el.focus();
  }, [view.kind]);

  return { view, open, close };
}
