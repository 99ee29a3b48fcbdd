import type { ViewerSession } from '../store/types.js';

export const MINUTE_MS = 60_000;

/** A stretch of time in epoch ms, `start` included, `end` excluded. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * When a session ends for the report: when the viewer left, or for a session never closed (its
 * process crashed, or it is still open) now; in both cases no later than the event's end (a tab
 * left open on the ended page overnight is not watching), and never before the join.
 */
export function sessionEnd(s: Pick<ViewerSession, 'joinedAt' | 'leftAt'>, endedAt: string | null, now: number): number {
  const left = s.leftAt !== null ? Date.parse(s.leftAt) : now;
  const end = endedAt !== null ? Math.min(left, Date.parse(endedAt)) : left;
  return Math.max(Date.parse(s.joinedAt), end);
}

/**
 * Each viewer's time connected: the union of their sessions, so two tabs open together count
 * once and a reconnect at the same instant is one stretch. Sorted, disjoint, not touching.
 * Sessions that lasted no time once clipped to the event's end (opened after it) are left out.
 */
export function presenceByViewer(sessions: ViewerSession[], endedAt: string | null, now: number): Map<string, Interval[]> {
  const raw = new Map<string, Interval[]>();
  for (const s of sessions) {
    const start = Date.parse(s.joinedAt);
    const end = sessionEnd(s, endedAt, now);
    // Nothing of it before the end (a link opened on the closing card, the day after): not an
    // audience of the launch, in no figure of the report.
    if (!(end > start)) continue;
    const list = raw.get(s.viewerId) ?? [];
    list.push({ start, end });
    raw.set(s.viewerId, list);
  }
  const merged = new Map<string, Interval[]>();
  for (const [viewerId, list] of raw) {
    list.sort((a, b) => a.start - b.start);
    const out: Interval[] = [];
    for (const i of list) {
      const last = out.at(-1);
      if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
      else out.push({ ...i });
    }
    merged.set(viewerId, out);
  }
  return merged;
}

/**
 * The stretches during the launch itself: from its start (the waiting room before it is not
 * watching the launch), the end being already clipped by `presenceByViewer`. A viewer who only
 * waited and left before the start is not in it. Before the start (`startedAt` null) it is all
 * of `presence`.
 */
export function livePresence(presence: Map<string, Interval[]>, startedAt: string | null): Map<string, Interval[]> {
  if (startedAt === null) return presence;
  const from = Date.parse(startedAt);
  const live = new Map<string, Interval[]>();
  for (const [viewerId, list] of presence) {
    const kept = list.filter((i) => i.end > from).map((i) => ({ start: Math.max(i.start, from), end: i.end }));
    if (kept.length) live.set(viewerId, kept);
  }
  return live;
}

/** Total length of a viewer's stretches, in seconds. */
export const watchSeconds = (intervals: Interval[]): number => intervals.reduce((sum, i) => sum + (i.end - i.start), 0) / 1000;

/**
 * The most viewers connected at the same instant, and when that was first reached. Stretches
 * are half-open: a viewer leaving at the instant another joins is not counted with them.
 */
export function peakConcurrent(presence: Map<string, Interval[]>): { peak: number; at: number | null } {
  const changes: [number, number][] = [];
  for (const list of presence.values()) {
    for (const i of list) if (i.end > i.start) changes.push([i.start, 1], [i.end, -1]);
  }
  // At the same instant, leaves before joins.
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  let at: number | null = null;
  for (const [time, delta] of changes) {
    current += delta;
    if (current > peak) {
      peak = current;
      at = time;
    }
  }
  return { peak, at };
}

/** The minute (index since the epoch) an instant falls in. */
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS);

/**
 * Per minute index in [from, to]: how many distinct viewers were connected at some instant of
 * it. A stretch covers the minutes from its start to its last millisecond; an empty one, its
 * start's minute.
 */
export function viewersPerMinute(presence: Map<string, Interval[]>, from: number, to: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const list of presence.values()) {
    let counted = from - 1;
    for (const i of list) {
      const last = Math.min(to, minuteOf(i.end > i.start ? i.end - 1 : i.start));
      for (let m = Math.max(minuteOf(i.start), counted + 1); m <= last; m++) counts.set(m, (counts.get(m) ?? 0) + 1);
      counted = Math.max(counted, last);
    }
  }
  return counts;
}
