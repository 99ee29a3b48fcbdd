import type { ServerToClientEvents } from '../../shared/events.js';
import type { VitrineServer, VitrineSocket } from '../realtime/types.js';
import type { Room } from './room.js';
import { eventFrame, rawSocketInOrder } from './wsFrame.js';

/** Sockets written per event-loop turn: small enough that a command or a pose is read within a few ms. */
export const ROUND_CHUNK = 500;

/**
 * The chunk for a round over `sockets`: the round cut into equal turns, as many as make each
 * nearest `chunk`. 540 sockets go in one turn of 540, not in 500 and then 40: the last 40 would
 * wait a whole turn of other I/O for 0.4 ms of writes. A turn then writes at most 1.5 × `chunk`.
 */
export function evenChunk(sockets: number, chunk: number): number {
  return Math.max(1, Math.ceil(sockets / Math.max(1, Math.round(sockets / chunk))));
}

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
 * totals, presence counts, presentation changes and focused hotspots), sent to this process's
 * sockets the way the pose relay sends poses, without its shedding:
 *
 * - one round at a time per room goes over its sockets, ROUND_CHUNK written per event-loop
 *   turn, each message's WebSocket frame built once per chunk and written straight to each TCP
 *   socket: a Socket.IO room broadcast to 2,000 sockets costs ~25 µs each in one synchronous
 *   loop (50 ms during which no vote, ack or pose is handled), this about half, in turns of a
 *   few ms (docs/benchmarks.md);
 * - a message sent while a round is on its way joins it: the sockets the round has not reached
 *   yet get it with the others in one write, and one more round then brings it to the sockets
 *   passed before it arrived. A socket is written every message it has not had yet, in order,
 *   so it gets them in order whichever round reaches it; and a burst of messages costs one
 *   round and one write per socket, not one each (at 10,000 viewers two rounds side by side
 *   made every turn twice as long, and a chapter took 0.6 s to reach the last viewers);
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
  /** The messages some socket of the room may still lack, oldest first. */
  private live = new Map<Room, Message[]>();
  /** Rooms with a round on its way. */
  private rounds = new Set<Room>();
  /** The last message each socket was given. */
  private given = new WeakMap<VitrineSocket, number>();
  /** Frames written pre-built, and messages sent by `emit` (Socket.IO busy, long-polling, upgrading). */
  direct = 0;
  emitted = 0;
  /** Rounds started: a burst of messages shares one. */
  roundsStarted = 0;

  constructor(
    private io: VitrineServer,
    private chunk = ROUND_CHUNK,
  ) {}

  send<E extends keyof ServerToClientEvents>(room: Room, channel: string, event: E, payload: () => Payload<E>): void {
    const message = { seq: ++this.seq, channel, event, payload };
    const live = this.live.get(room);
    if (live) live.push(message);
    else this.live.set(room, [message]);
    // The round on its way carries it; else one starts now (its first chunk at once).
    if (!this.rounds.has(room)) this.round(room);
  }

  /** True while a round is on its way in the room: the pose relay then leaves it most of each turn. */
  busy(room: Room): boolean {
    return this.rounds.has(room);
  }

  /** The room closed: its rounds have nobody left to reach. */
  forget(room: Room): void {
    this.live.delete(room);
    this.rounds.delete(room);
  }

  private round(room: Room): void {
    this.rounds.add(room);
    this.roundsStarted++;
    const ids = this.io.sockets.adapter.rooms.get(room.channel) ?? new Set<string>();
    const chunk = evenChunk(ids.size, this.chunk);
    const sockets = ids.values();
    // What this round carries to every socket it passes: all it had when it started.
    const carried = this.live.get(room)?.at(-1)?.seq ?? 0;
    const step = (): void => {
      const messages = this.live.get(room);
      if (!messages || !this.rounds.has(room)) return;
      // The messages as they are now, each frame built once for the chunk.
      const top = messages.at(-1)!.seq;
      const bodies: unknown[] = [];
      const frames: Buffer[] = [];
      let written = 0;
      let visited = 0;
      for (let id = sockets.next(); !id.done; id = sockets.next()) {
        const socket = this.io.sockets.sockets.get(id.value);
        if (!socket) continue;
        const given = this.given.get(socket) ?? 0;
        if (given < top) {
          this.given.set(socket, top);
          if (frames.length === 0) {
            for (const m of messages) {
              const body = m.payload();
              bodies.push(body);
              frames.push(eventFrame(m.event, body));
            }
          }
          this.write(socket, messages, bodies, frames, given);
          written++;
        }
        // Sockets that already have everything cost a lookup: many of them fit in a turn.
        if (written === chunk || ++visited === chunk * 8) return void setImmediate(step);
      }
      // Every socket has what the round carried; what came meanwhile needs one more round.
      const rest = messages.filter((m) => m.seq > carried);
      // Nothing came meanwhile: the room is idle until its next message.
      if (rest.length === 0) return void this.forget(room);
      this.live.set(room, rest);
      // Still marked as running meanwhile, so a message sent now waits for that round too.
      setImmediate(() => this.rounds.has(room) && this.round(room));
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
