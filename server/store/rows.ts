import type { EventStatus, Locale } from '../../shared/event.js';
import type { LeadRouting, LeadSource, LeadType } from '../../shared/lead.js';
import type { ModerationMode, QuestionStatus } from '../../shared/qa.js';
import type { EventBrand } from '../../shared/brand.js';
import type { VehicleSetup } from '../../shared/vehicle.js';
import type { DealerRecord, EventRecord, LeadRecord, ModelRecord, QuestionRecord, ReactionCount, ReplayEntry, StoredPresentation, ViewerSession } from './types.js';

/**
 * The tables' rows as both SQL stores read them, and the records they make. The stores differ
 * only in how a driver hands back two kinds of column: SQLite gives JSON as text and booleans
 * as 0/1, PostgreSQL gives `jsonb` parsed and real booleans; `Json<T>` and `Flag` take either.
 */
type Json<T> = T | string;
type Flag = boolean | number;

const json = <T>(value: Json<T>): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export interface EventRow {
  id: string;
  code: string;
  title: string;
  status: EventStatus;
  locale: Locale;
  starts_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
  host_key: string;
  dealer_key: string;
  host_key_expires_at: string | null;
  host_key_revoked_at: string | null;
  dealer_key_expires_at: string | null;
  dealer_key_revoked_at: string | null;
  /** Presentations saved before hotspots existed have no `hotspot`. */
  presentation: Json<Omit<StoredPresentation, 'hotspot'> & { hotspot?: string | null }>;
  qa_mode: ModerationMode;
  privacy_notice: string | null;
  privacy_contact: string | null;
  retention_months: number;
  stage: Json<VehicleSetup> | null;
  brand: Json<EventBrand>;
}

export const toEvent = (r: EventRow): EventRecord => ({
  id: r.id,
  code: r.code,
  title: r.title,
  status: r.status,
  locale: r.locale,
  startsAt: r.starts_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  createdAt: r.created_at,
  hostKey: r.host_key,
  dealerKey: r.dealer_key,
  hostKeyExpiresAt: r.host_key_expires_at,
  hostKeyRevokedAt: r.host_key_revoked_at,
  dealerKeyExpiresAt: r.dealer_key_expires_at,
  dealerKeyRevokedAt: r.dealer_key_revoked_at,
  presentation: { ...json(r.presentation), hotspot: json(r.presentation).hotspot ?? null },
  qaMode: r.qa_mode,
  privacyNotice: r.privacy_notice,
  privacyContact: r.privacy_contact,
  retentionMonths: r.retention_months,
  stage: r.stage === null ? null : json(r.stage),
  brand: json(r.brand),
});

export interface QuestionRow {
  id: string;
  event_id: string;
  viewer_id: string;
  name: string | null;
  text: string;
  status: QuestionStatus;
  pinned: Flag;
  votes: number;
  created_at: string;
}

export const toQuestion = (r: QuestionRow): QuestionRecord => ({
  id: r.id,
  eventId: r.event_id,
  viewerId: r.viewer_id,
  name: r.name,
  text: r.text,
  status: r.status,
  pinned: Boolean(r.pinned),
  votes: r.votes,
  createdAt: r.created_at,
});

export interface LeadRow {
  id: string;
  event_id: string;
  viewer_id: string;
  type: LeadType;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  postcode: string | null;
  dealer_id: string | null;
  dealer_name: string | null;
  routing: LeadRouting;
  preferred_date: string | null;
  variant: string | null;
  message: string | null;
  consent_marketing: Flag;
  consent_version: string;
  consent_at: string;
  source: LeadSource;
  created_at: string;
  contacted_at: string | null;
  fingerprint: string;
}

export const toLead = (r: LeadRow): LeadRecord => ({
  id: r.id,
  eventId: r.event_id,
  viewerId: r.viewer_id,
  type: r.type,
  firstName: r.first_name,
  lastName: r.last_name,
  email: r.email,
  phone: r.phone,
  postcode: r.postcode,
  dealerId: r.dealer_id,
  dealerName: r.dealer_name,
  routing: r.routing,
  preferredDate: r.preferred_date,
  variant: r.variant,
  message: r.message,
  consent: { contact: true, marketing: Boolean(r.consent_marketing), textVersion: r.consent_version, at: r.consent_at },
  source: r.source,
  createdAt: r.created_at,
  contactedAt: r.contacted_at,
  fingerprint: r.fingerprint,
});

export interface DealerRow {
  event_id: string;
  id: string;
  name: string;
  address: string;
  postcode: string;
  city: string;
  latitude: number;
  longitude: number;
  email: string;
  phone: string | null;
  key: string;
  key_expires_at: string | null;
  key_revoked_at: string | null;
  created_at: string;
  updated_at: string;
}

export const toDealer = (r: DealerRow): DealerRecord => ({
  eventId: r.event_id,
  id: r.id,
  name: r.name,
  address: r.address,
  postcode: r.postcode,
  city: r.city,
  latitude: r.latitude,
  longitude: r.longitude,
  email: r.email,
  phone: r.phone ?? undefined,
  key: r.key,
  keyExpiresAt: r.key_expires_at,
  keyRevokedAt: r.key_revoked_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface ModelRow {
  event_id: string;
  name: string;
  original_file: string;
  original_bytes: number;
  optimised_file: string;
  optimised_bytes: number;
  stats: Json<ModelRecord['stats']>;
  bounds: Json<ModelRecord['bounds']>;
  pose: Json<ModelRecord['pose']>;
  note: string | null;
  details: Json<ModelRecord['details']>;
  poster_file: string | null;
  poster_bytes: number | null;
  created_at: string;
}

export const toModel = (r: ModelRow): ModelRecord => ({
  eventId: r.event_id,
  name: r.name,
  original: { file: r.original_file, bytes: r.original_bytes },
  optimised: { file: r.optimised_file, bytes: r.optimised_bytes },
  stats: json(r.stats),
  bounds: json(r.bounds),
  pose: json(r.pose),
  note: r.note,
  details: json(r.details),
  poster: r.poster_file === null ? null : { file: r.poster_file, bytes: r.poster_bytes ?? 0 },
  createdAt: r.created_at,
});

export interface SessionRow {
  id: string;
  event_id: string;
  viewer_id: string;
  name: string | null;
  joined_at: string;
  left_at: string | null;
}

export const toSession = (r: SessionRow): ViewerSession => ({
  id: r.id,
  eventId: r.event_id,
  viewerId: r.viewer_id,
  name: r.name,
  joinedAt: r.joined_at,
  leftAt: r.left_at,
});

export interface ReactionRow {
  event_id: string;
  viewer_id: string;
  minute: string;
  emoji: string;
  count: number;
}

export const toReactionCount = (r: ReactionRow): ReactionCount => ({
  eventId: r.event_id,
  viewerId: r.viewer_id,
  minute: r.minute,
  emoji: r.emoji,
  count: r.count,
});

export interface ReplayChunkRow {
  entries: Json<ReplayEntry[]>;
}

/** The chunks' entries in time order (stable: entries of one moment keep their recorded order). */
export const toReplayEntries = (rows: ReplayChunkRow[]): ReplayEntry[] => rows.flatMap((r) => json(r.entries)).sort((a, b) => a.at - b.at);
