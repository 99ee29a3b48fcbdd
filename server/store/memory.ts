import type { DealerRecord, EventRecord, EventRepository, HotspotOpenRepository, ModelRecord, ModelRepository, NewEvent, NewQuestion, QuestionRecord, QuestionRepository, Store, StoredPresentation } from './types.js';
import { DuplicateCodeError } from './types.js';
import type { EventStatus } from '../../shared/event.js';
import { DEFAULT_RETENTION_MONTHS } from '../../shared/lead.js';
import { NO_BRAND } from '../../shared/brand.js';
import { memoryDealers, memoryLeads } from './memoryLeads.js';
import { memoryAudience, memoryReplay } from './memoryAudience.js';
import { memoryKeys } from './memoryKeys.js';

/** In-memory store for unit tests and throw-away demos; passes the same contract suite. */
export function createMemoryStore(): Store {
  const byId = new Map<string, EventRecord>();
  const clone = (e: EventRecord): EventRecord => structuredClone(e);

  const events: EventRepository = {
    async create(input: NewEvent) {
      for (const e of byId.values()) if (e.code === input.code) throw new DuplicateCodeError();
      const record: EventRecord = {
        ...structuredClone(input),
        status: 'scheduled',
        startedAt: null,
        endedAt: null,
        qaMode: 'pre',
        privacyNotice: null,
        privacyContact: null,
        retentionMonths: DEFAULT_RETENTION_MONTHS,
        stage: null,
        brand: { ...NO_BRAND },
        hostKeyExpiresAt: null,
        hostKeyRevokedAt: null,
        dealerKeyExpiresAt: null,
        dealerKeyRevokedAt: null,
      };
      byId.set(record.id, record);
      return clone(record);
    },
    async findById(id: string) {
      const e = byId.get(id);
      return e ? clone(e) : null;
    },
    async findByCode(code: string) {
      for (const e of byId.values()) if (e.code === code) return clone(e);
      return null;
    },
    async list(limit: number) {
      return [...byId.values()]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, limit)
        .map(clone);
    },
    async setStatus(id: string, status: EventStatus, at: string) {
      const e = byId.get(id);
      if (!e) return null;
      e.status = status;
      if (status === 'live' && !e.startedAt) e.startedAt = at;
      if (status === 'ended' && !e.endedAt) e.endedAt = at;
      return clone(e);
    },
    async savePresentation(id: string, p: StoredPresentation) {
      const e = byId.get(id);
      if (e) e.presentation = structuredClone(p);
    },
    async setQaMode(id, mode) {
      const e = byId.get(id);
      if (e) e.qaMode = mode;
    },
    async updateSettings(id, settings) {
      const e = byId.get(id);
      if (!e) return null;
      if (settings.privacyNotice !== undefined) e.privacyNotice = settings.privacyNotice;
      if (settings.privacyContact !== undefined) e.privacyContact = settings.privacyContact;
      if (settings.retentionMonths !== undefined) e.retentionMonths = settings.retentionMonths;
      if (settings.stage !== undefined) e.stage = structuredClone(settings.stage);
      if (settings.brand !== undefined) e.brand = structuredClone(settings.brand);
      return clone(e);
    },
  };

  const dealerRecords = new Map<string, DealerRecord>();
  return {
    kind: 'memory',
    events,
    questions: memoryQuestions(),
    leads: memoryLeads((eventId) => byId.get(eventId)?.retentionMonths),
    dealers: memoryDealers(dealerRecords),
    keys: memoryKeys(byId, dealerRecords),
    models: memoryModels((eventId) => byId.has(eventId)),
    hotspotOpens: memoryHotspotOpens(),
    audience: memoryAudience(),
    replay: memoryReplay(),
    healthy: async () => true,
    close: async () => {},
  };
}

function memoryQuestions(): QuestionRepository {
  const questions = new Map<string, QuestionRecord>();
  const votes = new Map<string, string>(); // `${questionId} ${viewerId}` → when
  const blocks = new Set<string>(); // `${eventId} ${viewerId}`
  const copy = (q: QuestionRecord): QuestionRecord => ({ ...q });
  const vote = (questionId: string, viewerId: string, add: boolean) => {
    const q = questions.get(questionId);
    if (!q) return null;
    const key = `${questionId} ${viewerId}`;
    const changed = add !== votes.has(key);
    if (changed) {
      if (add) votes.set(key, new Date().toISOString());
      else votes.delete(key);
      q.votes += add ? 1 : -1;
    }
    return { changed, votes: q.votes };
  };
  return {
    async ask(n: NewQuestion) {
      const existing = questions.get(n.id);
      if (existing) return { question: copy(existing), created: false };
      const q: QuestionRecord = { ...n, pinned: false, votes: 0 };
      questions.set(q.id, q);
      return { question: copy(q), created: true };
    },
    listByEvent: async (eventId) =>
      [...questions.values()].filter((q) => q.eventId === eventId).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map(copy),
    vote: async (questionId, viewerId) => vote(questionId, viewerId, true),
    unvote: async (questionId, viewerId) => vote(questionId, viewerId, false),
    votesOf: async (eventId, viewerId) =>
      [...votes.keys()].map((k) => k.split(' ')).filter(([qid, vid]) => vid === viewerId && questions.get(qid!)?.eventId === eventId).map(([qid]) => qid!),
    voters: async (eventId) =>
      [...votes]
        .map(([k, createdAt]) => [...k.split(' '), createdAt])
        .filter(([qid]) => questions.get(qid!)?.eventId === eventId)
        .map(([questionId, viewerId, createdAt]) => ({ questionId: questionId!, viewerId: viewerId!, createdAt: createdAt! })),
    async update(id, change) {
      const q = questions.get(id);
      if (!q) return null;
      if (change.pinned) for (const other of questions.values()) if (other.eventId === q.eventId && other.id !== id) other.pinned = false;
      q.status = change.status;
      q.pinned = change.pinned;
      return copy(q);
    },
    async block(eventId, viewerId) {
      blocks.add(`${eventId} ${viewerId}`);
      const hidden: QuestionRecord[] = [];
      for (const q of questions.values()) {
        if (q.eventId === eventId && q.viewerId === viewerId && q.status === 'pending') {
          q.status = 'hidden';
          q.pinned = false;
          hidden.push(copy(q));
        }
      }
      return hidden;
    },
    blockedViewers: async (eventId) => [...blocks].map((k) => k.split(' ')).filter(([e]) => e === eventId).map(([, v]) => v!),
  };
}

function memoryModels(eventExists: (eventId: string) => boolean): ModelRepository {
  const models = new Map<string, ModelRecord>();
  return {
    get: async (eventId) => structuredClone(models.get(eventId) ?? null),
    async put(model) {
      if (!eventExists(model.eventId)) throw new Error(`no event ${model.eventId}`);
      const previous = models.get(model.eventId) ?? null;
      models.set(model.eventId, structuredClone(model));
      return { previous };
    },
    async setPoster(eventId, poster) {
      const m = models.get(eventId);
      if (!m) return null;
      const previous = structuredClone(m);
      m.poster = { ...poster };
      return previous;
    },
  };
}

function memoryHotspotOpens(): HotspotOpenRepository {
  const opens = new Map<string, Map<string, number>>(); // `${eventId} ${hotspotId}` → viewer → opens
  return {
    async record(eventId, hotspotId, viewerId) {
      const key = `${eventId} ${hotspotId}`;
      const byViewer = opens.get(key) ?? new Map<string, number>();
      opens.set(key, byViewer);
      const n = (byViewer.get(viewerId) ?? 0) + 1;
      byViewer.set(viewerId, n);
      return n === 1;
    },
    async counts(eventId) {
      const out: Record<string, { opens: number; viewers: number }> = {};
      for (const [key, byViewer] of opens) {
        const [e, h] = key.split(' ');
        if (e !== eventId) continue;
        out[h!] = { opens: [...byViewer.values()].reduce((a, b) => a + b, 0), viewers: byViewer.size };
      }
      return out;
    },
    async byViewer(eventId) {
      const out: Record<string, { opens: number; hotspots: number }> = {};
      for (const [key, byViewer] of opens) {
        if (key.split(' ')[0] !== eventId) continue;
        for (const [viewerId, n] of byViewer) {
          const v = (out[viewerId] ??= { opens: 0, hotspots: 0 });
          v.opens += n;
          v.hotspots++;
        }
      }
      return out;
    },
  };
}
