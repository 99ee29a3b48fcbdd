/**
 * Side traffic during a Vitrine fan-out, on the load generator's side. A few "active" viewers
 * (real socket.io-client sockets, beside the N passive ones) ask questions, vote on each other's
 * and submit a test-drive lead while the host sends poses and sets chapters; each command's ack
 * is timed (acks.ts). And the matching of the chapters the host set with the `presentation:changed`
 * each passive viewer received. Used by viewers.ts.
 */
import { randomUUID } from 'node:crypto';
import { ACK_TIMEOUT_MS, command, newStats, pendingAcks, reported } from './acks.js';
import { connectViewers, viewerIds, type ConnectOptions, type Viewer } from './connect.js';
import { testDriveLead } from './leads-data.js';
import { DEFAULT_REACTIONS } from '../../shared/qa.js';
import type { ActiveReport, ChapterSent, SidePlan } from './protocol.js';

/** Questions a bench viewer asks (French, as the audience writes them). */
const QUESTIONS = [
  'Quelle autonomie réelle sur autoroute en hiver, chauffage allumé ?',
  'Le prix annoncé comprend-il le bonus écologique ?',
  'Peut-on tracter une remorque ou un vélo sur le toit ?',
  'Quel délai de livraison pour la teinte Rouge Rubis ?',
  'La pompe à chaleur est-elle de série sur toutes les finitions ?',
];

/** Votes wait at least this long for a question to vote on (asks come first in the window). */
const VOTE_RETRY_MS = 100;

/** The active viewers of one load generator and what they sent. */
export class ActiveViewers {
  private asks = newStats();
  private votes = newStats();
  private leads = newStats();
  private reacts = newStats();
  /** Questions acknowledged ok: what the others may vote on. */
  private questions: { id: string; by: number }[] = [];
  private voted = new Set<string>(); // `${viewer} ${question}`

  private constructor(private sockets: (Viewer | null)[]) {}

  /** Joins `count` viewers (`${idPrefix}-active-…`) as real socket.io clients, like a browser. */
  static async connect(count: number, o: Omit<ConnectOptions, 'setup'> & { idPrefix: string }): Promise<{ actives: ActiveViewers; failed: number; firstError: string | null }> {
    const joined = await connectViewers(viewerIds(`${o.idPrefix}-active`, count), o);
    return { actives: new ActiveViewers(joined.sockets), failed: joined.failed, firstError: joined.firstError };
  }

  /**
   * Schedules everything at random times in the window: questions in its first 40%, votes in the
   * rest (on questions already acknowledged, never one's own, never twice), leads and reactions
   * anywhere.
   */
  start(p: SidePlan): void {
    const at = (share: number): number => Math.max(0, p.at + share * p.windowMs - Date.now());
    const end = p.at + p.windowMs;
    this.sockets.forEach((socket, i) => {
      for (let k = 0; k < p.asks; k++) setTimeout(() => this.ask(i, socket), at(Math.random() * 0.4));
      for (let k = 0; k < p.votes; k++) setTimeout(() => this.vote(i, socket, end), at(0.4 + Math.random() * 0.6));
      for (let k = 0; k < p.leads; k++) setTimeout(() => command(this.leads, socket, (s, cb) => s.timeout(ACK_TIMEOUT_MS).emit('lead:submit', testDriveLead(undefined), cb as never)), at(Math.random()));
      for (let k = 0; k < p.reactions; k++) {
        const emoji = DEFAULT_REACTIONS[Math.floor(Math.random() * DEFAULT_REACTIONS.length)]!;
        setTimeout(() => command(this.reacts, socket, (s, cb) => s.timeout(ACK_TIMEOUT_MS).emit('reaction:send', { emoji }, cb as never)), at(Math.random()));
      }
    });
  }

  private ask(i: number, socket: Viewer | null): void {
    const id = randomUUID();
    const text = QUESTIONS[Math.floor(Math.random() * QUESTIONS.length)]!;
    command(this.asks, socket, (s, cb) => s.timeout(ACK_TIMEOUT_MS).emit('question:ask', { id, text }, cb as never), () => void this.questions.push({ id, by: i }));
  }

  /** One vote on a question someone else asked; waits for one (at most until the window's end). */
  private vote(i: number, socket: Viewer | null, end: number): void {
    const open = this.questions.filter((q) => q.by !== i && !this.voted.has(`${i} ${q.id}`));
    if (open.length === 0) {
      if (Date.now() < end) setTimeout(() => this.vote(i, socket, end), VOTE_RETRY_MS);
      return;
    }
    const q = open[Math.floor(Math.random() * open.length)]!;
    this.voted.add(`${i} ${q.id}`);
    command(this.votes, socket, (s, cb) => s.timeout(ACK_TIMEOUT_MS).emit('question:vote', { id: q.id }, cb as never));
  }

  report(): ActiveReport {
    return { asks: reported(this.asks), votes: reported(this.votes), leads: reported(this.leads), reacts: reported(this.reacts), unanswered: pendingAcks() };
  }
}

/**
 * When one viewer got each chapter the host set: `arrivals` is its `presentation:changed`
 * messages in arrival order, flattened [epoch ms, chapter, …]. A socket delivers in order, so
 * each chapter sent is the first arrival after the previous match that names it and comes after
 * its sending. Latency (ms) per chapter sent, null if it never arrived.
 */
export function chapterLatencies(arrivals: readonly number[], sent: readonly ChapterSent[]): (number | null)[] {
  let from = 0;
  return sent.map(({ at, index }) => {
    for (let j = from; j < arrivals.length; j += 2) {
      if (arrivals[j + 1] === index && arrivals[j]! >= at) {
        from = j + 2;
        return arrivals[j]! - at;
      }
    }
    return null;
  });
}
