import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { normalizeCode } from '../../shared/code.js';
import { HandshakeAuth } from '../../shared/events.js';
import { MAX_SOCKET_PAYLOAD_BYTES } from '../../shared/protocol.js';
import { newKey } from '../keys.js';
import { checkKey, type KeyFailureListener } from '../access/check.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { SocketGuard } from '../security/sockets.js';
import { LocalBus, type RoomBus, type RoomOp } from '../cluster/bus.js';
import { localLimits, type Limits } from '../cluster/limits.js';
import { OrderedFanout } from '../rooms/fanout.js';
import { PoseRelay } from '../rooms/poseRelay.js';
import { QaPublisher } from '../rooms/qaPublisher.js';
import { RoomRegistry } from '../rooms/registry.js';
import { RoomResync } from '../rooms/resync.js';
import { rawSocketInOrder } from '../rooms/wsFrame.js';
import { AudienceRecorder } from '../report/recorder.js';
import { ReplayRecorder } from '../replay/recorder.js';
import { Room } from '../rooms/room.js';
import type { Pose } from '../../shared/presentation.js';
import { vehicleOf } from '../models/vehicle.js';
import type { EventRecord, Store } from '../store/types.js';
import type { CommandHandler } from './command.js';
import { createDealerHub, type DealerHub } from './dealers.js';
import { createKeyGuard, handshakeRefusal, type HeldKey, type KeyGuard } from './keyGuard.js';
import { eventHandlers } from './event.handlers.js';
import { leadHandlers } from './lead.handlers.js';
import { presentationHandlers } from './presentation.handlers.js';
import { qaHandlers } from './qa.handlers.js';
import { hostView } from './qa.view.js';
import { StateFrames } from './state.js';
import type { VitrineServer, VitrineSocket } from './types.js';

/** Presence is pushed at most this often per room, whatever the churn of joins and leaves. */
export const PRESENCE_INTERVAL_MS = 500;

interface Deps {
  store: Store;
  log: Logger;
  metrics: Metrics;
  /** The Origin check and the per-IP caps (server/security/sockets.ts). */
  guard: SocketGuard;
  /** The other processes serving the same events (Redis), or none. */
  bus?: RoomBus;
  /** Per-viewer rate limits, shared by those processes when there are several. */
  limits?: Limits;
  /** The Socket.IO adapter: Redis streams when there are several processes. */
  adapter?: ServerOptions['adapter'];
  /** Starts every Engine.IO session id (WORKERS: the primary routes long-polling requests on it). */
  sessionIdPrefix?: string;
  /** Hears every refused key of a handshake (the presenter's, a dealer inbox's). */
  keyFailed?: KeyFailureListener;
}

export interface Realtime {
  io: VitrineServer;
  rooms: RoomRegistry;
  relay: PoseRelay;
  /** Room-wide messages every socket must get, in order (the audience's Q&A batches, reaction totals, presence). */
  fanout: OrderedFanout;
  qa: QaPublisher;
  /** Live lead pushes to dealer pages. */
  dealers: DealerHub;
  /** Closes the sockets of a key rotated, revoked or expired. */
  keys: KeyGuard;
  /** Viewer sessions and reactions, written in batches for the report. */
  recorder: AudienceRecorder;
  /** The presentation as it goes, written in chunks for the replay. */
  replay: ReplayRecorder;
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
  const bus = deps.bus ?? new LocalBus();
  const limits = deps.limits ?? localLimits;
  const io: VitrineServer = new Server(httpServer, {
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    serveClient: false,
    allowRequest: deps.guard.allowRequest,
  });
  // Before every other middleware: the Origin of every request, then the per-IP caps.
  deps.guard.attach(io);
  if (deps.sessionIdPrefix) {
    const prefix = deps.sessionIdPrefix;
    io.engine.generateId = () => prefix + randomBytes(15).toString('base64url');
    // The primary routes a TCP connection, not each request on it: a kept-alive connection could
    // carry another worker's long-polling request next (two tabs, one browser). Each polling
    // response closes its connection, so every request is routed by its own session id.
    io.engine.on('headers', (headers: Record<string, string>, req: { url?: string }) => {
      if (req.url?.includes('transport=polling')) headers.Connection = 'close';
    });
  }
  const rooms = new RoomRegistry(store, log, bus, (room, op) => void heard(room, op));
  const fanout = new OrderedFanout(io);
  // Poses adapt, the room's ordered messages must all arrive: the relay leaves them most of each turn.
  const relay = new PoseRelay(io, bus, fanout);
  const states = new StateFrames();
  const qa = new QaPublisher(io, bus, fanout);
  const keyFailed: KeyFailureListener = deps.keyFailed ?? (() => {});
  const keys = createKeyGuard({ store, bus, log });
  const dealers = createDealerHub(io, { store, log, keys, keyFailed });
  const recorder = new AudienceRecorder(store.audience, log);
  const replay = new ReplayRecorder(store.replay, log);
  // Room copies that may have missed a change are read again (docs/architecture.md, Faults).
  const resync = new RoomResync({ rooms, store, bus, qa, relay, fanout, io, log });
  bus.onResync(() => resync.scheduleAll());
  const handlers: Record<string, CommandHandler> = {
    ...presentationHandlers({ io, store, relay, fanout, replay, bus, limits, log }),
    ...eventHandlers({ io, store, bus, replay, dealers, log }),
    ...qaHandlers({ io, store, qa, recorder, replay, bus, limits, log }),
    ...leadHandlers({ store, dealers, limits, log }),
  };

  /**
   * Another process changed a room this process also has open: this process brings its copy
   * up to date and tells its own sockets. Room state never goes through the Socket.IO adapter:
   * it delivers even to the sending process's sockets only once Redis has the message, so a
   * slow Redis link delayed a process's own viewers by seconds, and an older message could
   * land after a newer state. An op lost with the link is made good by a re-read (resync).
   */
  async function heard(room: Room, op: RoomOp): Promise<void> {
    switch (op.k) {
      case 'pose':
        // Older than this copy's (a re-read got a newer one first): every screen would drop it.
        if (op.pose.t < room.pose.t) return;
        return relay.relay(room, op.pose);
      case 'presentation':
        // An op that arrives after a newer copy (a re-read got there first) changes nothing.
        if (!room.adoptPresentation(op.presentation)) return;
        fanout.send(room, room.channel, 'presentation:changed', () => room.presentation());
        if (op.focused) {
          const id = op.focused;
          fanout.send(room, room.channel, 'hotspot:focused', () => ({ id }));
        }
        return;
      case 'question': {
        const before = room.questions.get(op.question.id);
        room.putQuestion(op.question);
        return qa.heardQuestion(room, op.question, before);
      }
      case 'vote':
        room.addVotes(op.id, op.delta);
        return qa.heardVote(room, op.id);
      case 'block':
        room.blocked.add(op.viewerId);
        // The block shows on every question of the author in the presenters' list.
        for (const q of room.questions.values()) if (q.viewerId === op.viewerId) io.local.to(room.hostChannel).emit('question:updated', hostView(q, room.authorInfo(q.viewerId)));
        return;
      case 'qaMode':
        room.qaMode = op.mode;
        room.event = { ...room.event, qaMode: op.mode };
        io.local.to(room.channel).emit('qa:mode', { mode: op.mode });
        return;
      case 'status':
        room.event = { ...room.event, ...op.event };
        io.local.to(room.channel).emit('event:status', op.event);
        return;
      case 'reactions':
        return qa.heardReactions(room, op.counts);
      case 'vehicle': {
        const [event, model] = await Promise.all([store.events.findById(room.event.id), store.models.get(room.event.id)]);
        if (event) showVehicle(room, event, vehicleOf(event, model), op.pose);
        return;
      }
      case 'brand':
        room.event = { ...room.event, brand: op.brand };
        io.local.to(room.channel).emit('brand:changed', op.brand);
        return;
    }
  }

  /** Puts a new vehicle on this process's copy of the room and tells its sockets; true when the presentation had to change. */
  function showVehicle(room: Room, event: EventRecord, vehicle: ReturnType<typeof vehicleOf>, pose: Pose | undefined): boolean {
    const fitted = room.setVehicle(vehicle);
    if (pose) room.pose = pose;
    room.event = { ...room.event, stage: event.stage };
    io.local.to(room.channel).emit('vehicle:changed', { vehicle, ...(pose ? { pose } : {}) });
    if (fitted) fanout.send(room, room.channel, 'presentation:changed', () => room.presentation());
    return fitted;
  }
  /**
   * What the (async) handshake read, for the (synchronous) connection handler: the room, a
   * viewer's own votes for its `state`, and the key a presenter opened with (to watch).
   */
  const handshakes = new WeakMap<VitrineSocket, { room: Room; myVotes: string[]; held: HeldKey | null; epoch: number }>();
  const presenceTimers = new Map<Room, NodeJS.Timeout>();
  const connections = metrics.counter('vitrine_socket_connections_total', 'Socket.IO connections accepted.');
  metrics.gauge('vitrine_rooms', 'Live rooms in this process.', () => rooms.size);
  metrics.gauge('vitrine_sockets', 'Open sockets in this process.', () => io.sockets.sockets.size);
  metrics.gauge('vitrine_pose_broadcasts_total', 'Pose broadcasts sent.', () => relay.broadcasts);
  metrics.gauge('vitrine_pose_frames_direct_total', 'Poses written to a viewer as a pre-built WebSocket frame.', () => relay.direct);
  metrics.gauge('vitrine_fanout_frames_direct_total', 'Room-wide messages (Q&A batches, reaction totals, presence counts, presentation changes) written to a socket as a pre-built WebSocket frame.', () => fanout.direct);
  metrics.gauge('vitrine_fanout_emitted_total', 'Room-wide messages (Q&A batches, reaction totals, presence counts, presentation changes) sent by emit, behind packets Socket.IO still held.', () => fanout.emitted);
  metrics.gauge('vitrine_state_frames_direct_total', "Joiners' `state` written as a pre-built WebSocket frame (the room's question list serialised once).", () => states.direct);
  metrics.gauge('vitrine_pose_deferred_total', 'Poses held for a busy viewer and sent when it drained.', () => relay.deferred);
  metrics.gauge('vitrine_reaction_broadcasts_total', 'Aggregated reaction broadcasts sent.', () => qa.reactionBroadcasts);
  metrics.gauge('vitrine_qa_batches_total', 'Batched Q&A messages sent to audiences.', () => qa.batches);
  metrics.gauge('vitrine_room_resyncs_total', 'Re-reads of a room that found a change it had missed (a Redis outage, a store call failed after its commit).', () => resync.repaired);
  metrics.gauge('vitrine_viewer_sessions_open', 'Viewer sockets open in this process, as recorded for the report.', () => recorder.openSessions);

  /**
   * Presence goes to this process's sockets: with several processes each one counts its own
   * viewers into the event's audience (Redis) and tells its sockets the total, also when
   * another process's count moved it.
   */
  function schedulePresence(room: Room): void {
    if (presenceTimers.has(room)) return;
    presenceTimers.set(
      room,
      setTimeout(() => {
        presenceTimers.delete(room);
        void bus.presence(room.event.id, room.viewerCount).then((total) => {
          if ((room.isEmpty && rooms.get(room.event.id) !== room) || total === room.audience) return;
          room.audience = total;
          // Through the fan-out (pre-built frames, 500 sockets a turn): under churn a count goes
          // out twice a second, and a Socket.IO room broadcast to every socket held the event
          // loop ~9 ms for 550 sockets each time, in front of poses (the fuzz bench's profile).
          fanout.send(room, room.channel, 'presence', () => ({ viewers: room.audience }));
        });
      }, PRESENCE_INTERVAL_MS),
    );
  }
  bus.onPresence((eventId) => {
    const room = rooms.get(eventId);
    if (room) schedulePresence(room);
  });

  io.use(async (socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('invalid_payload'));
    const code = normalizeCode(auth.data.code);
    try {
      const event = code ? await store.events.findByCode(code) : null;
      if (!event) return next(new Error('not_found'));
      const watchingReplay = auth.data.replay === true;
      if (watchingReplay && (auth.data.role !== 'viewer' || event.status !== 'ended')) return next(new Error('not_live'));
      const epoch = keys.epoch;
      let held: HeldKey | null = null;
      if (auth.data.role === 'host') {
        const given = auth.data.key;
        if (!given) return next(new Error('unauthorized'));
        const check = await checkKey(store, event, given);
        if (!check.ok || check.ref !== 'host') {
          const refusal = check.ok ? 'wrong' : check.refusal;
          keyFailed({ via: 'socket', refusal, eventId: event.id, ip: socket.handshake.address });
          return next(handshakeRefusal(refusal));
        }
        held = { eventId: event.id, ref: 'host', secret: given, expiresAt: check.expiresAt };
      }
      const room = await rooms.load(event.id);
      if (!room) return next(new Error('not_found'));
      // A viewer without an id gets one; the client keeps it for its next visit.
      const viewerId = auth.data.role === 'viewer' ? (auth.data.viewerId ?? newKey().slice(0, 22)) : null;
      socket.data = { eventId: event.id, role: auth.data.role, viewerId, name: auth.data.name || null, replay: watchingReplay };
      handshakes.set(socket, { room, myVotes: viewerId ? await store.questions.votesOf(event.id, viewerId) : [], held, epoch });
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
    const viewerId = socket.data.viewerId;
    // A replay's socket keeps the room open but is not in its audience (presence, report).
    const audienceId = socket.data.replay ? null : viewerId;
    const { room, viewersChanged } = rooms.attach(handshake.room, audienceId);
    const unwatch = handshake.held ? keys.watch(socket, handshake.held, handshake.epoch) : null;
    // Memory only: the recorder writes it with the next batch, the handshake never waits.
    const sessionId = audienceId ? recorder.joined(room.event.id, audienceId, socket.data.name) : null;
    void socket.join(socket.data.replay ? [room.channel] : viewerId ? [room.channel, room.viewerChannel, room.userChannel(viewerId)] : [room.channel, room.hostChannel]);

    for (const [name, handler] of Object.entries(handlers)) {
      socket.on(name as 'camera:set', (...args: unknown[]) => void handler({ socket, room, unsure: () => resync.schedule(room) }, args));
    }
    // An unknown event still gets an answer when it asks for one. Own keys only: `toString` or
    // `__proto__` are names every object answers to, not handlers (the fuzz found them unanswered).
    socket.onAny((name: string | number, ...args: unknown[]) => {
      if (Object.hasOwn(handlers, name)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'invalid_payload', message: `Unknown event "${String(name).slice(0, 64)}".` } });
    });

    // Pre-built (the room's question list serialised once), or `emit` when the socket cannot take a frame now.
    states.send(room, socket, handshake.myVotes, rawSocketInOrder(socket));
    if (viewersChanged) schedulePresence(room);

    socket.on('disconnect', () => {
      unwatch?.();
      if (sessionId) recorder.left(sessionId);
      if (rooms.detach(room, audienceId) && !room.isEmpty) schedulePresence(room);
      if (room.isEmpty) {
        clearTimeout(presenceTimers.get(room));
        presenceTimers.delete(room);
        qa.forget(room);
        // This process's viewers leave the event's audience.
        void bus.presence(room.event.id, 0);
      }
    });
  });

  return {
    io,
    rooms,
    relay,
    fanout,
    qa,
    dealers,
    keys,
    recorder,
    replay,
    async vehicleChanged(eventId, newPose) {
      const [event, model] = await Promise.all([store.events.findById(eventId), store.models.get(eventId)]);
      if (!event) return;
      const vehicle = vehicleOf(event, model);
      // t = 0, like DEFAULT_POSE: the presenter's next pose (on its own clock) always follows it.
      const pose = newPose ? { ...newPose, t: 0 } : undefined;
      const open = await rooms.open(event.id);
      const room = open ?? new Room(event, [], [], vehicle);
      const fitted = open ? showVehicle(open, event, vehicle, pose) : room.setVehicle(vehicle);
      if (!open && pose) room.pose = pose;
      if (fitted || pose) await store.events.savePresentation(event.id, room.snapshot());
      // The other processes with the room open do the same from the store.
      bus.publish(event.id, { k: 'vehicle', ...(pose ? { pose } : {}) });
      if (fitted) bus.publish(event.id, { k: 'presentation', presentation: room.stampedPresentation() });
    },
    async brandChanged(event) {
      bus.publish(event.id, { k: 'brand', brand: event.brand });
      // Dealer inboxes are not in the room: the /dealers namespace's adapter reaches every process's.
      dealers.brandChanged(event.id, event.brand);
      const room = await rooms.open(event.id);
      if (!room) return;
      // Only the brand: the room's own copy may be newer in other fields (a status change).
      room.event = { ...room.event, brand: event.brand };
      io.local.to(room.channel).emit('brand:changed', event.brand);
    },
    async close() {
      qa.close();
      keys.close();
      resync.close();
      for (const t of presenceTimers.values()) clearTimeout(t);
      presenceTimers.clear();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // Sessions still open end at the shutdown, not at some unknown time.
      await Promise.all([recorder.close(), replay.end()]);
      await rooms.close();
    },
  };
}
