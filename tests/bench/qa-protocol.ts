/** Messages between the bench and its Q&A load generators (qa-viewers.ts), over Node IPC. */
import type { AckStats } from './acks.js';
import type { ConnectedMessage, ConnectTo } from './protocol.js';

export interface QaPlan {
  /** When the burst starts and how long it lasts (epoch ms; every process shares the clock). */
  at: number;
  burstMs: number;
  /** This generator's share of the questions and of the vote messages (duplicates included). */
  questions: number;
  votes: number;
  /** Reactions each active viewer sends during the burst (well under 10/s). */
  reactionsPerViewer: number;
  /** Share of vote messages that repeat a vote the same viewer already sent on the same socket. */
  repeatShare: number;
}

export type ToQaWorker =
  /** `viewers` distinct viewers, of which `observers` only watch; `twins` voters get a 2nd socket. */
  | (ConnectTo & { viewers: number; observers: number; twins: number })
  | { type: 'burst'; plan: QaPlan }
  /** How far the generator is: acks still owed, and when an observer last saw a vote count move. */
  | { type: 'status' }
  | { type: 'report'; finalDeadlineMs: number };

export interface QaWorkerReport {
  type: 'report';
  sockets: number;
  asks: AckStats;
  votes: AckStats;
  reactions: AckStats;
  /** Distinct (viewerId, questionId) pairs among acknowledged-ok votes: what the server must store. */
  distinctPairs: number;
  /** Pairs with a vote message that got no ack: the exact comparison is void if this is not 0. */
  unsurePairs: number;
  /** One entry per distinct pair: question, earliest send (epoch ms), lowest `votes` acked. */
  pairVotes: [string, number, number][];
  /** Per observer: question id → [arrival epoch ms, votes][] of the question in `questions:changed` batches, in arrival order. */
  observed: Record<string, [number, number][]>[];
  /** `reactions` broadcasts received per socket during the burst (all sockets), and observers' arrival times. */
  reactionCounts: number[];
  observerReactionTimes: number[][];
  /** Pose latency [ms, count] over orbit poses received from the burst start on; final pose. */
  poseHistogram: [number, number][];
  posesReceived: number;
  finalReceived: number;
  finalMaxMs: number;
  finalEver: number;
  disconnects: number;
  loopP99Ms: number;
}

export type FromQaWorker =
  | ConnectedMessage
  | { type: 'bursting' }
  | { type: 'status'; pendingAcks: number; lastUpdateAt: number; sentAll: boolean }
  | QaWorkerReport;
