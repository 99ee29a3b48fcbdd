import type { AudienceRepository, ReactionCount, ReplayChunk, ReplayRepository, ViewerSession } from './types.js';
import { toReplayEntries } from './rows.js';

/** The memory store's sessions and reaction counts, with the SQL stores' rules. */
export function memoryAudience(): AudienceRepository {
  const sessions = new Map<string, ViewerSession>();
  const reactions = new Map<string, ReactionCount>(); // `${eventId} ${minute} ${viewerId} ${emoji}`
  return {
    async saveSessions(list) {
      for (const s of list) {
        const stored = sessions.get(s.id);
        if (stored) stored.leftAt ??= s.leftAt;
        else sessions.set(s.id, { ...s });
      }
    },
    sessions: async (eventId) =>
      [...sessions.values()]
        .filter((s) => s.eventId === eventId)
        .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.id.localeCompare(b.id))
        .map((s) => ({ ...s })),
    async addReactions(counts) {
      for (const c of counts) {
        const key = `${c.eventId} ${c.minute} ${c.viewerId} ${c.emoji}`;
        const stored = reactions.get(key);
        if (stored) stored.count += c.count;
        else reactions.set(key, { ...c });
      }
    },
    reactions: async (eventId) =>
      [...reactions.values()]
        .filter((c) => c.eventId === eventId)
        .sort((a, b) => a.minute.localeCompare(b.minute) || a.viewerId.localeCompare(b.viewerId) || a.emoji.localeCompare(b.emoji))
        .map((c) => ({ ...c })),
  };
}

/** The memory store's replay recording, with the SQL stores' rules. */
export function memoryReplay(): ReplayRepository {
  const chunks = new Map<string, ReplayChunk>();
  return {
    async append(list) {
      for (const c of list) if (!chunks.has(c.id)) chunks.set(c.id, structuredClone(c));
    },
    entries: async (eventId) =>
      toReplayEntries(
        [...chunks.values()]
          .filter((c) => c.eventId === eventId)
          .sort((a, b) => a.firstAt - b.firstAt)
          .map((c) => ({ entries: structuredClone(c.entries) })),
      ),
  };
}
