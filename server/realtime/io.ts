import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { normalizeCode } from '../../shared/code.js';
import { HandshakeAuth, type StatePayload } from '../../shared/events.js';
import { DEFAULT_REACTIONS } from '../../shared/qa.js';
import { MAX_SOCKET_PAYLOAD_BYTES, PROTOCOL_VERSION } from '../../shared/protocol.js';
import { toPublicEvent } from '../http/events.routes.js';
import { newKey, safeEqual } from '../keys.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { PoseRelay } from '../rooms/poseRelay.js';
import { QaPublisher } from '../rooms/qaPublisher.js';
import { RoomRegistry } from '../rooms/registry.js';
import { Room } from '../rooms/room.js';
import type { Pose } from '../../shared/presentation.js';
import { vehicleOf } from '../models/vehicle.js';
import type { EventRecord, Store } from '../store/types.js';
import type { CommandHandler } from './command.js';
import { createDealerHub, type DealerHub } from './dealers.js';
import { eventHandlers } from './event.handlers.js';
import { leadHandlers } from './lead.handlers.js';
import { presentationHandlers } from './presentation.handlers.js';
import { qaHandlers } from './qa.handlers.js';
import { hostView, questionsFor } from './qa.view.js';
import type { VitrineServer, VitrineSocket } from './types.js';

/** Presence is pushed at most this often per room, whatever the churn of joins and leaves. */
export const PRESENCE_INTERVAL_MS = 500;

interface Deps {
  store: Store;
  log: Logger;
  metrics: Metrics;
  /** Browser origins allowed to open a socket (non-browser clients send none). */
  allowedOrigins: () => Set<string>;
}

export interface Realtime {
  io: VitrineServer;
  rooms: RoomRegistry;
  relay: PoseRelay;
  qa: QaPublisher;
  /** Live lead pushes to dealer pages. */
  dealers: DealerHub;
  /**
   * The event's model or staging changed (read from the store). Open pages get
   * `vehicle:changed`; with `pose` (a new model) the camera starts over from it, stored before
   * this resolves. A variant, chapter or hotspot the new vehicle lacks falls back.
   */
  vehicleChanged(eventId: string, pose?: Pose): Promise<void>;
  /** The event's branding changed: open pages get `brand:changed`. */
  brandChanged(event: EventRecord): Promise<void>;
  close(): Promise<void>;
}

export function createRealtime(httpServer: HttpServer, deps: Deps): Realtime {
  const { store, log, metrics } = deps;
  const io: VitrineServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    serveClient: false,
    // Checked on every request of the handshake, polling included: a page on another site
    // cannot open a socket with a viewer's browser.
    allowRequest: (req, cb) => {
      const origin = req.headers.origin;
      if (origin === undefined || deps.allowedOrigins().has(origin)) return cb(null, true);
      log.warn({ origin }, 'socket refused: origin not allowed');
      cb('origin not allowed', false);
    },
  });
  const rooms = new RoomRegistry(store, log);
  const relay = new PoseRelay(io);
  const qa = new QaPublisher(io);
  const dealers = createDealerHub(io, { store, log });
  const handlers: Record<string, CommandHandler> = {
    ...presentationHandlers({ io, store, relay, log }),
    ...eventHandlers({ io, store, log }),
    ...qaHandlers({ io, store, qa, log }),
    ...leadHandlers({ store, dealers, log }),
  };
  /** What the (async) handshake read, for the (synchronous) connection handler: the room, and a viewer's own votes for its `state`. */
  const handshakes = new WeakMap<VitrineSocket, { room: Room; myVotes: string[] }>();
  const presenceTimers = new Map<Room, NodeJS.Timeout>();
  const connections = metrics.counter('vitrine_socket_connections_total', 'Socket.IO connections accepted.');
  metrics.gauge('vitrine_rooms', 'Live rooms in this process.', () => rooms.size);
  metrics.gauge('vitrine_sockets', 'Open sockets in this process.', () => io.sockets.sockets.size);
  metrics.gauge('vitrine_pose_broadcasts_total', 'Pose broadcasts sent.', () => relay.broadcasts);
  metrics.gauge('vitrine_pose_deferred_total', 'Poses held for a busy viewer and sent when it drained.', () => relay.deferred);
  metrics.gauge('vitrine_reaction_broadcasts_total', 'Aggregated reaction broadcasts sent.', () => qa.reactionBroadcasts);
  metrics.gauge('vitrine_qa_batches_total', 'Batched Q&A messages sent to audiences.', () => qa.batches);

  function schedulePresence(room: Room): void {
    if (presenceTimers.has(room)) return;
    presenceTimers.set(
      room,
      setTimeout(() => {
        presenceTimers.delete(room);
        io.to(room.channel).emit('presence', { viewers: room.viewerCount });
      }, PRESENCE_INTERVAL_MS),
    );
  }

  io.use(async (socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('invalid_payload'));
    const code = normalizeCode(auth.data.code);
    try {
      const event = code ? await store.events.findByCode(code) : null;
      if (!event) return next(new Error('not_found'));
      if (auth.data.role === 'host' && !safeEqual(auth.data.key, event.hostKey)) {
        log.warn({ eventId: event.id, ip: socket.handshake.address }, 'host handshake with a wrong key');
        return next(new Error('unauthorized'));
      }
      const room = await rooms.load(event.id);
      if (!room) return next(new Error('not_found'));
      // A viewer without an id gets one; the client keeps it for its next visit.
      const viewerId = auth.data.role === 'viewer' ? (auth.data.viewerId ?? newKey().slice(0, 22)) : null;
      socket.data = { eventId: event.id, role: auth.data.role, viewerId, name: auth.data.name || null };
      handshakes.set(socket, { room, myVotes: viewerId ? await store.questions.votesOf(event.id, viewerId) : [] });
      next();
    } catch (err) {
      log.error({ err }, 'handshake failed');
      next(new Error('internal'));
    }
  });

  io.on('connection', (socket) => {
    connections.inc();
    const handshake = handshakes.get(socket)!;
    handshakes.delete(socket);
    const { room, viewersChanged } = rooms.attach(handshake.room, socket.data.viewerId);
    const viewerId = socket.data.viewerId;
    void socket.join(viewerId ? [room.channel, room.viewerChannel, room.userChannel(viewerId)] : [room.channel, room.hostChannel]);

    for (const [name, handler] of Object.entries(handlers)) {
      socket.on(name as 'camera:set', (...args: unknown[]) => void handler({ socket, room }, args));
    }
    // An unknown event still gets an answer when it asks for one.
    socket.onAny((name: string, ...args: unknown[]) => {
      if (name in handlers) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'invalid_payload', message: `Unknown event "${name}".` } });
    });

    socket.emit('state', buildState(room, socket, handshake.myVotes));
    if (viewersChanged) schedulePresence(room);

    socket.on('disconnect', () => {
      if (rooms.detach(room, socket.data.viewerId) && !room.isEmpty) schedulePresence(room);
      if (room.isEmpty) {
        clearTimeout(presenceTimers.get(room));
        presenceTimers.delete(room);
        qa.forget(room);
      }
    });
  });

  return {
    io,
    rooms,
    relay,
    qa,
    dealers,
    async vehicleChanged(eventId, newPose) {
      const [event, model] = await Promise.all([store.events.findById(eventId), store.models.get(eventId)]);
      if (!event) return;
      const vehicle = vehicleOf(event, model);
      // t = 0, like DEFAULT_POSE: the presenter's next pose (on its own clock) always follows it.
      const pose = newPose ? { ...newPose, t: 0 } : undefined;
      const open = await rooms.open(event.id);
      const room = open ?? new Room(event, [], [], vehicle);
      const live = open !== null;
      const fitted = room.setVehicle(vehicle);
      if (pose) room.pose = pose;
      if (fitted || pose) await store.events.savePresentation(event.id, room.snapshot());
      if (!live) return;
      room.event = { ...room.event, stage: event.stage };
      io.to(room.channel).emit('vehicle:changed', { vehicle, ...(pose ? { pose } : {}) });
      if (fitted) io.to(room.channel).emit('presentation:changed', room.presentation());
    },
    async brandChanged(event) {
      const room = await rooms.open(event.id);
      if (!room) return;
      // Only the brand: the room's own copy may be newer in other fields (a status change).
      room.event = { ...room.event, brand: event.brand };
      io.to(room.channel).emit('brand:changed', event.brand);
    },
    async close() {
      qa.close();
      for (const t of presenceTimers.values()) clearTimeout(t);
      presenceTimers.clear();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await rooms.close();
    },
  };
}

function buildState(room: Room, socket: VitrineSocket, myVotes: string[]): StatePayload {
  const viewerId = socket.data.viewerId;
  const questions = viewerId
    ? questionsFor(viewerId, room.questions.values())
    : [...room.questions.values()].map((q) => hostView(q, room.authorInfo(q.viewerId)));
  return {
    protocol: PROTOCOL_VERSION,
    event: { ...toPublicEvent(room.event), vehicle: room.vehicle },
    presentation: { ...room.presentation(), pose: room.pose },
    questions,
    reactions: { counts: { ...room.reactionCounts } },
    viewers: room.viewerCount,
    you: { role: socket.data.role, viewerId },
    qa: { mode: room.qaMode, emojis: [...DEFAULT_REACTIONS], myVotes },
  };
}
