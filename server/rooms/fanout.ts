import type { ServerToClientEvents } from '../../shared/events.js';
import type { VitrineServer, VitrineSocket } from '../realtime/types.js';
import type { Room } from './room.js';
import { eventFrame, rawSocketInOrder } from './wsFrame.js';

/** Sockets written per event-loop turn: small enough that a command or a pose is read within a few ms. */
export const ROUND_CHUNK = 500;

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

interface Message {
  /** Order of sending, across rooms: a socket gets the messages of its room by increasing seq. */
  seq: number;
  /** One of the room's channels (the audience's, or everybody's). */
  channel: string;
  event: keyof ServerToClientEvents;
  payload: () => unknown;
}

/**
 * Room-wide messages that every socket must get, in order (the audience's Q&A batches, reaction
 * totals, presence counts), sent to this process's sockets the way the pose relay sends poses,
 * without its shedding:
 *
 * - each message goes in a round over the room's sockets, ROUND_CHUNK per event-loop turn,
 *   its WebSocket frame built once per chunk and written straight to each TCP socket: a
 *   Socket.IO room broadcast to 2,000 sockets costs ~25 µs each in one synchronous loop (50 ms
 *   during which no vote, ack or pose is handled), this about half, in turns of a few ms
 *   (docs/benchmarks.md);
 * - a round starts at once, even while an earlier one is still on its way: a round that reaches
 *   a socket first writes it every earlier message it has not had yet (one write), and the
 *   earlier round then passes it by. So each socket gets them in order, and the first sockets
 *   of a round do not wait for the last ones of the round before;
 * - nothing is skipped: a busy socket queues the frames behind what it holds. A socket where
 *   Socket.IO itself still holds packets (an ack waiting for the transport, long-polling, an
 *   upgrade) gets ordinary `emit`s, queued behind them, so no frame overtakes a packet sent
 *   before it;
 * - the payloads are read again for each chunk, so a socket reached later in a round (or
 *   that joined during it) gets the facts as they are then: never older than an ack or a
 *   `state` it had in the meantime.
 */
export class OrderedFanout {
  private seq = 0;
  /** The messages whose round is still going, oldest first. */
  private live = new Map<Room, Message[]>();
  /** The last message each socket was given. */
  private given = new WeakMap<VitrineSocket, number>();
  /** Frames written pre-built, and messages sent by `emit` (Socket.IO busy, long-polling, upgrading). */
  direct = 0;
  emitted = 0;

  constructor(
    private io: VitrineServer,
    private chunk = ROUND_CHUNK,
  ) {}

  send<E extends keyof ServerToClientEvents>(room: Room, channel: string, event: E, payload: () => Payload<E>): void {
    const message = { seq: ++this.seq, channel, event, payload };
    const live = this.live.get(room);
    if (live) live.push(message);
    else this.live.set(room, [message]);
    this.round(room, message);
  }

  /** The room closed: its rounds have nobody left to reach. */
  forget(room: Room): void {
    this.live.delete(room);
  }

  private round(room: Room, message: Message): void {
    const sockets = (this.io.sockets.adapter.rooms.get(room.channel) ?? new Set<string>()).values();
    const step = (): void => {
      // This message and the earlier ones still on their way, as they are now.
      const messages = (this.live.get(room) ?? []).filter((m) => m.seq <= message.seq);
      const bodies = messages.map((m) => m.payload());
      const frames = messages.map((m, j) => eventFrame(m.event, bodies[j]));
      let k = 0;
      for (let id = sockets.next(); !id.done; id = sockets.next()) {
        const socket = this.io.sockets.sockets.get(id.value);
        if (!socket) continue;
        const given = this.given.get(socket) ?? 0;
        if (given < message.seq) {
          this.given.set(socket, message.seq);
          this.write(socket, messages, bodies, frames, given);
        }
        if (++k === this.chunk) return void setImmediate(step);
      }
      const live = this.live.get(room);
      const rest = live?.filter((m) => m !== message);
      if (rest?.length) this.live.set(room, rest);
      else if (live) this.live.delete(room);
    };
    step();
  }

  /** The messages after `given` that are for this socket, in order. */
  private write(socket: VitrineSocket, messages: Message[], bodies: unknown[], frames: Buffer[], given: number): void {
    const raw = rawSocketInOrder(socket);
    // One system call for the socket's frames.
    raw?.cork();
    messages.forEach((m, j) => {
      if (m.seq <= given || !socket.rooms.has(m.channel)) return;
      if (raw) {
        raw.write(frames[j]!);
        this.direct++;
      } else {
        (socket.emit as (event: string, payload: unknown) => void)(m.event, bodies[j]);
        this.emitted++;
      }
    });
    raw?.uncork();
  }
}
