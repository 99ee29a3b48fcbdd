import { QA_BATCH_MS, REACTIONS_INTERVAL_MS } from '../../shared/qa.js';
import { authorView, hostView, isPublic, publicView } from '../realtime/qa.view.js';
import type { VitrineServer } from '../realtime/types.js';
import type { QuestionRecord } from '../store/types.js';
import { LocalBus, type RoomBus } from '../cluster/bus.js';
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
 *   per question: they are a handful of sockets;
 * - the audience gets everything else (new public questions, status changes, vote counts) in
 *   one `questions:changed` per room every QA_BATCH_MS. Sending one event per question to
 *   every viewer made 500 questions × 2,000 viewers a million sends and starved the camera.
 * - presenters' vote counts ride the same timer (one event per changed question);
 * - reaction totals go out at most every REACTIONS_INTERVAL_MS (≤ 4 a second).
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
  ) {}

  /** A question was created or its status/pin changed. */
  questionChanged(room: Room, q: QuestionRecord, wasPublic: boolean, created = false): void {
    const event = created ? 'question:added' : 'question:updated';
    this.io.to(room.hostChannel).emit(event, hostView(q, room.authorInfo(q.viewerId)));
    this.io.to(room.userChannel(q.viewerId)).emit(event, authorView(q));
    // Viewers who saw it public must also learn that it no longer is.
    if (isPublic(q) || wasPublic) this.queue(room).audience.add(q.id);
  }

  votesChanged(room: Room, questionId: string): void {
    const p = this.queue(room);
    p.counts.add(questionId);
    p.hosts.add(questionId);
  }

  private queue(room: Room): Pending {
    let p = this.pending.get(room);
    if (!p) this.pending.set(room, (p = { audience: new Set(), counts: new Set(), hosts: new Set() }));
    if (!this.batchTimers.has(room)) this.batchTimers.set(room, setTimeout(() => this.flush(room), QA_BATCH_MS));
    return p;
  }

  private flush(room: Room): void {
    this.batchTimers.delete(room);
    const p = this.pending.get(room);
    this.pending.delete(room);
    if (!p) return;
    const questions = [];
    for (const id of p.audience) {
      const q = room.questions.get(id);
      if (q) questions.push(isPublic(q) ? publicView(q) : { ...publicView(q), status: 'hidden' as const });
    }
    const votes: Record<string, number> = {};
    let counted = 0;
    for (const id of p.counts) {
      const q = room.questions.get(id);
      if (q && isPublic(q) && !p.audience.has(id)) {
        votes[id] = q.votes;
        counted++;
      }
    }
    if (questions.length || counted) {
      this.batches++;
      this.io.to(room.viewerChannel).emit('questions:changed', { questions, votes });
    }
    for (const id of p.hosts) {
      const q = room.questions.get(id);
      if (q) this.io.to(room.hostChannel).emit('question:updated', hostView(q, room.authorInfo(q.viewerId)));
    }
  }

  reacted(room: Room, emoji: string): void {
    room.reactionCounts[emoji] = (room.reactionCounts[emoji] ?? 0) + 1;
    const fresh = this.newReactions.get(room) ?? {};
    fresh[emoji] = (fresh[emoji] ?? 0) + 1;
    this.newReactions.set(room, fresh);
    if (this.reactionTimers.has(room)) return;
    this.reactionTimers.set(
      room,
      setTimeout(() => void this.sendReactions(room), REACTIONS_INTERVAL_MS),
    );
  }

  /** With several processes, the totals are the event's (kept in Redis), not this room copy's. */
  private async sendReactions(room: Room): Promise<void> {
    const fresh = this.newReactions.get(room) ?? {};
    this.newReactions.delete(room);
    const totals = await this.bus.addReactions(room.event.id, fresh);
    this.reactionTimers.delete(room);
    if (totals) {
      mergeMax(room.reactionCounts, totals);
      this.bus.publish(room.event.id, { k: 'reactions', counts: totals });
    }
    this.reactionBroadcasts++;
    this.io.to(room.channel).emit('reactions', { counts: { ...room.reactionCounts } });
  }

  /** The room closed: drop its pending sends. */
  forget(room: Room): void {
    for (const timers of [this.batchTimers, this.reactionTimers]) {
      clearTimeout(timers.get(room));
      timers.delete(room);
    }
    this.pending.delete(room);
    this.newReactions.delete(room);
  }

  close(): void {
    for (const timers of [this.batchTimers, this.reactionTimers]) {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    }
  }
}

/** Totals only grow: keeps the larger of each count (another process's totals may be older). */
export function mergeMax(into: Record<string, number>, totals: Record<string, number>): void {
  for (const [emoji, n] of Object.entries(totals)) into[emoji] = Math.max(into[emoji] ?? 0, n);
}
