import type { EventStatus, Locale } from '../../shared/event.js';
import type { CtaKind, Pose, PresentationChanged } from '../../shared/presentation.js';
import type { DealerInput, Lead, LeadQuery } from '../../shared/lead.js';
import type { ModerationMode, Question, QuestionStatus } from '../../shared/qa.js';
import type { Bounds, ModelDetails, ModelStats } from '../../shared/model.js';
import type { EventBrand } from '../../shared/brand.js';
import type { VehicleSetup } from '../../shared/vehicle.js';
import type { KeyRef } from '../../shared/access.js';

/** Where the presentation stood when last saved: survives a restart mid-event. */
export interface StoredPresentation {
  chapter: number;
  variant: string;
  cta: CtaKind | null;
  /** The hotspot the presenter focused. */
  hotspot: string | null;
  pose: Pose | null;
  /**
   * When chapter, variant, CTA or hotspot last changed (server clock, ms; absent before issue
   * 8): orders the copies several processes hold, when an op between them was lost.
   */
  changedAt?: number;
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
  /** After this instant the host key opens nothing (null: no expiry). */
  hostKeyExpiresAt: string | null;
  /** Set when the studio revoked the host key; a rotation clears it. */
  hostKeyRevokedAt: string | null;
  dealerKeyExpiresAt: string | null;
  dealerKeyRevokedAt: string | null;
  presentation: StoredPresentation;
  qaMode: ModerationMode;
  /** The event's own privacy notice; null shows the default one. */
  privacyNotice: string | null;
  /** Where viewers exercise their rights over their data (an e-mail address or an https page); null: none given. */
  privacyContact: string | null;
  /** Leads older than this are purged. */
  retentionMonths: number;
  /** How the studio staged the vehicle (paints, hotspots, chapters); null: the defaults. */
  stage: VehicleSetup | null;
  brand: EventBrand;
}

export type NewEvent = Omit<
  EventRecord,
  'status' | 'startedAt' | 'endedAt' | 'qaMode' | 'privacyNotice' | 'privacyContact' | 'retentionMonths' | 'stage' | 'brand' | 'hostKeyExpiresAt' | 'hostKeyRevokedAt' | 'dealerKeyExpiresAt' | 'dealerKeyRevokedAt'
>;

/** What `updateSettings` may change; only the fields given change. */
export interface EventSettingsChange {
  privacyNotice?: string | null;
  privacyContact?: string | null;
  retentionMonths?: number;
  stage?: VehicleSetup | null;
  brand?: EventBrand;
}

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
  /** Only the fields given change; null if unknown. */
  updateSettings(id: string, settings: EventSettingsChange): Promise<EventRecord | null>;
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
  /** Every vote standing in this event (a vote taken back is gone), in no particular order: for the report. */
  voters(eventId: string): Promise<{ questionId: string; viewerId: string; createdAt: string }[]>;
  /** Sets status and pinned together; pinning one question unpins the event's others. */
  update(id: string, change: { status: QuestionStatus; pinned: boolean }): Promise<QuestionRecord | null>;
  /** Blocks the viewer in this event and hides their pending questions; returns those hidden. */
  block(eventId: string, viewerId: string, at: string): Promise<QuestionRecord[]>;
  blockedViewers(eventId: string): Promise<string[]>;
}

/**
 * A stored lead, with who sent it (never shown to dealers: it is the viewer's Q&A identity) and
 * the fingerprint of the body it was submitted with (the idempotency check).
 */
export interface LeadRecord extends Lead {
  viewerId: string;
  fingerprint: string;
}

/** What a purge or an erasure removed: enough to tell the open dealer pages. */
export type RemovedLead = Pick<Lead, 'id' | 'eventId' | 'dealerId'>;

/**
 * Leads, exactly once. `submit` is the idempotent write: a lead id is stored once, ever; an
 * erased lead leaves only its id behind, so a browser resending it from its outbox does not
 * bring the person back.
 */
export interface LeadRepository {
  /** `lead: null` when this id was erased. Resolves only once committed. */
  submit(lead: LeadRecord): Promise<{ lead: LeadRecord | null; created: boolean }>;
  get(eventId: string, id: string): Promise<LeadRecord | null>;
  /** True when this id was erased or purged: a resend must store nothing. */
  erased(id: string): Promise<boolean>;
  /** Oldest first. */
  list(eventId: string, query: LeadQuery): Promise<LeadRecord[]>;
  /** Stamps the first contact (a repeat keeps the first time); null if unknown. */
  markContacted(eventId: string, id: string, at: string): Promise<LeadRecord | null>;
  /**
   * Gives a lead no dealer was given to `dealer` (routing `assigned`); a lead that has a dealer
   * keeps it (two people assigning at once: the first wins). The lead as it is now, or null if unknown.
   */
  assign(eventId: string, id: string, dealer: { id: string; name: string }): Promise<LeadRecord | null>;
  /** Deletes the person's data and keeps a tombstone of the id; false if unknown. */
  erase(eventId: string, id: string, at: string): Promise<boolean>;
  /**
   * Deletes every lead kept longer than its event's retention period (created + N months is
   * before `now`), leaving a tombstone of each id like an erasure; returns those deleted.
   */
  purgeExpired(now: Date): Promise<RemovedLead[]>;
}

export interface DealerRecord extends DealerInput {
  eventId: string;
  phone: string | undefined;
  /** The dealer's own capability key: sees only the leads routed to it. */
  key: string;
  keyExpiresAt: string | null;
  keyRevokedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An event's dealer directory. */
export interface DealerRepository {
  /** By name. */
  list(eventId: string): Promise<DealerRecord[]>;
  get(eventId: string, id: string): Promise<DealerRecord | null>;
  /**
   * Inserts or updates each dealer (by id) in one transaction: all or nothing. A dealer that
   * exists keeps its key; a new one gets `newKey()`.
   */
  upsertMany(eventId: string, dealers: DealerInput[], newKey: () => string, at: string): Promise<DealerRecord[]>;
  remove(eventId: string, id: string): Promise<boolean>;
}

/**
 * The life of the capability keys (host, the event's dealer key, each dealer's own key), named by
 * `KeyRef`. Each write resolves once committed and answers false when the event (or the dealer)
 * does not exist. A rotated key is forgotten except for its hash (`keyHash`), kept so that an
 * old link can be told "no longer valid" rather than "wrong".
 */
export interface KeyRepository {
  /**
   * Replaces the key with `secret` in one transaction: the old one's hash joins the retired
   * keys, a revocation is lifted, the expiry becomes `expiresAt`.
   */
  rotate(eventId: string, ref: KeyRef, secret: string, expiresAt: string | null, at: string): Promise<boolean>;
  /** The key opens nothing from now on (a repeat keeps the first `revokedAt`). */
  revoke(eventId: string, ref: KeyRef, at: string): Promise<boolean>;
  setExpiry(eventId: string, ref: KeyRef, expiresAt: string | null): Promise<boolean>;
  /** True when a key with this hash was once one of this event's and was rotated away. */
  wasRetired(eventId: string, hash: string): Promise<boolean>;
}

/** A file under `DATA_DIR/models/<eventId>/`, named by its content hash. */
export interface StoredFile {
  file: string;
  bytes: number;
}

/**
 * An event's uploaded model: the file as uploaded (kept) and the one viewers download, what
 * each costs, where it sits, and the camera that frames it.
 */
export interface ModelRecord {
  eventId: string;
  /** Shown as the vehicle's name. */
  name: string;
  original: StoredFile;
  /** The file served to viewers (the original itself when optimising did not make it smaller). */
  optimised: StoredFile;
  stats: { before: ModelStats; after: ModelStats };
  /** In the model's own units. */
  bounds: Bounds;
  pose: Pose;
  /** Why `optimised` is the original file, when it is. */
  note: string | null;
  /** Materials and variants of the served file. */
  details: ModelDetails;
  /** A still picture of the car for browsers without WebGL (rendered by the studio), or null. */
  poster: StoredFile | null;
  createdAt: string;
}

/** One model per event; a new upload replaces it. */
export interface ModelRepository {
  get(eventId: string): Promise<ModelRecord | null>;
  /**
   * Stores the event's model, replacing any earlier one, which is returned (its files are the
   * caller's to delete). Rejects for an unknown event.
   */
  put(model: ModelRecord): Promise<{ previous: ModelRecord | null }>;
  /** Sets the model's poster; returns the record as it was before (null: no model). */
  setPoster(eventId: string, poster: StoredFile): Promise<ModelRecord | null>;
}

/** Who opened which hotspot's card, for the report: one row per (hotspot, viewer), with a count. */
export interface HotspotOpenRepository {
  /** Counts one open; true the first time this viewer opens this hotspot. */
  record(eventId: string, hotspotId: string, viewerId: string, at: string): Promise<boolean>;
  /** Per hotspot: opens in all, and distinct viewers. */
  counts(eventId: string): Promise<Record<string, { opens: number; viewers: number }>>;
  /** Per viewer: opens in all, and distinct hotspots opened (the report's engagement score). */
  byViewer(eventId: string): Promise<Record<string, { opens: number; hotspots: number }>>;
}

/**
 * One socket connection of a viewer (presenters are not recorded): two tabs are two sessions.
 * `leftAt` is null while the socket is open, and stays null if the process died with it open.
 */
export interface ViewerSession {
  id: string;
  eventId: string;
  viewerId: string;
  /** The name the viewer gave when joining, if any. */
  name: string | null;
  joinedAt: string;
  leftAt: string | null;
}

/** A viewer's reactions with one emoji in one minute (`minute`: its first instant, ISO). */
export interface ReactionCount {
  eventId: string;
  viewerId: string;
  minute: string;
  emoji: string;
  count: number;
}

/**
 * What the audience did that only the report reads: who watched when, and who reacted. Written
 * in batches by `report/recorder.ts` (never on a viewer's path), so each method takes many rows
 * and commits them in one transaction.
 */
export interface AudienceRepository {
  /**
   * Stores each session, or ends one already stored: a stored session keeps its first
   * `leftAt`, so writing the same session again (a retry) changes nothing.
   */
  saveSessions(sessions: ViewerSession[]): Promise<void>;
  /** Oldest join first. */
  sessions(eventId: string): Promise<ViewerSession[]>;
  /** Adds each count to its (event, viewer, minute, emoji) total. */
  addReactions(counts: ReactionCount[]): Promise<void>;
  /** By minute, viewer, emoji. */
  reactions(eventId: string): Promise<ReactionCount[]>;
}

/**
 * One moment of a live presentation, recorded for the replay. `at`: ms since the epoch (the
 * recording process's clock). A pose is flat and rounded: `[px, py, pz, tx, ty, tz, fov (0: none), fly (0|1)]`.
 */
export type ReplayEntry =
  | { at: number; k: 'pose'; p: number[] }
  | { at: number; k: 'presentation'; presentation: PresentationChanged }
  | { at: number; k: 'question'; question: Question };

/** Entries written together; `id` is made by the recorder, so a retried write stores nothing twice. */
export interface ReplayChunk {
  id: string;
  eventId: string;
  /** `at` of its first entry: chunks are read back in this order. */
  firstAt: number;
  entries: ReplayEntry[];
}

/** The replay's recording, written in chunks by `replay/recorder.ts` (never on a viewer's path). */
export interface ReplayRepository {
  /** Stores the chunks in one transaction; a chunk already stored (same id) is left as it is. */
  append(chunks: ReplayChunk[]): Promise<void>;
  /** Every entry of the event's recording, oldest first. */
  entries(eventId: string): Promise<ReplayEntry[]>;
}

export interface Store {
  readonly kind: 'sqlite' | 'memory' | 'postgres';
  readonly events: EventRepository;
  readonly questions: QuestionRepository;
  readonly leads: LeadRepository;
  readonly dealers: DealerRepository;
  readonly keys: KeyRepository;
  readonly models: ModelRepository;
  readonly hotspotOpens: HotspotOpenRepository;
  readonly audience: AudienceRepository;
  readonly replay: ReplayRepository;
  /** true while the store can serve (for /healthz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
