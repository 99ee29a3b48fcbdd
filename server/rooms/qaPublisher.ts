import { QA_BATCH_MS, REACTIONS_INTERVAL_MS, type Question } from '../../shared/qa.js';
import { authorView, hostView, isPublic, publicView } from '../realtime/qa.view.js';
import type { VitrineServer } from '../realtime/types.js';
import type { QuestionRecord } from '../store/types.js';
import { LocalBus, type RoomBus } from '../cluster/bus.js';
import { OrderedFanout } from './fanout.js';
import type { Room } from './room.js';

/** What changed in a room since its last batch: question ids, read fresh when the batch goes. */
interface Pending {
  /** New or changed status: sent whole. */
  audience: Set<string>;
  /** Only the count moved: sent as `{id: votes}` (a few bytes, not the text again). */
  counts: Set<string>;
  hosts: Set<string>;
}

/**
 * Sends Q&A changes to the right people with a bounded number of messages, whatever the
 * audience does (docs/benchmarks.md, Q&A burst):
 * - presenters and the author hear about a new question or a moderation at once, one event
 *   per question: they are a handful of sockets. Each process tells its own (the one that
 *   made the change, and the others when they hear of it): not through the Socket.IO adapter,
 *   which delivers even to the sending process's sockets only once Redis has the message, so
 *   on a slow Redis link an author's "added, 0 votes" came seconds after the batch counting
 *   the first votes, and stayed;
 * - the audience gets everything else (new public questions, status changes, vote counts) in
 *   one `questions:changed` per room every QA_BATCH_MS (longer for a larger audience,
 *   `batchWindowMs`). Sending one event per question to every viewer made 500 questions ×
 *   2,000 viewers a million sends and starved the camera. Each process sends the batch to its
 *   own viewers (`OrderedFanout`), with the changes it made and those it heard from the other
 *   processes (`heardQuestion`, `heardVote`), as it relays poses: a batch crosses no adapter,
 *   and a viewer gets one batch per window;
 * - presenters' vote counts ride the same timer (one event per changed question), each
 *   process to its own presenters, for the votes it counted and those it heard of;
 * - reaction totals go out at most every REACTIONS_INTERVAL_MS (≤ 4 a second), the same way:
 *   each process to its own sockets, also when it heard new totals from another.
 */
export class QaPublisher {
  private pending = new Map<Room, Pending>();
  private batchTimers = new Map<Room, NodeJS.Timeout>();
  private reactionTimers = new Map<Room, NodeJS.Timeout>();
  /** Reactions of this process not yet added to the event's totals (several processes). */
  private newReactions = new Map<Room, Record<string, number>>();
  reactionBroadcasts = 0;
  batches = 0;

  constructor(
    private io: VitrineServer,
    private bus: RoomBus = new LocalBus(),
    private fanout = new OrderedFanout(io),
  ) {}

  /** A question was created or its status/pin changed. */
  questionChanged(room: Room, q: QuestionRecord, wasPublic: boolean, created = false): void {
    const event = created ? 'question:added' : 'question:updated';
    this.io.local.to(room.hostChannel).emit(event, hostView(q, room.authorInfo(q.viewerId)));
    this.io.local.to(room.userChannel(q.viewerId)).emit(event, authorView(q));
    // Viewers who saw it public must also learn that it no longer is.
    if (isPublic(q) || wasPublic) this.queue(room).audience.add(q.id);
  }

  votesChanged(room: Room, questionId: string): void {
    const p = this.queue(room);
    p.counts.add(questionId);
    p.hosts.add(questionId);
  }

  /**
   * Another process changed a question (or a re-read of the store found it changed): this
   * process's presenters, author and audience hear it here. `before`: this room's copy until now.
   */
  heardQuestion(room: Room, q: QuestionRecord, before: QuestionRecord | undefined): void {
    this.questionChanged(room, q, before ? isPublic(before) : false, !before);
  }

  /** Another process counted a vote (or a re-read found the count moved). */
  heardVote(room: Room, questionId: string): void {
    this.votesChanged(room, questionId);
  }

  private queue(room: Room): Pending {
    let p = this.pending.get(room);
    if (!p) this.pending.set(room, (p = { audience: new Set(), counts: new Set(), hosts: new Set() }));
    if (!this.batchTimers.has(room)) this.batchTimers.set(room, setTimeout(() => this.flush(room), batchWindowMs(room.viewerCount)));
    return p;
  }

  private flush(room: Room): void {
    this.batchTimers.delete(room);
    const p = this.pending.get(room);
    this.pending.delete(room);
    if (!p) return;
    const batch = () => audienceBatch(room, p);
    const first = batch();
    if (first.questions.length || Object.keys(first.votes).length) {
      this.batches++;
      this.fanout.send(room, room.viewerChannel, 'questions:changed', batch);
    }
    for (const id of p.hosts) {
      const q = room.questions.get(id);
      if (q) this.io.local.to(room.hostChannel).emit('question:updated', hostView(q, room.authorInfo(q.viewerId)));
    }
  }

  reacted(room: Room, emoji: string): void {
    room.reactionCounts[emoji] = (room.reactionCounts[emoji] ?? 0) + 1;
    const fresh = this.newReactions.get(room) ?? {};
    fresh[emoji] = (fresh[emoji] ?? 0) + 1;
    this.newReactions.set(room, fresh);
    this.scheduleReactions(room);
  }

  /** Another process's totals (the event's): this process's sockets hear them on its own timer. */
  heardReactions(room: Room, totals: Record<string, number>): void {
    if (mergeMax(room.reactionCounts, totals)) this.scheduleReactions(room);
  }

  private scheduleReactions(room: Room): void {
    if (this.reactionTimers.has(room)) return;
    this.reactionTimers.set(
      room,
      setTimeout(() => void this.sendReactions(room), REACTIONS_INTERVAL_MS),
    );
  }

  /**
   * Each process tells its own sockets (`OrderedFanout`), so a socket gets at most one message
   * per REACTIONS_INTERVAL_MS however many processes serve the room. With several processes,
   * the totals are the event's (kept in Redis), not this room copy's.
   */
  private async sendReactions(room: Room): Promise<void> {
    const fresh = this.newReactions.get(room);
    this.newReactions.delete(room);
    const totals = fresh ? await this.bus.addReactions(room.event.id, fresh) : null;
    this.reactionTimers.delete(room);
    if (totals) {
      mergeMax(room.reactionCounts, totals);
      this.bus.publish(room.event.id, { k: 'reactions', counts: totals });
    }
    this.reactionBroadcasts++;
    this.fanout.send(room, room.channel, 'reactions', () => ({ counts: { ...room.reactionCounts } }));
  }

  /** The room closed: drop its pending sends. */
  forget(room: Room): void {
    for (const timers of [this.batchTimers, this.reactionTimers]) {
      clearTimeout(timers.get(room));
      timers.delete(room);
    }
    this.pending.delete(room);
    this.newReactions.delete(room);
    this.fanout.forget(room);
  }

  close(): void {
    for (const timers of [this.batchTimers, this.reactionTimers]) {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    }
  }
}

/** The audience QA_BATCH_MS is meant for: a batch to this many sockets costs ~25 ms of a core. */
const BATCH_AUDIENCE = 2_000;

/**
 * The batch window for this process's audience in a room: QA_BATCH_MS up to BATCH_AUDIENCE
 * viewers, then longer in proportion, so the batches of a busy Q&A cost the same share of a
 * core at any audience (10,000 viewers: 375 ms) and leave it to the poses.
 */
export function batchWindowMs(viewers: number): number {
  return Math.round(QA_BATCH_MS * Math.max(1, viewers / BATCH_AUDIENCE));
}

/** The audience's view of a batch's questions, as they are now: whole when new or moderated, else the count. */
function audienceBatch(room: Room, p: Pending): { questions: Question[]; votes: Record<string, number> } {
  const questions: Question[] = [];
  for (const id of p.audience) {
    const q = room.questions.get(id);
    if (q) questions.push(isPublic(q) ? publicView(q) : { ...publicView(q), status: 'hidden' });
  }
  const votes: Record<string, number> = {};
  for (const id of p.counts) {
    const q = room.questions.get(id);
    if (q && isPublic(q) && !p.audience.has(id)) votes[id] = q.votes;
  }
  return { questions, votes };
}

/** Totals only grow: keeps the larger of each count (another process's totals may be older); true when one grew. */
export function mergeMax(into: Record<string, number>, totals: Record<string, number>): boolean {
  let grew = false;
  for (const [emoji, n] of Object.entries(totals)) {
    if (n > (into[emoji] ?? 0)) {
      into[emoji] = n;
      grew = true;
    }
  }
  return grew;
}
