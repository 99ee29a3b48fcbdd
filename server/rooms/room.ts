import type { PresentationChanged, Pose } from '../../shared/presentation.js';
import { DEFAULT_POSE } from '../../shared/presentation.js';
import type { EventRecord, StoredPresentation } from '../store/types.js';

/**
 * Live, throw-away state of one event: the presenter's last pose (so a late joiner starts where
 * everybody is), chapter/variant/CTA, and who is here. Durable facts stay in the store.
 */
export class Room {
  readonly channel: string;
  /** Viewers only: poses and presence go here, so the host does not get its own pose back. */
  readonly viewerChannel: string;
  event: EventRecord;
  pose: Pose;
  chapter: number;
  variant: string;
  cta: PresentationChanged['cta'];
  /** viewerId → open sockets: a person with two tabs counts once. */
  private viewers = new Map<string, number>();
  private sockets = 0;
  /** Set when the pose changed since it was last saved. */
  poseDirty = false;

  constructor(event: EventRecord) {
    this.event = event;
    this.channel = `ev:${event.id}`;
    this.viewerChannel = `ev:${event.id}:v`;
    const p = event.presentation;
    this.pose = p.pose ?? DEFAULT_POSE;
    this.chapter = p.chapter;
    this.variant = p.variant;
    this.cta = p.cta;
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  get isEmpty(): boolean {
    return this.sockets === 0;
  }

  /** Returns true when the distinct viewer count changed. */
  join(viewerId: string | null): boolean {
    this.sockets++;
    if (viewerId === null) return false;
    const n = this.viewers.get(viewerId) ?? 0;
    this.viewers.set(viewerId, n + 1);
    return n === 0;
  }

  leave(viewerId: string | null): boolean {
    this.sockets = Math.max(0, this.sockets - 1);
    if (viewerId === null) return false;
    const n = this.viewers.get(viewerId) ?? 0;
    if (n <= 1) {
      this.viewers.delete(viewerId);
      return n === 1;
    }
    this.viewers.set(viewerId, n - 1);
    return false;
  }

  presentation(): PresentationChanged {
    return { chapter: this.chapter, variant: this.variant, cta: this.cta };
  }

  snapshot(): StoredPresentation {
    return { ...this.presentation(), pose: this.pose };
  }
}
