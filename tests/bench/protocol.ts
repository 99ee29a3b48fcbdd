/** Messages between the bench (parent) and its viewer load-generator processes, over Node IPC. */
import type { AckStats } from './acks.js';
import type { WireProtocol } from './connect-ws.js';

/** The presenter's last pose: a height no orbit pose has, so viewers recognise it by position. */
export const FINAL_POSITION: [number, number, number] = [0.25, 7.75, -0.5];
export const isFinal = (position: readonly number[]): boolean => position[1] === FINAL_POSITION[1];

export type ToWorker =
  /** Connect `count` viewers speaking `protocol` (connect-ws.ts), and `actives` more that take part (side-viewers.ts). */
  | (ConnectTo & { count: number; protocol: WireProtocol; actives: number })
  /** Forget everything received so far: the measured window starts now; the active viewers follow `side`. */
  | { type: 'begin'; side: SidePlan | null }
  /** Send a `report` of the window; the final pose counts if it arrived within the deadline. */
  | { type: 'report'; finalDeadlineMs: number; chapters: ChapterSent[] };

/**
 * Side traffic during a Vitrine fan-out: what each active viewer sends within
 * [at, at + windowMs] (epoch ms; every process shares the clock), at random times.
 */
export interface SidePlan {
  at: number;
  windowMs: number;
  asks: number;
  votes: number;
  leads: number;
  /** `reaction:send`, the commonest thing a viewer does. */
  reactions: number;
}

/** A chapter the host set: when it sent `chapter:set` (epoch ms), which one, and its ack (ms, null if none). */
export interface ChapterSent {
  at: number;
  index: number;
  ackMs: number | null;
}

/** What a load generator's active viewers sent and were answered; `unanswered`: acks still owed at the report. */
export interface ActiveReport {
  asks: AckStats;
  votes: AckStats;
  leads: AckStats;
  reacts: AckStats;
  unanswered: number;
}

export interface WorkerReport {
  type: 'report';
  viewers: number;
  /** [latency ms, count] for every orbit pose received in the window (the final pose is apart). */
  histogram: [number, number][];
  received: number;
  /** Fewest orbit poses any single viewer of this worker received (fairness of shedding). */
  minReceived: number;
  /** Viewers that received the final pose within the deadline, and the slowest of them (ms). */
  finalReceived: number;
  finalMaxMs: number;
  /** Viewers whose socket closed during the window (no reconnection: a drop is counted, not hidden). */
  disconnects: number;
  /** This process's event-loop delay p99 in the window: a saturated load generator inflates latency. */
  loopP99Ms: number;
  /** Per chapter sent (in order): how many of these viewers got its `presentation:changed`; [host send → arrival ms, count]. */
  chapterReceived: number[];
  chapterHistogram: [number, number][];
  /** `questions:changed` messages these viewers received in the window (the audience's Q&A batches). */
  questionBatches: number;
  /** The active viewers' commands (load generator 0 only). */
  side: ActiveReport | null;
}

/** Every load generator's first order: join the event, at most `batch` handshakes in flight at a time, viewerIds `${idPrefix}-000000`…. */
export type ConnectTo = { type: 'connect'; url: string; code: string; batch: number; idPrefix: string };

/** A load generator's answer once its viewers are connected (every scenario). */
export type ConnectedMessage = { type: 'connected'; connected: number; failed: number; firstError: string | null; ms: number };

export type FromWorker =
  | ConnectedMessage
  | { type: 'begun' }
  | WorkerReport;
