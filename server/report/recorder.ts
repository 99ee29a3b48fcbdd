import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { AudienceRepository, ReactionCount, ViewerSession } from '../store/types.js';
import { MINUTE_MS } from './presence.js';

/** The report's facts are written at most this often per process: one batch, whatever the traffic. */
export const RECORD_FLUSH_MS = 250;

/** A batch the store refused is tried again this much later (with whatever came meanwhile). */
export const RECORD_RETRY_MS = 5_000;

/**
 * Keeps, for the report, who watched when and who reacted, off the viewers' path: a join, a
 * leave or a reaction only touches memory, and one timer writes what gathered since the last
 * batch. Thousands of reactions a second become a few rows (per viewer, minute and emoji).
 *
 * A session this process still has open is ended by `close()` (a normal shutdown). One left
 * open by a crash stays without `leftAt`; the report ends it when the event ended (or now).
 */
export class AudienceRecorder {
  /** Sessions whose socket is still open, by id. */
  private open = new Map<string, ViewerSession>();
  /** Sessions to write (a copy each: the latest state). */
  private sessions = new Map<string, ViewerSession>();
  private reactions = new Map<string, ReactionCount>();
  private timer: NodeJS.Timeout | null = null;
  /** The batch being written: batches go one after the other, never overlapping. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private audience: AudienceRepository,
    private log: Logger,
    // Read at each call, not captured: a test's fake clock must reach it.
    private now: () => number = () => Date.now(),
  ) {}

  /** Viewer sessions this process has open. */
  get openSessions(): number {
    return this.open.size;
  }

  /** A viewer's socket joined; returns the session's id for `left`. */
  joined(eventId: string, viewerId: string, name: string | null): string {
    const session: ViewerSession = { id: randomUUID(), eventId, viewerId, name, joinedAt: new Date(this.now()).toISOString(), leftAt: null };
    this.open.set(session.id, session);
    this.sessions.set(session.id, { ...session });
    this.schedule();
    return session.id;
  }

  left(sessionId: string): void {
    const session = this.open.get(sessionId);
    if (!session) return;
    this.open.delete(sessionId);
    this.sessions.set(sessionId, { ...session, leftAt: new Date(this.now()).toISOString() });
    this.schedule();
  }

  reacted(eventId: string, viewerId: string, emoji: string): void {
    const minute = new Date(Math.floor(this.now() / MINUTE_MS) * MINUTE_MS).toISOString();
    this.addReactions([{ eventId, viewerId, minute, emoji, count: 1 }]);
    this.schedule();
  }

  /** Writes what gathered; resolves once it is written (or failed and was put back for later). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const sessions = [...this.sessions.values()];
    const reactions = [...this.reactions.values()];
    this.sessions.clear();
    this.reactions.clear();
    if (sessions.length || reactions.length) this.writing = this.writing.then(() => this.write(sessions, reactions));
    return this.writing;
  }

  /** Shutdown: every session still open ends now, and everything is written. */
  async close(): Promise<void> {
    for (const id of [...this.open.keys()]) this.left(id);
    await this.flush();
  }

  private schedule(delay = RECORD_FLUSH_MS): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), delay);
    this.timer.unref();
  }

  private addReactions(counts: ReactionCount[]): void {
    for (const c of counts) {
      const key = `${c.eventId} ${c.minute} ${c.viewerId} ${c.emoji}`;
      const pending = this.reactions.get(key);
      if (pending) pending.count += c.count;
      else this.reactions.set(key, { ...c });
    }
  }

  /** Each kind on its own: a failed one is put back without writing the other twice. */
  private async write(sessions: ViewerSession[], reactions: ReactionCount[]): Promise<void> {
    const [savedSessions, savedReactions] = await Promise.allSettled([this.audience.saveSessions(sessions), this.audience.addReactions(reactions)]);
    let failed = false;
    if (savedSessions.status === 'rejected') {
      failed = true;
      this.log.warn({ err: savedSessions.reason, sessions: sessions.length }, 'could not record viewer sessions; retrying');
      // A session that changed meanwhile keeps its newer copy.
      for (const s of sessions) if (!this.sessions.has(s.id)) this.sessions.set(s.id, s);
    }
    if (savedReactions.status === 'rejected') {
      failed = true;
      this.log.warn({ err: savedReactions.reason, rows: reactions.length }, 'could not record reactions; retrying');
      this.addReactions(reactions);
    }
    if (failed) this.schedule(RECORD_RETRY_MS);
  }
}
