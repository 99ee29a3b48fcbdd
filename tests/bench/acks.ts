/**
 * Commands that take an acknowledgement, sent by the load generators' viewers (the Q&A burst's,
 * and the fan-out's active viewers): each kind's outcomes (ok, rate-limited, other error, no
 * answer) and ack latency, counted the same way everywhere, and summed over load generators.
 */
import type { Ack } from '../../shared/errors.js';
import { clockMs, merge, msSince, percentile, record, type Histogram } from './stats.js';

export const ACK_TIMEOUT_MS = 30_000;

/** Ack outcomes of one command kind, and ack latency [ms, count] histogram of the answered ones. */
export interface AckStats {
  sent: number;
  ok: number;
  rateLimited: number;
  otherErrors: number;
  /** Never answered (30 s timeout or socket closed). */
  noAck: number;
  firstError: string | null;
  histogram: [number, number][];
}

/** AckStats being counted in a load generator (the histogram as a Map until it is reported). */
export type Counting = AckStats & { h: Histogram };

export const newStats = (): Counting => ({ sent: 0, ok: 0, rateLimited: 0, otherErrors: 0, noAck: 0, firstError: null, histogram: [], h: new Map() });

/** What a load generator sends its parent. */
export const reported = ({ h, ...s }: Counting): AckStats => ({ ...s, histogram: [...h] });

let pending = 0;
/** Acks this process still awaits, all kinds together: a scenario's drain waits for 0. */
export const pendingAcks = (): number => pending;

/**
 * Sends one command with an ack, counting its outcome; `onOk` gets the ack's data. `emit` sends
 * it with a callback that gets an error when no answer came within ACK_TIMEOUT_MS or the socket
 * went: socket.io-client's `socket.timeout(ACK_TIMEOUT_MS).emit(…)`, or a LightSocket's `emit`
 * (light-socket.ts, whose ack timeout is ACK_TIMEOUT_MS unless told otherwise).
 */
export function command<T, S extends { readonly connected: boolean }>(
  stats: Counting,
  socket: S | null | undefined,
  emit: (s: S, cb: (err: Error | null, a?: Ack<T>) => void) => void,
  onOk?: (data: T | undefined) => void,
  onNoAck?: () => void,
): void {
  stats.sent++;
  if (!socket?.connected) {
    stats.noAck++;
    onNoAck?.();
    return;
  }
  pending++;
  const t0 = clockMs();
  emit(socket, (err, a) => {
    pending--;
    if (err || !a) {
      stats.noAck++;
      onNoAck?.();
      return;
    }
    record(stats.h, msSince(t0));
    if (a.ok) {
      stats.ok++;
      onOk?.(a.data);
    } else if (a.error.code === 'rate_limited') stats.rateLimited++;
    else {
      stats.otherErrors++;
      stats.firstError ??= `${a.error.code}: ${a.error.message}`;
    }
  });
}

export interface AckSummary extends Omit<AckStats, 'histogram'> {
  ackP50Ms: number;
  ackP99Ms: number;
}

/** One command kind over every load generator. */
export function summarize(all: AckStats[]): AckSummary {
  const h: Histogram = new Map();
  for (const s of all) merge(h, s.histogram);
  const add = (k: 'sent' | 'ok' | 'rateLimited' | 'otherErrors' | 'noAck'): number => all.reduce((n, s) => n + s[k], 0);
  return {
    sent: add('sent'),
    ok: add('ok'),
    rateLimited: add('rateLimited'),
    otherErrors: add('otherErrors'),
    noAck: add('noAck'),
    firstError: all.find((s) => s.firstError)?.firstError ?? null,
    ackP50Ms: percentile(h, 50),
    ackP99Ms: percentile(h, 99),
  };
}
