import { REACTIONS_INTERVAL_MS, VOTES_INTERVAL_MS } from '../../shared/qa.js';
import { authorView, hostView, isPublic, publicView } from '../realtime/qa.view.js';
import type { VitrineServer } from '../realtime/types.js';
import type { QuestionRecord } from '../store/types.js';
import type { Room } from './room.js';

/**
 * Sends Q&A changes to the right people, and keeps broadcasts bounded whatever the audience
 * does: vote counts are coalesced per question over VOTES_INTERVAL_MS, reaction totals go out
 * at most every REACTIONS_INTERVAL_MS (≤ 4 a second) per room.
 */
export class QaPublisher {
  private dirtyVotes = new Map<Room, Set<string>>();
  private voteTimers = new Map<Room, NodeJS.Timeout>();
  private reactionTimers = new Map<Room, NodeJS.Timeout>();
  reactionBroadcasts = 0;

  constructor(private io: VitrineServer) {}

  /**
   * A question was created or its status/pin changed. Presenters see everything; its author
   * sees their own view; everybody else sees it while it is public, and one last time with
   * status `hidden` when it stops being public (so their screens drop it).
   */
  questionChanged(room: Room, q: QuestionRecord, wasPublic: boolean, created = false): void {
    const event = created ? 'question:added' : 'question:updated';
    this.io.to(room.hostChannel).emit(event, hostView(q, room.authorInfo(q.viewerId)));
    const author = room.userChannel(q.viewerId);
    this.io.to(author).emit(event, authorView(q));
    if (isPublic(q)) this.io.to(room.viewerChannel).except(author).emit(wasPublic ? 'question:updated' : 'question:added', publicView(q));
    else if (wasPublic) this.io.to(room.viewerChannel).except(author).emit('question:updated', { ...publicView(q), status: 'hidden' });
  }

  votesChanged(room: Room, questionId: string): void {
    let dirty = this.dirtyVotes.get(room);
    if (!dirty) this.dirtyVotes.set(room, (dirty = new Set()));
    dirty.add(questionId);
    if (this.voteTimers.has(room)) return;
    this.voteTimers.set(room, setTimeout(() => this.flushVotes(room), VOTES_INTERVAL_MS));
  }

  private flushVotes(room: Room): void {
    this.voteTimers.delete(room);
    const dirty = this.dirtyVotes.get(room);
    this.dirtyVotes.delete(room);
    for (const id of dirty ?? []) {
      const q = room.questions.get(id);
      if (!q) continue;
      this.io.to(room.hostChannel).emit('question:updated', hostView(q, room.authorInfo(q.viewerId)));
      if (isPublic(q)) this.io.to(room.viewerChannel).emit('question:updated', publicView(q));
    }
  }

  reacted(room: Room, emoji: string): void {
    room.reactionCounts[emoji] = (room.reactionCounts[emoji] ?? 0) + 1;
    if (this.reactionTimers.has(room)) return;
    this.reactionTimers.set(
      room,
      setTimeout(() => {
        this.reactionTimers.delete(room);
        this.reactionBroadcasts++;
        this.io.to(room.channel).emit('reactions', { counts: { ...room.reactionCounts } });
      }, REACTIONS_INTERVAL_MS),
    );
  }

  /** The room closed: drop its pending flushes. */
  forget(room: Room): void {
    for (const timers of [this.voteTimers, this.reactionTimers]) {
      clearTimeout(timers.get(room));
      timers.delete(room);
    }
    this.dirtyVotes.delete(room);
  }

  close(): void {
    for (const timers of [this.voteTimers, this.reactionTimers]) {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    }
  }
}
