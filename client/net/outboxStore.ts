import type { ErrorBody } from '../../shared/errors.js';
import type { LeadSubmitInput, LeadType } from '../../shared/lead.js';

/**
 * Where the lead outbox keeps its leads: one localStorage key per lead, always written whole,
 * so two tabs of the same event never overwrite each other's leads (a shared list rewritten
 * read-modify-write would lose one tab's write). No timers, no sending: see outbox.ts.
 */

export type OutboxStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

export interface OutboxEntry {
  id: string;
  payload: LeadSubmitInput & { id: string };
  queuedAt: string;
}

/** What a reload still knows about a sent request: no personal data, only what it was and who calls back. */
export interface SentReceipt {
  id: string;
  type: LeadType;
  dealerName: string | null;
  at: string;
}

export const outboxPrefix = (code: string) => `vitrine.outbox.${code.toUpperCase()}.`;
export const outboxKey = (code: string, id: string) => `${outboxPrefix(code)}${id}`;
/** Before one key per lead: the whole queue, and the receipts, each under one key. Still read (and moved). */
export const legacyOutboxKey = (code: string) => `vitrine.leads.outbox.${code.toUpperCase()}`;
export const legacyReceiptsKey = (code: string) => `vitrine.leads.sent.${code.toUpperCase()}`;

/** What one key holds. `seq` orders leads across tabs and reloads (creation time, then id). */
export type Stored =
  | { state: 'pending'; seq: number; entry: OutboxEntry }
  | { state: 'refused'; seq: number; entry: OutboxEntry; error: ErrorBody }
  | { state: 'sent'; seq: number; receipt: SentReceipt };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isEntry = (e: unknown): e is OutboxEntry => isObject(e) && typeof e.id === 'string' && isObject(e.payload) && e.payload.id === e.id;
const isReceipt = (r: unknown): r is SentReceipt => isObject(r) && typeof r.id === 'string' && typeof r.type === 'string';

function parseStored(raw: string | null): Stored | null {
  if (!raw) return null;
  try {
    const s: unknown = JSON.parse(raw);
    if (!isObject(s) || typeof s.seq !== 'number') return null;
    if (s.state === 'pending' && isEntry(s.entry)) return s as Stored;
    if (s.state === 'refused' && isEntry(s.entry) && isObject(s.error) && typeof s.error.code === 'string') return s as Stored;
    if (s.state === 'sent' && isReceipt(s.receipt)) return s as Stored;
  } catch {
    /* not ours, or damaged: ignored */
  }
  return null;
}

export const idOf = (s: Stored) => (s.state === 'sent' ? s.receipt.id : s.entry.id);
export const bySeq = (a: Stored, b: Stored) => a.seq - b.seq || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);

export interface OutboxStore {
  load: (id: string) => Stored | null;
  /** False when the browser refused the write: the page's memory holds it. */
  save: (s: Stored) => boolean;
  remove: (id: string) => void;
  /** Every lead of the event on this device (and in this page's memory), in `seq` order. */
  all: () => Stored[];
}

export function createOutboxStore(code: string, storage: OutboxStorage | null): OutboxStore {
  const prefix = outboxPrefix(code);
  // Writes the browser refused (private mode, quota) live here for the page's life: they still
  // cover timeouts and reconnections, only not a reload. They win over the stored copy.
  const memory = new Map<string, string>();
  const getRaw = (key: string): string | null => {
    const kept = memory.get(key);
    if (kept !== undefined) return kept;
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  const save = (s: Stored): boolean => {
    const key = outboxKey(code, idOf(s));
    const raw = JSON.stringify(s);
    try {
      if (!storage) throw new Error('no storage');
      storage.setItem(key, raw);
      memory.delete(key);
      return true;
    } catch {
      memory.set(key, raw);
      return false;
    }
  };
  const remove = (id: string) => {
    const key = outboxKey(code, id);
    memory.delete(key);
    try {
      storage?.removeItem(key);
    } catch {
      /* nothing more to do */
    }
  };
  const load = (id: string) => parseStored(getRaw(outboxKey(code, id)));

  /** Entries queued under the old single keys: written one per key (never twice), then the old keys go. */
  const migrate = () => {
    let queue: string | null;
    let receipts: string | null;
    try {
      queue = storage?.getItem(legacyOutboxKey(code)) ?? null;
      receipts = storage?.getItem(legacyReceiptsKey(code)) ?? null;
    } catch {
      return;
    }
    if (!queue && !receipts) return;
    const list = (raw: string | null): unknown[] => {
      try {
        const parsed: unknown = raw ? JSON.parse(raw) : [];
        return Array.isArray(parsed) ? parsed : [];
      } catch {
        return [];
      }
    };
    const at = (iso: unknown, i: number) => (typeof iso === 'string' && Date.parse(iso)) || i;
    let moved = true;
    list(queue).forEach((e, i) => {
      if (isEntry(e) && !load(e.id)) moved = save({ state: 'pending', seq: at(e.queuedAt, i), entry: { id: e.id, payload: e.payload, queuedAt: String(e.queuedAt ?? '') } }) && moved;
    });
    list(receipts).forEach((r, i) => {
      if (isReceipt(r) && !load(r.id)) moved = save({ state: 'sent', seq: at(r.at, i), receipt: r }) && moved;
    });
    if (!moved) return; // storage is full: the old keys stay, and are read again next time
    try {
      storage?.removeItem(legacyOutboxKey(code));
      storage?.removeItem(legacyReceiptsKey(code));
    } catch {
      /* read again next time; moving is idempotent */
    }
  };

  const all = (): Stored[] => {
    migrate();
    const keys = new Set<string>(memory.keys());
    try {
      for (let i = 0; storage && i < storage.length; i++) keys.add(storage.key(i) ?? '');
    } catch {
      /* memory only */
    }
    const out: Stored[] = [];
    for (const key of keys) {
      const s = key.startsWith(prefix) ? parseStored(getRaw(key)) : null;
      if (s) out.push(s);
    }
    return out.sort(bySeq);
  };

  return { load, save, remove, all };
}
