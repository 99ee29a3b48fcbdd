import type { Pose } from '../../shared/presentation.js';
import { LocalBus, type RoomBus } from '../cluster/bus.js';
import type { VitrineServer, VitrineSocket } from '../realtime/types.js';
import type { Room } from './room.js';

/**
 * Relays the presenter's camera: latest pose wins, at every stage.
 *
 * - Poses that arrive in the same event-loop turn are coalesced into one broadcast.
 * - A viewer whose connection is still busy with an earlier frame (slow phone, congested
 *   link) is skipped rather than queued behind; when its transport drains it gets the pose
 *   current at that moment. Queues therefore never hold stale poses, so a slow viewer costs
 *   memory for one pose, not for every pose since it fell behind (see PERFORMANCE.md).
 * - Everybody else gets one broadcast, encoded once by the adapter.
 * - Each process sends to its own viewers (`io.local`): another process hears the pose through
 *   the room bus and relays it to its viewers with the same rules, so a pose crosses Redis
 *   once per process, not once per viewer, and a slow process does not hold back the others.
 */
export class PoseRelay {
  private scheduled = new Set<Room>();
  private waiting = new WeakSet<VitrineSocket>();
  /** Counted for /metrics and the benchmark: broadcasts and deferred (latest-wins) sends. */
  broadcasts = 0;
  deferred = 0;

  constructor(
    private io: VitrineServer,
    private bus: RoomBus = new LocalBus(),
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
    this.scheduled.delete(room);
    const ids = this.io.sockets.adapter.rooms.get(room.viewerChannel);
    if (!ids || ids.size === 0) return;
    let busy: string[] | null = null;
    for (const id of ids) {
      const socket = this.io.sockets.sockets.get(id);
      if (socket && !socket.conn.transport.writable) {
        (busy ??= []).push(id);
        this.deferUntilDrained(socket, room);
      }
    }
    const target = busy ? this.io.local.to(room.viewerChannel).except(busy) : this.io.local.to(room.viewerChannel);
    target.emit('camera:pose', room.pose);
    this.broadcasts++;
  }

  private deferUntilDrained(socket: VitrineSocket, room: Room): void {
    if (this.waiting.has(socket)) return;
    this.waiting.add(socket);
    this.deferred++;
    socket.conn.once('drain', () => {
      this.waiting.delete(socket);
      if (socket.connected) socket.emit('camera:pose', room.pose);
    });
  }
}
