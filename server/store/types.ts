import type { EventStatus, Locale } from '../../shared/event.js';
import type { CtaKind, Pose } from '../../shared/presentation.js';

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
}

export type NewEvent = Omit<EventRecord, 'status' | 'startedAt' | 'endedAt'>;

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
}

export interface Store {
  readonly kind: 'sqlite' | 'memory' | 'postgres';
  readonly events: EventRepository;
  /** true while the store can serve (for /healthz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
