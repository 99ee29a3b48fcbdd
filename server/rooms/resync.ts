import type { RoomBus } from '../cluster/bus.js';
import type { Logger } from '../logger.js';
import type { VitrineServer } from '../realtime/types.js';
import type { Store } from '../store/types.js';
import type { OrderedFanout } from './fanout.js';
import type { PoseRelay } from './poseRelay.js';
import type { QaPublisher } from './qaPublisher.js';
import type { RoomRegistry } from './registry.js';
import type { Room } from './room.js';

/** A burst of failures (one per viewer caught by the same outage) makes one read. */
export const RESYNC_DELAY_MS = 250;
/** The second read, once the changes in flight during the first have landed. */
export const RESYNC_SETTLE_MS = 2_000;
/** A read that fails (the store still away) is tried again this much later. */
const RESYNC_RETRY_MS = 1_000;
/** Reads added when a question changed during one (its count then read is not trusted). */
const MAX_EXTRA_PASSES = 5;

/**
 * Reads an open room again, as a process opening it now would load it (the store's facts, the
 * processes' live state), when its copy may have missed a change, and tells this process's
 * sockets what moved. Two ways a copy falls behind:
 * - a command failed on our side after a store write that may have committed (the connection
 *   broke before the answer): the vote or question is stored, the room never heard of it, and
 *   the viewer's resend is a repeat the store answers "unchanged";
 * - the Redis link came back after an outage, this process's or another's: room ops go by
 *   pub/sub, and those published meanwhile were lost.
 * Two reads RESYNC_SETTLE_MS apart: a vote in flight during the first (committed, its ±1 not
 * yet applied) is counted twice by it, and set right by the second. A question the room changed
 * while a read was on its way (a read over a slow link takes seconds) keeps the room's copy, and
 * one more read follows.
 */
export class RoomResync {
  private timers = new Map<Room, NodeJS.Timeout>();
  /** Reads still to do per room, and those added because a question changed during one. */
  private passes = new Map<Room, number>();
  private extra = new Map<Room, number>();
  /** Rooms whose last read failed: said once per outage, not once a second. */
  private failing = new Set<Room>();
  /** Reads that changed something (for tests and /metrics). */
  repaired = 0;

  constructor(
    private deps: { rooms: RoomRegistry; store: Store; bus: RoomBus; qa: QaPublisher; relay: PoseRelay; fanout: OrderedFanout; io: VitrineServer; log: Logger },
  ) {}

  /** The room may have missed a change: read it again, soon (twice). */
  schedule(room: Room): void {
    this.passes.set(room, 2);
    this.extra.set(room, 0);
    if (!this.timers.has(room)) this.later(room, RESYNC_DELAY_MS);
  }

  /** Every open room may have (the Redis link was down). */
  scheduleAll(): void {
    for (const room of this.deps.rooms.all()) this.schedule(room);
  }

  private later(room: Room, ms: number): void {
    this.timers.set(
      room,
      setTimeout(() => void this.run(room), ms),
    );
  }

  private async run(room: Room): Promise<void> {
    this.timers.delete(room);
    if (this.deps.rooms.get(room.event.id) !== room) {
      // Closed meanwhile: the next opening reads everything anyway.
      this.forget(room);
      return;
    }
    let stale = false;
    try {
      const read = await this.reread(room);
      if (read.moved) this.repaired++;
      stale = read.stale;
      this.failing.delete(room);
    } catch (err) {
      if (!this.failing.has(room)) this.deps.log.warn({ err, eventId: room.event.id }, 'could not read a room again; retrying every second');
      this.failing.add(room);
      if (!this.timers.has(room)) this.later(room, RESYNC_RETRY_MS);
      return;
    }
    let left = (this.passes.get(room) ?? 1) - 1;
    const extra = this.extra.get(room) ?? 0;
    if (stale && left <= 0 && extra < MAX_EXTRA_PASSES) {
      left = 1;
      this.extra.set(room, extra + 1);
    }
    if (left <= 0) this.forget(room);
    else {
      this.passes.set(room, left);
      if (!this.timers.has(room)) this.later(room, RESYNC_SETTLE_MS);
    }
  }

  private forget(room: Room): void {
    this.passes.delete(room);
    this.extra.delete(room);
    this.failing.delete(room);
  }

  /**
   * Applies what the store and the live state say to the room's copy. `moved`: something did;
   * `stale`: a question changed in the room while the read was on its way (kept as it is).
   */
  private async reread(room: Room): Promise<{ moved: boolean; stale: boolean }> {
    const { store, bus, qa, relay, fanout, io } = this.deps;
    const id = room.event.id;
    const mark = room.questionsMark();
    const [record, questions, blocked, live] = await Promise.all([
      store.events.findById(id),
      store.questions.listByEvent(id),
      store.questions.blockedViewers(id),
      bus.live(id),
    ]);
    if (!record) return { moved: false, stale: false };
    let moved = false;
    let stale = false;

    const { status, startedAt, endedAt, qaMode } = record;
    if (status !== room.event.status) {
      room.event = { ...room.event, status, startedAt, endedAt };
      io.local.to(room.channel).emit('event:status', { status, startedAt, endedAt });
      moved = true;
    }
    if (qaMode !== room.qaMode) {
      room.qaMode = qaMode;
      room.event = { ...room.event, qaMode };
      io.local.to(room.channel).emit('qa:mode', { mode: qaMode });
      moved = true;
    }
    for (const viewerId of blocked) room.blocked.add(viewerId);

    // The newest of the three copies (this room's, the store's, the live hash's).
    const before = JSON.stringify(room.presentation());
    for (const p of [record.presentation, live?.presentation]) if (p && (p.changedAt ?? 0) > room.presentationAt) room.adoptPresentation(p);
    if (JSON.stringify(room.presentation()) !== before) {
      fanout.send(room, room.channel, 'presentation:changed', () => room.presentation());
      moved = true;
    }
    // The presenter's clock orders poses: keep ours if it is the newer.
    if (live?.pose && live.pose.t > room.pose.t) {
      relay.relay(room, live.pose);
      moved = true;
    }
    // This copy is newer than what the others were told (its publish was lost with the link,
    // the presenter being here): tell them again; they keep the newer of theirs and this.
    if (live && room.pose.t > (live.pose?.t ?? 0)) bus.publish(id, { k: 'pose', pose: room.pose });
    if (live && room.presentationAt > (live.presentation?.changedAt ?? 0)) bus.publish(id, { k: 'presentation', presentation: room.stampedPresentation() });

    for (const q of questions) {
      if (room.changedSince(q.id, mark)) {
        stale = true;
        continue;
      }
      const before = room.questions.get(q.id);
      if (before && before.status === q.status && before.pinned === q.pinned && before.votes === q.votes) continue;
      room.putQuestion(q);
      moved = true;
      // To this process's presenters, author and audience.
      if (before && before.status === q.status && before.pinned === q.pinned) qa.heardVote(room, q.id);
      else qa.heardQuestion(room, q, before);
    }
    return { moved, stale };
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.passes.clear();
    this.extra.clear();
    this.failing.clear();
  }
}
