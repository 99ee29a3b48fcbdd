/**
 * Side traffic during a Vitrine fan-out, on the presenter's side: Q&A in open moderation (a
 * question is visible to everybody at once), a dealer directory (so leads are routed as in a real
 * launch), and a chapter every CHAPTER_EVERY_MS while the host orbits. A chapter is what a
 * presenter's click does: stored, then `presentation:changed` to every viewer (a real broadcast to
 * all N), and the chapter's pose, which the relay sends like any other.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ack } from '../../shared/errors.js';
import type { HostSocket } from './host.js';
import { DEALERS } from './leads-data.js';
import type { ChapterSent } from './protocol.js';
import { api } from './server.js';

export const CHAPTER_EVERY_MS = 2000;
/** The first chapter comes this long after the window opens, the last at least this long before it closes. */
const CHAPTER_MARGIN_MS = 1000;
const ACK_TIMEOUT_MS = 10_000;

/** What the side traffic needs before the window: open Q&A, and dealers to route leads to. */
export async function prepareSide(url: string, event: { id: string; hostKey: string }, host: HostSocket): Promise<void> {
  await api(`${url}/api/events/${event.id}/directory`, event.hostKey, 'PUT', { dealers: DEALERS });
  const mode = await new Promise<Ack>((resolve) => host.emit('qa:mode', { mode: 'open' }, resolve));
  if (!mode.ok) throw new Error(`qa:mode open refused: ${mode.error.message}`);
}

/**
 * Sets chapters 1, 2, … (cycling over the vehicle's `chapters`; the event starts on chapter 0) on a
 * fixed schedule over `windowMs`. Each entry says when it was sent and how long its ack took
 * (null: refused or no ack within 10 s).
 */
export async function setChapters(host: HostSocket, windowMs: number, chapters: number): Promise<ChapterSent[]> {
  const start = performance.now();
  const sent: ChapterSent[] = [];
  const acks: Promise<void>[] = [];
  for (let k = 0; CHAPTER_MARGIN_MS + k * CHAPTER_EVERY_MS <= windowMs - CHAPTER_MARGIN_MS; k++) {
    await sleep(Math.max(0, start + CHAPTER_MARGIN_MS + k * CHAPTER_EVERY_MS - performance.now()));
    const chapter: ChapterSent = { at: Date.now(), index: (k + 1) % chapters, ackMs: null };
    sent.push(chapter);
    acks.push(
      new Promise((resolve) =>
        host.timeout(ACK_TIMEOUT_MS).emit('chapter:set', { index: chapter.index }, (err, a) => {
          if (!err && a.ok) chapter.ackMs = Date.now() - chapter.at;
          resolve();
        }),
      ),
    );
  }
  await Promise.all(acks);
  return sent;
}
