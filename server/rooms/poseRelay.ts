import type { Pose } from '../../shared/presentation.js';
import { LocalBus, type RoomBus } from '../cluster/bus.js';
import type { VitrineServer, VitrineSocket } from '../realtime/types.js';
import type { Socket as NetSocket } from 'node:net';
import type { Room } from './room.js';
import { ROUND_CHUNK, evenChunk } from './fanout.js';
import { eventFrame, rawSocketOf } from './wsFrame.js';

/** How often a viewer whose socket still holds queued bytes is checked for room again. */
const DRAIN_POLL_MS = 20;
/**
 * Viewers written per turn while the room's ordered messages (a chapter, a Q&A batch) are on
 * their way: those must all arrive, poses adapt, so poses take a fifth of each turn meanwhile.
 */
export const YIELDING_CHUNK = ROUND_CHUNK / 5;

/**
 * Relays the presenter's camera: latest pose wins, at every stage.
 *
 * - The pose rate adapts to the audience: a round writes to the viewers about 500 per
 *   event-loop turn (`evenChunk`: 540 in one turn, 750 in two of 375), each chunk the pose
 *   current at that moment; poses that arrive meanwhile are not
 *   queued, the round carries on with the newest, and one more round brings it to the viewers
 *   passed before it. A few hundred viewers get every pose; ten thousand get about ten a
 *   second, each as fresh as the machine allows, while other events still get their turn
 *   between chunks (docs/benchmarks.md). While the room's ordered messages (chapters, Q&A
 *   batches: `OrderedFanout`) are on their way, a chunk is a fifth of that: they go first.
 * - A viewer whose connection is still busy with an earlier frame (slow phone, congested
 *   link) is skipped rather than queued behind; when its transport drains it gets the pose
 *   current at that moment. Queues therefore never hold stale poses, so a slow viewer costs
 *   memory for one pose, not for every pose since it fell behind (see PERFORMANCE.md).
 * - Everybody else gets the same bytes: the WebSocket frame is built once per pose and written
 *   straight to each viewer's TCP socket (what Socket.IO would write, without its per-socket
 *   work: about the cost of a bare `ws` broadcast, docs/benchmarks.md). Viewers on HTTP
 *   long-polling, or mid-upgrade, get an ordinary `emit`.
 * - Each process sends to its own viewers: another process hears the pose through
 *   the room bus and relays it to its viewers with the same rules, so a pose crosses Redis
 *   once per process, not once per viewer, and a slow process does not hold back the others.
 */
export class PoseRelay {
  private scheduled = new Set<Room>();
  private waiting = new WeakSet<VitrineSocket>();
  private sent = new WeakMap<VitrineSocket, Pose>();
  private frames = new WeakMap<Room, { pose: Pose; frame: Buffer }>();
  /** Counted for /metrics and the benchmark: broadcasts and deferred (latest-wins) sends. */
  broadcasts = 0;
  deferred = 0;
  /** Poses written as a pre-built frame, and those sent by `emit` (long-polling, upgrading). */
  direct = 0;
  emitted = 0;

  constructor(
    private io: VitrineServer,
    private bus: RoomBus = new LocalBus(),
    /** The room-wide messages that go first (`OrderedFanout`). */
    private ordered: { busy(room: Room): boolean } = { busy: () => false },
  ) {}

  /** A pose from this process's presenter (or a chapter's): every process relays it. */
  publish(room: Room, pose: Pose): void {
    this.relay(room, pose);
    this.bus.publish(room.event.id, { k: 'pose', pose });
  }

  /** Relays a pose to this process's viewers only (another process's presenter sent it). */
  relay(room: Room, pose: Pose): void {
    room.pose = pose;
    room.poseDirty = true;
    if (this.scheduled.has(room)) return;
    this.scheduled.add(room);
    setImmediate(() => this.flush(room));
  }

  private flush(room: Room): void {
    const ids = this.io.sockets.adapter.rooms.get(room.viewerChannel);
    if (!ids || ids.size === 0) {
      this.scheduled.delete(room);
      return;
    }
    // One round over the viewers, in equal turns of about ROUND_CHUNK; each chunk writes the pose
    // current at that moment, so a pose that arrives mid-round reaches the rest of the round.
    const viewers = ids.values();
    const full = evenChunk(ids.size, ROUND_CHUNK);
    const step = (): void => {
      const pose = room.pose;
      const frame = this.frameOf(room);
      const chunk = this.ordered.busy(room) ? YIELDING_CHUNK : full;
      let k = 0;
      for (let next = viewers.next(); !next.done; next = viewers.next()) {
        const socket = this.io.sockets.sockets.get(next.value);
        if (!socket || this.sent.get(socket) === pose) continue;
        this.sent.set(socket, pose);
        const raw = rawSocketOf(socket);
        if (raw) {
          if (raw.writableLength > 0) this.deferUntilDrained(socket, room, raw);
          else {
            raw.write(frame);
            this.direct++;
          }
        } else if (socket.conn.transport.writable) {
          socket.emit('camera:pose', room.pose);
          this.emitted++;
        } else {
          this.deferUntilDrained(socket, room, null);
        }
        if (++k === chunk) return void setImmediate(step);
      }
      this.broadcasts++;
      // Viewers passed before the latest pose arrived get it in another round.
      if (room.pose !== roundPose) {
        roundPose = room.pose;
        return void setImmediate(() => this.flush(room));
      }
      this.scheduled.delete(room);
    };
    let roundPose = room.pose;
    step();
  }

  /** The frame of the room's current pose, encoded once whatever the number of viewers. */
  private frameOf(room: Room): Buffer {
    const cached = this.frames.get(room);
    if (cached?.pose === room.pose) return cached.frame;
    const frame = eventFrame('camera:pose', room.pose);
    this.frames.set(room, { pose: room.pose, frame });
    return frame;
  }

  private deferUntilDrained(socket: VitrineSocket, room: Room, raw: NetSocket | null): void {
    if (this.waiting.has(socket)) return;
    this.waiting.add(socket);
    this.deferred++;
    const resend = () => {
      this.waiting.delete(socket);
      if (!socket.connected) return;
      const now = rawSocketOf(socket);
      if (now) {
        now.write(this.frameOf(room));
        this.direct++;
      } else {
        socket.emit('camera:pose', room.pose);
        this.emitted++;
      }
    };
    if (!raw) socket.conn.once('drain', resend);
    // 'drain' comes only after a write was refused; bytes merely queued are polled for.
    else if (raw.writableNeedDrain) raw.once('drain', resend);
    else {
      const poll = (): void => void (raw.writableLength > 0 && !raw.destroyed ? setTimeout(poll, DRAIN_POLL_MS) : resend());
      setTimeout(poll, DRAIN_POLL_MS);
    }
  }
}
