import type { KeyRef } from '../../shared/access.js';
import type { EventBrand } from '../../shared/brand.js';
import type { Pose } from '../../shared/presentation.js';
import type { ModerationMode } from '../../shared/qa.js';
import type { EventRecord, QuestionRecord, StoredPresentation } from '../store/types.js';

/**
 * What one process tells the others about a live room. The process that ran a command has
 * told its own sockets; each other process with the room open brings its copy up to date and
 * tells its own sockets (never through the Socket.IO adapter, see io.ts `heard`). `vehicle`
 * and `brand` come from HTTP requests, which any process may serve.
 */
export type RoomOp =
  | { k: 'pose'; pose: Pose }
  /** `focused`: the change focused this hotspot (its card opens on every screen, again if it was). */
  | { k: 'presentation'; presentation: Omit<StoredPresentation, 'pose'>; focused?: string }
  | { k: 'question'; question: QuestionRecord }
  /** One vote more (1) or less (−1): counts are kept by deltas, whatever order they arrive in. */
  | { k: 'vote'; id: string; delta: 1 | -1 }
  | { k: 'block'; viewerId: string }
  | { k: 'qaMode'; mode: ModerationMode }
  | { k: 'status'; event: Pick<EventRecord, 'status' | 'startedAt' | 'endedAt'> }
  | { k: 'reactions'; counts: Record<string, number> }
  | { k: 'vehicle'; pose?: Pose }
  | { k: 'brand'; brand: EventBrand };

/** What a process loading a room reads besides the store: the room's live state, newer than the store's copy. */
export interface LiveState {
  presentation: Omit<StoredPresentation, 'pose'> | null;
  pose: Pose | null;
  reactions: Record<string, number>;
}

/**
 * The link between the processes that serve the same events. In one process (no `REDIS_URL`)
 * it is `LocalBus`: nobody to tell, and the room's own count is the audience.
 */
export interface RoomBus {
  readonly kind: 'local' | 'redis';
  /**
   * Starts hearing a room's ops (before it is loaded, so nothing falls between); resolves to
   * the function that stops this subscription (and only this one).
   */
  subscribe(eventId: string, onOp: (op: RoomOp) => void): Promise<() => void>;
  /** Tells the other processes; never throws (a lost op is logged). */
  publish(eventId: string, op: RoomOp): void;
  /** The room's live state as the processes left it; null when none is kept. */
  live(eventId: string): Promise<LiveState | null>;
  /**
   * Adds this process's new reactions to the event's totals and returns the totals; null when
   * the room's own running totals are the event's (one process).
   */
  addReactions(eventId: string, delta: Record<string, number>): Promise<Record<string, number> | null>;
  /**
   * This process's distinct viewers in a room; resolves to the audience across every process
   * (`onPresence` listeners hear when another process's count changed it).
   */
  presence(eventId: string, local: number): Promise<number>;
  onPresence(listener: (eventId: string) => void): void;
  /**
   * Tells every other process (not only those with the room open: a dealer inbox needs no room)
   * that a key of this event was rotated, revoked or given another expiry, so each checks the
   * sockets it holds open with that key. Never throws (a lost message is logged).
   */
  keyChanged(eventId: string, ref: KeyRef): void;
  onKeyChanged(listener: (eventId: string, ref: KeyRef) => void): void;
  /**
   * Hears when this process's room copies may have missed ops: its link to the others came
   * back after an outage, or another process's did (what it published meanwhile was lost).
   */
  onResync(listener: () => void): void;
  /** false while the link is down (for /healthz). */
  healthy(): boolean;
  close(): Promise<void>;
}

/** One process: nothing to share. */
export class LocalBus implements RoomBus {
  readonly kind = 'local';
  async subscribe(): Promise<() => void> {
    return () => {};
  }
  publish(): void {}
  async live(): Promise<null> {
    return null;
  }
  async addReactions(): Promise<null> {
    return null;
  }
  async presence(_eventId: string, local: number): Promise<number> {
    return local;
  }
  onPresence(): void {}
  keyChanged(): void {}
  onKeyChanged(): void {}
  onResync(): void {}
  healthy(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}
