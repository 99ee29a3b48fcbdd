import type { PresentationChanged, Pose } from '../../shared/presentation.js';
import { DEFAULT_POSE } from '../../shared/presentation.js';
import type { ModerationMode } from '../../shared/qa.js';
import { DEMO_VEHICLE, type Vehicle } from '../../shared/vehicle.js';
import type { EventRecord, QuestionRecord, StoredPresentation } from '../store/types.js';
import { RateLimiter } from './rateLimit.js';

/**
 * Live, throw-away state of one event: the presenter's last pose (so a late joiner starts where
 * everybody is), chapter/variant/CTA, and who is here. Durable facts stay in the store.
 */
export class Room {
  readonly channel: string;
  /** Viewers only: poses and presence go here, so the host does not get its own pose back. */
  readonly viewerChannel: string;
  /** Presenters only: every question, with moderation details. */
  readonly hostChannel: string;
  event: EventRecord;
  /** What is on stage: the uploaded model, or the demo car. */
  vehicle: Vehicle;
  pose: Pose;
  chapter: number;
  variant: string;
  cta: PresentationChanged['cta'];
  /** The hotspot the presenter focused (its card is open on every screen). */
  hotspot: string | null;
  /** When the presentation (not the pose) last changed: `StoredPresentation.changedAt`. */
  presentationAt: number;
  /** Distinct viewers across every process serving the event, as last counted (presence). */
  audience = 0;
  /** viewerId → open sockets: a person with two tabs counts once. */
  private viewers = new Map<string, number>();
  private sockets = 0;
  /** Set when the pose changed since it was last saved. */
  poseDirty = false;
  /** The event's questions, kept in step with the store (which stays the authority). */
  private readonly questionsById: Map<string, QuestionRecord>;
  /** Counts the changes to questions (stored, voted); `changeOf`: the last one per question. */
  private questionChanges = 0;
  private readonly changeOf = new Map<string, number>();
  /** Questions per author, kept as questions are stored: presenters see it on every question. */
  private readonly questionsPerAuthor = new Map<string, number>();
  readonly blocked: Set<string>;
  qaMode: ModerationMode;
  /** Running totals since the room opened; broadcast aggregated, never per reaction. */
  readonly reactionCounts: Record<string, number> = {};
  readonly limits = new RateLimiter();

  constructor(event: EventRecord, questions: QuestionRecord[] = [], blocked: string[] = [], vehicle: Vehicle = DEMO_VEHICLE) {
    this.event = event;
    this.vehicle = vehicle;
    this.channel = `ev:${event.id}`;
    this.viewerChannel = `ev:${event.id}:v`;
    this.hostChannel = `ev:${event.id}:h`;
    this.questionsById = new Map();
    for (const q of questions) this.putQuestion(q);
    this.blocked = new Set(blocked);
    this.qaMode = event.qaMode;
    const p = event.presentation;
    this.pose = p.pose ?? DEFAULT_POSE;
    this.chapter = p.chapter;
    this.variant = p.variant;
    this.cta = p.cta;
    this.hotspot = p.hotspot ?? null;
    this.presentationAt = p.changedAt ?? 0;
    this.fitPresentation();
  }

  /**
   * A new vehicle (upload, studio edit) may not have the variant, chapter or hotspot on stage:
   * falls back to its first variant and chapter, and closes a hotspot it does not have.
   * Returns true when the presentation changed.
   */
  setVehicle(vehicle: Vehicle): boolean {
    this.vehicle = vehicle;
    return this.fitPresentation();
  }

  private fitPresentation(): boolean {
    const before = JSON.stringify(this.presentation());
    const { variants, chapters, hotspots } = this.vehicle;
    if (!variants.some((v) => v.id === this.variant)) this.variant = variants[0]?.id ?? '';
    if (this.chapter >= chapters.length) this.chapter = 0;
    if (this.hotspot !== null && !hotspots.some((h) => h.id === this.hotspot)) this.hotspot = null;
    const fitted = JSON.stringify(this.presentation()) !== before;
    if (fitted) this.presentationAt = Date.now();
    return fitted;
  }

  /** Takes another copy's presentation unless it is the older one (unstamped: a process before issue 8); true when it did. */
  adoptPresentation(p: Omit<StoredPresentation, 'pose'>): boolean {
    if (p.changedAt !== undefined && p.changedAt < this.presentationAt) return false;
    this.chapter = p.chapter;
    this.variant = p.variant;
    this.cta = p.cta;
    this.hotspot = p.hotspot ?? null;
    this.presentationAt = p.changedAt ?? this.presentationAt;
    return true;
  }

  /** What goes to the other processes and the live hash with a presentation change. */
  stampedPresentation(): Omit<StoredPresentation, 'pose'> {
    return { ...this.presentation(), changedAt: this.presentationAt };
  }

  /** Every socket of one person (several tabs) is in this channel. */
  userChannel(viewerId: string): string {
    return `ev:${this.event.id}:u:${viewerId}`;
  }

  get questions(): ReadonlyMap<string, QuestionRecord> {
    return this.questionsById;
  }

  /** Stores a new question or the new state of a known one (its author never changes). */
  putQuestion(q: QuestionRecord): void {
    if (!this.questionsById.has(q.id)) this.questionsPerAuthor.set(q.viewerId, (this.questionsPerAuthor.get(q.viewerId) ?? 0) + 1);
    this.questionsById.set(q.id, q);
    this.changeOf.set(q.id, ++this.questionChanges);
  }

  /** One vote more or less on a known question (counts move by deltas: answers may come back out of order). */
  addVotes(questionId: string, delta: number): void {
    const q = this.questionsById.get(questionId);
    if (!q) return;
    this.questionsById.set(questionId, { ...q, votes: Math.max(0, q.votes + delta) });
    this.changeOf.set(questionId, ++this.questionChanges);
  }

  /** A mark to tell, later, which questions changed since (a re-read of the store must not undo them). */
  questionsMark(): number {
    return this.questionChanges;
  }

  changedSince(questionId: string, mark: number): boolean {
    return (this.changeOf.get(questionId) ?? 0) > mark;
  }

  authorInfo(viewerId: string): { blocked: boolean; questions: number } {
    return { blocked: this.blocked.has(viewerId), questions: this.questionsPerAuthor.get(viewerId) ?? 0 };
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
    return { chapter: this.chapter, variant: this.variant, cta: this.cta, hotspot: this.hotspot };
  }

  snapshot(): StoredPresentation {
    return { ...this.presentation(), pose: this.pose, ...(this.presentationAt ? { changedAt: this.presentationAt } : {}) };
  }
}
