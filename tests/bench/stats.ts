/**
 * Pure helpers for the benchmark's numbers.
 *
 * Latencies are `clockMs() - pose.t` on one machine, kept to a tenth of a millisecond: a
 * histogram keyed by 0.1 ms stays small however many poses are received (a few thousand keys
 * at most), which lets each load-generator process send its whole distribution to the parent
 * in one message. Whole milliseconds were too coarse for comparisons of a 10–20 ms p99: one
 * step was 5–10% of it.
 */

/**
 * This machine's wall clock in ms, to the microsecond: the system clock read once at process
 * start, then the monotonic clock. Processes agree to within tens of microseconds (measured:
 * a message between two processes never arrives "before" it was sent), unlike `Date.now()`,
 * which truncates to the millisecond.
 */
export const clockMs = (): number => performance.timeOrigin + performance.now();

/** Milliseconds since `t` (a `clockMs()` reading, e.g. a pose's `t`), to 0.1 ms: a histogram key. */
export const msSince = (t: number): number => Math.round((clockMs() - t) * 10) / 10;

/** Latency (ms) → how many poses had it. */
export type Histogram = Map<number, number>;

export function record(h: Histogram, value: number, times = 1): void {
  h.set(value, (h.get(value) ?? 0) + times);
}

/** Adds every bucket of `from` into `into`. */
export function merge(into: Histogram, from: Iterable<readonly [number, number]>): Histogram {
  for (const [value, count] of from) record(into, value, count);
  return into;
}

export function total(h: Histogram): number {
  let n = 0;
  for (const count of h.values()) n += count;
  return n;
}

/**
 * Nearest-rank percentile: the smallest value v such that at least p% of the samples are ≤ v.
 * p in (0, 100]; p = 100 is the maximum. NaN for an empty histogram.
 */
export function percentile(h: Histogram, p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  const n = total(h);
  if (n === 0) return NaN;
  const rank = Math.ceil((p / 100) * n); // 1-based rank of the sample we want
  let seen = 0;
  for (const value of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(value)!;
    if (seen >= rank) return value;
  }
  return NaN; // unreachable: seen reaches n ≥ rank
}

export function mean(h: Histogram): number {
  const n = total(h);
  if (n === 0) return NaN;
  let sum = 0;
  for (const [value, count] of h) sum += value * count;
  return sum / n;
}
