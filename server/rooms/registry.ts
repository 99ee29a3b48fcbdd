import { LocalBus, type RoomBus, type RoomOp } from '../cluster/bus.js';
import type { Logger } from '../logger.js';
import { vehicleOf } from '../models/vehicle.js';
import type { Store } from '../store/types.js';
import { Room } from './room.js';

/** How often a moving camera's last pose is written through to the store. */
export const POSE_SAVE_INTERVAL_MS = 5_000;

/**
 * The live rooms of this process. A room exists while somebody is connected; when the last
 * socket leaves it saves where the presentation stood and goes away, so an idle server
 * holds nothing.
 */
export class RoomRegistry {
  private rooms = new Map<string, Room>();
  private loading = new Map<string, Promise<Room | null>>();
  /** Per open room: how to stop hearing the other processes about it. */
  private unsubscribes = new Map<string, () => void>();
  /** Ops heard while the room was being loaded, applied once it is. */
  private early = new Map<string, RoomOp[]>();
  private saveTimer: NodeJS.Timeout;

  constructor(
    private store: Store,
    private log: Logger,
    private bus: RoomBus = new LocalBus(),
    /** Applies another process's op to this process's copy of the room. */
    private onOp: (room: Room, op: RoomOp) => void = () => {},
  ) {
    this.saveTimer = setInterval(() => void this.saveDirtyPoses(), POSE_SAVE_INTERVAL_MS);
    this.saveTimer.unref();
  }

  get(eventId: string): Room | undefined {
    return this.rooms.get(eventId);
  }

  get size(): number {
    return this.rooms.size;
  }

  /** The open rooms. */
  all(): Room[] {
    return [...this.rooms.values()];
  }

  /**
   * The open room of an event, waiting for it if it is being loaded right now (a change made
   * meanwhile must reach it, not the copy it was loaded from); null when nobody is in it.
   */
  async open(eventId: string): Promise<Room | null> {
    const pending = this.loading.get(eventId);
    if (pending) await pending.catch(() => null);
    return this.rooms.get(eventId) ?? null;
  }

  /**
   * Loads (once, however many sockets ask at the same time) the room of a stored event: the
   * store's facts, then what the other processes hold live (pose, chapter, reactions), newer
   * than the store's copy. Other processes' ops are heard from before the read.
   */
  async load(eventId: string): Promise<Room | null> {
    const live = this.rooms.get(eventId);
    if (live) return live;
    let pending = this.loading.get(eventId);
    if (!pending) {
      pending = this.read(eventId).finally(() => this.loading.delete(eventId));
      this.loading.set(eventId, pending);
    }
    return pending;
  }

  private async read(eventId: string): Promise<Room | null> {
    if (!this.unsubscribes.has(eventId)) {
      this.early.set(eventId, []);
      this.unsubscribes.set(eventId, await this.bus.subscribe(eventId, (op) => this.heard(eventId, op)));
    }
    try {
      const [record, questions, blocked, model, shared] = await Promise.all([
        this.store.events.findById(eventId),
        this.store.questions.listByEvent(eventId),
        this.store.questions.blockedViewers(eventId),
        this.store.models.get(eventId),
        this.bus.live(eventId),
      ]);
      if (!record) {
        this.stopHearing(eventId);
        return null;
      }
      let room = this.rooms.get(eventId);
      if (!room) {
        // The newer of the two copies (a process whose Redis link failed wrote only the store).
        const live = shared?.presentation && (shared.presentation.changedAt ?? Infinity) >= (record.presentation.changedAt ?? 0) ? shared.presentation : null;
        const presentation = { ...record.presentation, ...live, pose: shared?.pose ?? record.presentation.pose };
        room = new Room({ ...record, presentation }, questions, blocked, vehicleOf(record, model));
        Object.assign(room.reactionCounts, shared?.reactions);
        this.rooms.set(eventId, room);
      }
      for (const op of this.early.get(eventId) ?? []) this.onOp(room, op);
      this.early.delete(eventId);
      return room;
    } catch (err) {
      this.stopHearing(eventId);
      throw err;
    }
  }

  private heard(eventId: string, op: RoomOp): void {
    const room = this.rooms.get(eventId);
    if (room) this.onOp(room, op);
    else this.early.get(eventId)?.push(op);
  }

  /** A closed room adopted again: it must hear the other processes again. */
  private hearAgain(eventId: string): void {
    if (this.unsubscribes.has(eventId)) return;
    const placeholder = () => {};
    this.unsubscribes.set(eventId, placeholder);
    void this.bus.subscribe(eventId, (op) => this.heard(eventId, op)).then((stop) => {
      if (this.unsubscribes.get(eventId) === placeholder) this.unsubscribes.set(eventId, stop);
      else stop();
    });
  }

  private stopHearing(eventId: string): void {
    this.unsubscribes.get(eventId)?.();
    this.unsubscribes.delete(eventId);
    this.early.delete(eventId);
  }

  /**
   * Joins a socket to a room loaded earlier. If the room emptied and closed meanwhile, the
   * one now registered (or the loaded one, re-adopted) is used: never a detached copy.
   */
  attach(loaded: Room, viewerId: string | null): { room: Room; viewersChanged: boolean } {
    let room = this.rooms.get(loaded.event.id);
    if (!room) {
      room = loaded;
      this.rooms.set(room.event.id, room);
      this.hearAgain(room.event.id);
    }
    return { room, viewersChanged: room.join(viewerId) };
  }

  /** Returns true when the distinct viewer count changed. */
  detach(room: Room, viewerId: string | null): boolean {
    const changed = room.leave(viewerId);
    if (room.isEmpty && this.rooms.get(room.event.id) === room) {
      this.rooms.delete(room.event.id);
      if (!this.loading.has(room.event.id)) this.stopHearing(room.event.id);
      void this.save(room);
    }
    return changed;
  }

  async saveDirtyPoses(): Promise<void> {
    await Promise.all([...this.rooms.values()].filter((r) => r.poseDirty).map((r) => this.save(r)));
  }

  private async save(room: Room): Promise<void> {
    room.poseDirty = false;
    try {
      // Never the older presentation over a newer one (this copy may have missed an op): the
      // store's is kept, and the pose written with it.
      const stored = (await this.store.events.findById(room.event.id))?.presentation;
      const snapshot = room.snapshot();
      const keep = stored && (stored.changedAt ?? 0) > room.presentationAt ? { ...stored, pose: snapshot.pose } : snapshot;
      await this.store.events.savePresentation(room.event.id, keep);
    } catch (err) {
      room.poseDirty = true;
      this.log.warn({ err, eventId: room.event.id }, 'could not save the presentation');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.saveTimer);
    await Promise.all([...this.rooms.values()].map((r) => this.save(r)));
    for (const eventId of [...this.unsubscribes.keys()]) this.stopHearing(eventId);
    this.rooms.clear();
  }
}
