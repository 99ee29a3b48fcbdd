import type { EventRecord, EventRepository, NewEvent, Store, StoredPresentation } from './types.js';
import { DuplicateCodeError } from './types.js';
import type { EventStatus } from '../../shared/event.js';

/** In-memory store for unit tests and throw-away demos; passes the same contract suite. */
export function createMemoryStore(): Store {
  const byId = new Map<string, EventRecord>();
  const clone = (e: EventRecord): EventRecord => structuredClone(e);

  const events: EventRepository = {
    async create(input: NewEvent) {
      for (const e of byId.values()) if (e.code === input.code) throw new DuplicateCodeError();
      const record: EventRecord = { ...structuredClone(input), status: 'scheduled', startedAt: null, endedAt: null };
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
  };

  return { kind: 'memory', events, healthy: async () => true, close: async () => {} };
}
