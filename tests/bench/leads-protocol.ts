/** Messages between the bench and its lead-burst load generators (leads-viewers.ts), over Node IPC. */
import type { ConnectedMessage, ConnectTo } from './protocol.js';

export interface LeadsPlan {
  /** When the host will send `cta:open` (epoch ms; every process shares the clock): the burst window is [ctaAt, ctaAt + windowMs]. */
  ctaAt: number;
  /** Each viewer submits a uniformly random delay in [0, windowMs) after it sees the CTA. */
  windowMs: number;
  /** Share of viewers that send the same lead again right after its ack (an outbox retry). */
  resendShare: number;
  /** Share of viewers that send it twice at once, before any ack (two taps, two tabs). */
  concurrentShare: number;
}

export type ToLeadsWorker =
  | (ConnectTo & { viewers: number })
  | { type: 'arm'; plan: LeadsPlan }
  /** How many of this generator's viewers still owe a lead or an ack. */
  | { type: 'status' }
  /** `ctaSentAt`: when the host really sent `cta:open`, the origin of the CTA delivery latency. */
  | { type: 'report'; ctaSentAt: number };

/** Outcomes of the repeats (same id, same body): each must be `ok` with the first receipt. */
export interface RepeatStats {
  afterAck: number;
  concurrent: number;
  ok: number;
  sameReceipt: number;
  errors: Record<string, number>;
}

export interface LeadsWorkerReport {
  type: 'report';
  viewers: number;
  /** Viewers that got `presentation:changed` with the CTA, and [ms after ctaSentAt, count]. */
  ctaReceived: number;
  ctaHistogram: [number, number][];
  /** One lead per viewer that saw the CTA; its ack is the first answer to any of its messages. */
  sent: number;
  ok: number;
  /** Refusals by error code, and `no_ack` for no answer within 30 s (or a closed socket). */
  errors: Record<string, number>;
  /** [ms from the lead's first send to its first ack, count], answered leads only. */
  ackHistogram: [number, number][];
  lastAckAt: number;
  repeats: RepeatStats;
  /** Ids of the leads acknowledged ok: what the server must have stored, once each. */
  okIds: string[];
  /** Orbit poses sent within the burst window: [latency ms, count], and how many arrived. */
  poseHistogram: [number, number][];
  posesReceived: number;
  disconnects: number;
  loopP99Ms: number;
}

export type FromLeadsWorker = ConnectedMessage | { type: 'armed' } | { type: 'status'; waiting: number } | LeadsWorkerReport;
