import type { Socket as NetSocket } from 'node:net';
import type { StatePayload } from '../../shared/events.js';
import type { Question } from '../../shared/qa.js';
import { reactionsOf } from '../../shared/qa.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { toPublicEvent } from '../http/events.routes.js';
import type { Room } from '../rooms/room.js';
import { frameHeader } from '../rooms/wsFrame.js';
import type { QuestionRecord } from '../store/types.js';
import { authorView, hostView, isPublic, publicView, questionsFor } from './qa.view.js';
import type { VitrineSocket } from './types.js';

/**
 * Everything in a socket's `state` but its questions, in the payload's key order: the keys
 * before `questions`, and those after. One function for both ways of sending it (below), so the
 * object and the pre-built frame cannot drift apart.
 */
function stateParts(room: Room, socket: VitrineSocket, myVotes: string[]) {
  return {
    before: {
      protocol: PROTOCOL_VERSION,
      event: { ...toPublicEvent(room.event), vehicle: room.vehicle },
      presentation: { ...room.presentation(), pose: room.pose },
    },
    after: {
      reactions: { counts: { ...room.reactionCounts } },
      viewers: Math.max(room.viewerCount, room.audience),
      you: { role: socket.data.role, viewerId: socket.data.viewerId },
      qa: { mode: room.qaMode, emojis: reactionsOf(room.event.brand), myVotes },
    },
  };
}

/** The whole picture a joiner gets, as an object (what `emit` sends). */
export function buildState(room: Room, socket: VitrineSocket, myVotes: string[]): StatePayload {
  const viewerId = socket.data.viewerId;
  const questions: Question[] = viewerId
    ? questionsFor(viewerId, room.questions.values())
    : [...room.questions.values()].map((q) => hostView(q, room.authorInfo(q.viewerId)));
  const { before, after } = stateParts(room, socket, myVotes);
  return { ...before, questions, ...after };
}

/** A room's question lists as JSON (the items, no brackets), and the room's state they were made from. */
interface Lists {
  /** `room.questionsMark()`: every stored question or vote moves it. */
  mark: number;
  /** `room.blocked.size`: a block shows on the presenters' list (the set only ever grows). */
  blocked: number;
  /** The public questions as every viewer without questions of their own sees them. */
  audience?: Buffer;
  /** Every question with its author's details, as presenters see them. */
  host?: Buffer;
}

/** A presenter's view of one question, and the author details it was made with. */
interface HostFragment {
  blocked: boolean;
  questions: number;
  json: Buffer;
}

const COMMA = Buffer.from(',');

/** JSON items joined by commas, copied once into one buffer. */
function joined(items: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const item of items) {
    if (parts.length) parts.push(COMMA);
    parts.push(item);
  }
  return Buffer.concat(parts);
}

/**
 * A joiner's `state` written as one pre-built WebSocket frame, its question list kept per room
 * until the questions change, and each question's JSON kept until that question changes.
 *
 * With a few hundred questions the `state` is ~100 KB, nearly all of it the question list, and
 * a join cost the server ~3 ms of CPU (tests/bench/join-cost.ts): building and serialising the
 * payload (JSON.stringify, Socket.IO's binary scan of every field), then ws measuring and
 * encoding the ~100 KB string again on the way out. Most joiners (every viewer who asked
 * nothing, every presenter) get the same list, so it is kept as UTF-8 bytes per room and only
 * the small rest (event, presentation, pose, counts, the socket's own ids and votes) is
 * serialised per join.
 *
 * It cannot go stale: a list is reused only while `room.questionsMark()` (moved by every
 * question stored and every vote, the only ways the room's questions change) and the blocked
 * count (the only other input of the presenters' list) are what they were when it was built.
 * The rest is read fresh at every join. A viewer with questions of their own (shown as theirs,
 * hidden ones as pending) gets a list built for them.
 *
 * Lists are made from per-question fragments, already UTF-8, cached per question record
 * (records are replaced, never changed, when a question changes); a presenter's fragment also
 * carries its author's details and is remade when those change. So when the questions change
 * (every vote does), the next list is one copy of bytes: with 480 questions ~0.13 ms, where
 * serialising and encoding the whole list again took 0.59 ms for a viewer's and 1.77 ms for a
 * presenter's.
 *
 * The frame holds exactly the bytes `socket.emit('state', buildState(…))` would write
 * (state.test.ts). Sockets that cannot take a frame now (long-polling, upgrading, Socket.IO
 * still holding packets) get that `emit`.
 */
export class StateFrames {
  private lists = new WeakMap<Room, Lists>();
  private fragments = new WeakMap<QuestionRecord, Buffer>();
  private hostFragments = new WeakMap<QuestionRecord, HostFragment>();
  /** `state`s written as a pre-built frame, and sent by `emit`. */
  direct = 0;
  emitted = 0;

  send(room: Room, socket: VitrineSocket, myVotes: string[], raw: NetSocket | null): void {
    if (!raw) {
      this.emitted++;
      socket.emit('state', buildState(room, socket, myVotes));
      return;
    }
    const chunks = this.body(room, socket, myVotes);
    const length = chunks.reduce((n, c) => n + c.length, 0);
    // One system call for the frame's pieces; the list is written from the cache, not copied.
    raw.cork();
    raw.write(frameHeader(length));
    for (const c of chunks) raw.write(c);
    raw.uncork();
    this.direct++;
  }

  /** The frame's payload as UTF-8 pieces: Socket.IO's `42["state",` then the JSON of the state. */
  body(room: Room, socket: VitrineSocket, myVotes: string[]): Buffer[] {
    const { before, after } = stateParts(room, socket, myVotes);
    // `{…,"questions":[]}` with its last two characters cut: `{…,"questions":[`.
    const head = JSON.stringify({ ...before, questions: [] }).slice(0, -2);
    // `{"reactions":…}` with its `{` cut: `"reactions":…}`.
    const tail = JSON.stringify(after).slice(1);
    return [Buffer.from(`42["state",${head}`, 'utf8'), this.list(room, socket.data.viewerId), Buffer.from(`],${tail}]`, 'utf8')];
  }

  /** This socket's questions as JSON items (no brackets). */
  private list(room: Room, viewerId: string | null): Buffer {
    let lists = this.lists.get(room);
    if (!lists || lists.mark !== room.questionsMark() || lists.blocked !== room.blocked.size) {
      lists = { mark: room.questionsMark(), blocked: room.blocked.size };
      this.lists.set(room, lists);
    }
    if (viewerId === null) return (lists.host ??= this.hostItems(room));
    if (room.authorInfo(viewerId).questions === 0) return (lists.audience ??= this.items(room, null));
    return this.items(room, viewerId);
  }

  /** `questionsFor(viewerId, …)` (every public question when `viewerId` is null) as JSON items, in the same order. */
  private items(room: Room, viewerId: string | null): Buffer {
    const out: Buffer[] = [];
    for (const q of room.questions.values()) {
      if (viewerId !== null && q.viewerId === viewerId) out.push(Buffer.from(JSON.stringify(authorView(q)), 'utf8'));
      else if (isPublic(q)) {
        let json = this.fragments.get(q);
        if (json === undefined) {
          json = Buffer.from(JSON.stringify(publicView(q)), 'utf8');
          this.fragments.set(q, json);
        }
        out.push(json);
      }
    }
    return joined(out);
  }

  /** Every question as presenters see it (`hostView`), as JSON items, in the room's order. */
  private hostItems(room: Room): Buffer {
    const out: Buffer[] = [];
    for (const q of room.questions.values()) {
      const author = room.authorInfo(q.viewerId);
      let fragment = this.hostFragments.get(q);
      if (fragment === undefined || fragment.blocked !== author.blocked || fragment.questions !== author.questions) {
        fragment = { ...author, json: Buffer.from(JSON.stringify(hostView(q, author)), 'utf8') };
        this.hostFragments.set(q, fragment);
      }
      out.push(fragment.json);
    }
    return joined(out);
  }
}
