/**
 * Pure helpers for the benchmark's numbers.
 *
 * Latencies are `Date.now() - pose.t` on one machine, so they are whole milliseconds: a
 * histogram keyed by millisecond is exact (no bucketing error) and stays small however many
 * poses are received, which lets each load-generator process send its whole distribution to
 * the parent in one message.
 */

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
