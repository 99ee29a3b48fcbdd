import type { EventStatus, Locale } from '../../shared/event.js';
import type { CtaKind, Pose } from '../../shared/presentation.js';
import type { ModerationMode, QuestionStatus } from '../../shared/qa.js';

/** Where the presentation stood when last saved: survives a restart mid-event. */
export interface StoredPresentation {
  chapter: number;
  variant: string;
  cta: CtaKind | null;
  pose: Pose | null;
}

export interface EventRecord {
  id: string;
  code: string;
  title: string;
  status: EventStatus;
  locale: Locale;
  startsAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
  hostKey: string;
  dealerKey: string;
  presentation: StoredPresentation;
  qaMode: ModerationMode;
}

export type NewEvent = Omit<EventRecord, 'status' | 'startedAt' | 'endedAt' | 'qaMode'>;

export class DuplicateCodeError extends Error {
  constructor() {
    super('event code already taken');
  }
}

/**
 * Durable events. Every method resolves only once the write is committed, so an
 * acknowledgement sent after it is never a lie after a crash.
 */
export interface EventRepository {
  /** Rejects with DuplicateCodeError when the code is taken (the caller draws another). */
  create(event: NewEvent): Promise<EventRecord>;
  findById(id: string): Promise<EventRecord | null>;
  findByCode(code: string): Promise<EventRecord | null>;
  /** Newest first. */
  list(limit: number): Promise<EventRecord[]>;
  /** Sets the status and stamps startedAt/endedAt the first time; null if unknown. */
  setStatus(id: string, status: EventStatus, at: string): Promise<EventRecord | null>;
  savePresentation(id: string, presentation: StoredPresentation): Promise<void>;
  setQaMode(id: string, mode: ModerationMode): Promise<void>;
}

export interface QuestionRecord {
  id: string;
  eventId: string;
  viewerId: string;
  name: string | null;
  text: string;
  status: QuestionStatus;
  pinned: boolean;
  votes: number;
  createdAt: string;
}

export type NewQuestion = Omit<QuestionRecord, 'pinned' | 'votes'>;

/** Questions, one vote per (question, viewer), and blocked viewers, per event. */
export interface QuestionRepository {
  /** Stores a new question, or returns the one already stored under this id (`created: false`). */
  ask(q: NewQuestion): Promise<{ question: QuestionRecord; created: boolean }>;
  listByEvent(eventId: string): Promise<QuestionRecord[]>;
  /** Adds this viewer's vote once; `changed` is false for a repeat. null: no such question. */
  vote(questionId: string, viewerId: string): Promise<{ changed: boolean; votes: number } | null>;
  unvote(questionId: string, viewerId: string): Promise<{ changed: boolean; votes: number } | null>;
  /** Question ids this viewer voted for in this event. */
  votesOf(eventId: string, viewerId: string): Promise<string[]>;
  /** Sets status and pinned together; pinning one question unpins the event's others. */
  update(id: string, change: { status: QuestionStatus; pinned: boolean }): Promise<QuestionRecord | null>;
  /** Blocks the viewer in this event and hides their pending questions; returns those hidden. */
  block(eventId: string, viewerId: string, at: string): Promise<QuestionRecord[]>;
  blockedViewers(eventId: string): Promise<string[]>;
}

export interface Store {
  readonly kind: 'sqlite' | 'memory' | 'postgres';
  readonly events: EventRepository;
  readonly questions: QuestionRepository;
  /** true while the store can serve (for /healthz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
