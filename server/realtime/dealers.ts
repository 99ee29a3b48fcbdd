import type { Namespace } from 'socket.io';
import { DEALER_NAMESPACE, DealerHandshake, type DealerServerToClientEvents, type EventStatusChanged } from '../../shared/events.js';
import type { EventBrand } from '../../shared/brand.js';
import type { Lead } from '../../shared/lead.js';
import { checkKey, type KeyFailureListener } from '../access/check.js';
import { dealerOf } from '../leads/access.js';
import type { Logger } from '../logger.js';
import { handshakeRefusal, type KeyGuard } from './keyGuard.js';
import type { Store } from '../store/types.js';
import type { VitrineServer } from './types.js';

/** Live lead pushes to dealer pages: `/dealers` namespace, one channel per event and per dealer. */
export interface DealerHub {
  added(lead: Lead): void;
  updated(lead: Lead): void;
  erased(lead: Pick<Lead, 'id' | 'eventId' | 'dealerId'>): void;
  /** Closes the open pages of a dealer that was deleted: its key opens nothing any more. */
  revoke(eventId: string, dealerId: string): void;
  /** Every open inbox of the event, whatever its key, re-themes (through the adapter: every process's). */
  brandChanged(eventId: string, brand: EventBrand): void;
  /** The launch started or ended: every open inbox's badge follows (through the adapter: every process's). */
  statusChanged(eventId: string, status: EventStatusChanged): void;
}

const allChannel = (eventId: string) => `leads:${eventId}`;
const dealerChannel = (eventId: string, dealerId: string) => `leads:${eventId}:${dealerId}`;
/** Every inbox of an event, the event key's and each dealer's: what is not a lead (its branding). */
const eventChannel = (eventId: string) => `inboxes:${eventId}`;

interface Deps {
  store: Store;
  log: Logger;
  keys: KeyGuard;
  keyFailed: KeyFailureListener;
}

export function createDealerHub(io: VitrineServer, deps: Deps): DealerHub {
  const nsp = io.of(DEALER_NAMESPACE) as unknown as Namespace<Record<string, never>, DealerServerToClientEvents>;
  nsp.use(async (socket, next) => {
    const auth = DealerHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('invalid_payload'));
    try {
      const event = await deps.store.events.findById(auth.data.eventId);
      if (!event) return next(new Error('not_found'));
      const epoch = deps.keys.epoch;
      // No admin token here: the studio reads leads over HTTP, an inbox is opened with an event's key.
      const check = await checkKey(deps.store, event, auth.data.key);
      if (!check.ok || !check.ref) {
        const refusal = check.ok ? 'wrong' : check.refusal;
        deps.keyFailed({ via: 'dealers', refusal, eventId: event.id, ip: socket.handshake.address });
        return next(handshakeRefusal(refusal));
      }
      const own = dealerOf(check.scope);
      void socket.join([own ? dealerChannel(event.id, own) : allChannel(event.id), eventChannel(event.id)]);
      const unwatch = deps.keys.watch(socket, { eventId: event.id, ref: check.ref, secret: auth.data.key, expiresAt: check.expiresAt }, epoch);
      socket.once('disconnect', unwatch);
      next();
    } catch (err) {
      deps.log.error({ err }, 'dealer handshake failed');
      next(new Error('internal'));
    }
  });
  // A dealer page only listens: any event it sends is ignored (and answered, if it asks).
  nsp.on('connection', (socket) => {
    socket.onAny((...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'forbidden', message: 'Dealer pages only receive.' } });
    });
  });
  const to = (l: Pick<Lead, 'eventId' | 'dealerId'>) => (l.dealerId ? nsp.to([allChannel(l.eventId), dealerChannel(l.eventId, l.dealerId)]) : nsp.to(allChannel(l.eventId)));
  return {
    added: (lead) => to(lead).emit('lead:added', lead),
    updated: (lead) => to(lead).emit('lead:updated', lead),
    erased: (lead) => to(lead).emit('lead:erased', { id: lead.id }),
    revoke: (eventId, dealerId) => nsp.in(dealerChannel(eventId, dealerId)).disconnectSockets(true),
    brandChanged: (eventId, brand) => nsp.to(eventChannel(eventId)).emit('brand:changed', brand),
    statusChanged: (eventId, status) => nsp.to(eventChannel(eventId)).emit('event:status', status),
  };
}
