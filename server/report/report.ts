import { LEAD_TYPES } from '../../shared/lead.js';
import {
  AMBASSADORS_MAX,
  SCORE_REACTIONS_CAP,
  SCORE_WEIGHTS,
  TIMELINE_MAX_MINUTES,
  type Ambassador,
  type Engagement,
  type EventReport,
  type FirstContact,
  type TimelineMinute,
} from '../../shared/report.js';
import type { EventRecord, LeadRecord, QuestionRecord, ReactionCount, ViewerSession } from '../store/types.js';
import { MINUTE_MS, livePresence, minuteOf, peakConcurrent, presenceByViewer, viewersPerMinute, watchSeconds, type Interval } from './presence.js';

/** Everything the report is computed from: stored facts of one event, nothing live. */
export interface ReportFacts {
  event: Pick<EventRecord, 'id' | 'startedAt' | 'endedAt'>;
  sessions: ViewerSession[];
  questions: Pick<QuestionRecord, 'viewerId' | 'name' | 'status' | 'createdAt'>[];
  /** The standing votes. */
  voters: { questionId: string; viewerId: string; createdAt: string }[];
  reactions: ReactionCount[];
  /** Per viewer: hotspot opens in all, and distinct hotspots opened. */
  hotspotOpens: Record<string, { opens: number; hotspots: number }>;
  leads: Pick<LeadRecord, 'id' | 'viewerId' | 'type' | 'dealerId' | 'createdAt' | 'contactedAt' | 'source'>[];
}

const CONTACT_WINDOWS_S = { within10Minutes: 10 * 60, within24Hours: 24 * 3600 } as const;

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Adds `by` (one) to `key`'s count. */
const bump = <K>(counts: Map<K, number>, key: K, by = 1) => counts.set(key, (counts.get(key) ?? 0) + by);

/**
 * The engagement score (docs/protocol.md): a minute watched is the unit; a question, which
 * costs typing, is worth three; a vote one; a reaction, a tap, a fifth, and no more than 50
 * count; each distinct hotspot opened, a deliberate look at a feature, one. One decimal.
 */
export function engagementScore(e: Omit<Engagement, 'score' | 'hotspotOpens'> & { hotspots: number }): number {
  const w = SCORE_WEIGHTS;
  const raw = (e.watchSeconds / 60) * w.watchMinute + e.questions * w.question + e.votes * w.vote + Math.min(e.reactions, SCORE_REACTIONS_CAP) * w.reaction + e.hotspots * w.hotspot;
  return Math.round(raw * 10) / 10;
}

/**
 * How fast leads were first contacted. A window's share counts, among the leads it can judge
 * (contacted, or older than the window now), those contacted within it.
 */
export function firstContact(leads: ReportFacts['leads'], now: number): FirstContact {
  const delays: number[] = [];
  for (const l of leads) if (l.contactedAt) delays.push(Math.max(0, Date.parse(l.contactedAt) - Date.parse(l.createdAt)) / 1000);
  const share = (windowS: number) => {
    let judged = 0;
    let within = 0;
    for (const l of leads) {
      const delay = l.contactedAt ? (Date.parse(l.contactedAt) - Date.parse(l.createdAt)) / 1000 : null;
      if (delay === null && (now - Date.parse(l.createdAt)) / 1000 < windowS) continue;
      judged++;
      if (delay !== null && delay <= windowS) within++;
    }
    return { share: rate(within, judged), judged };
  };
  const in10 = share(CONTACT_WINDOWS_S.within10Minutes);
  const in24 = share(CONTACT_WINDOWS_S.within24Hours);
  return {
    leads: leads.length,
    contacted: delays.length,
    medianSeconds: median(delays),
    within10Minutes: in10.share,
    within24Hours: in24.share,
    judged10Minutes: in10.judged,
    judged24Hours: in24.judged,
  };
}

/** Each viewer's latest name: from their sessions, else from their questions. */
function namesOf(facts: ReportFacts): Map<string, string> {
  const names = new Map<string, string>();
  for (const q of facts.questions) if (q.name) names.set(q.viewerId, q.name);
  for (const s of facts.sessions) if (s.name) names.set(s.viewerId, s.name);
  return names;
}

/** Per viewer: what they did, counted from the facts. */
interface Tallies {
  asked: Map<string, number>;
  voted: Map<string, number>;
  reacted: Map<string, number>;
  sentLeads: Map<string, number>;
  /** Every viewer, with their engagement. */
  engagement: Map<string, Engagement>;
}

function tally(facts: ReportFacts, presence: Map<string, Interval[]>): Tallies {
  const asked = new Map<string, number>();
  for (const q of facts.questions) bump(asked, q.viewerId);
  const voted = new Map<string, number>();
  for (const v of facts.voters) bump(voted, v.viewerId);
  const reacted = new Map<string, number>();
  for (const r of facts.reactions) bump(reacted, r.viewerId, r.count);
  const sentLeads = new Map<string, number>();
  for (const l of facts.leads) bump(sentLeads, l.viewerId);

  // Anyone who left a fact live was connected, even if their session's write was lost. A lead
  // from the replay is not: its sender may never have watched the launch itself; nor one sent
  // from the closing card after the end (the viewer page's requests stay open then).
  const endedAt = facts.event.endedAt === null ? Infinity : Date.parse(facts.event.endedAt);
  const liveLeads = facts.leads.filter((l) => l.source === 'live' && Date.parse(l.createdAt) <= endedAt).map((l) => l.viewerId);
  const viewers = new Set([...presence.keys(), ...asked.keys(), ...voted.keys(), ...reacted.keys(), ...liveLeads, ...Object.keys(facts.hotspotOpens)]);
  const engagement = new Map<string, Engagement>();
  for (const viewerId of viewers) {
    const e = {
      watchSeconds: watchSeconds(presence.get(viewerId) ?? []),
      questions: asked.get(viewerId) ?? 0,
      votes: voted.get(viewerId) ?? 0,
      reactions: reacted.get(viewerId) ?? 0,
      hotspots: facts.hotspotOpens[viewerId]?.hotspots ?? 0,
    };
    engagement.set(viewerId, { score: engagementScore(e), watchSeconds: e.watchSeconds, questions: e.questions, votes: e.votes, reactions: e.reactions, hotspotOpens: facts.hotspotOpens[viewerId]?.opens ?? 0 });
  }
  return { asked, voted, reacted, sentLeads, engagement };
}

const scoresOf = (facts: ReportFacts, engagement: Map<string, Engagement>): Record<string, number> =>
  Object.fromEntries(facts.leads.map((l) => [l.id, engagement.get(l.viewerId)?.score ?? 0]));

/**
 * Each viewer's stretches connected (`presence`, the timeline's), and those during the launch
 * itself (`live`): audience, watch time, peak and engagement count the launch, not the waiting room.
 */
function presenceOf(facts: ReportFacts, now: number): { presence: Map<string, Interval[]>; live: Map<string, Interval[]> } {
  const presence = presenceByViewer(facts.sessions, facts.event.endedAt, now);
  return { presence, live: livePresence(presence, facts.event.startedAt) };
}

/** Per lead id, the engagement score of the viewer who sent it (the dealers' CSV column). */
export function leadScores(facts: ReportFacts, now: Date): Record<string, number> {
  return scoresOf(facts, tally(facts, presenceOf(facts, now.getTime()).live).engagement);
}

/** The report's numbers from the facts; `now` ends sessions never closed of an event not ended. */
export function computeReport(facts: ReportFacts, now: Date): EventReport {
  const nowMs = now.getTime();
  const { presence, live } = presenceOf(facts, nowMs);
  const { asked, voted, reacted, sentLeads, engagement } = tally(facts, live);
  // Every viewer has an engagement entry.
  const uniqueViewers = engagement.size;
  const watched = [...engagement.values()].map((e) => e.watchSeconds);
  const totalWatch = watched.reduce((a, b) => a + b, 0);
  const peak = peakConcurrent(live);

  const byType = Object.fromEntries(LEAD_TYPES.map((t) => [t, 0])) as EventReport['leads']['byType'];
  const byDealer = new Map<string, ReportFacts['leads']>();
  const unrouted = facts.leads.filter((l) => l.dealerId === null);
  for (const l of facts.leads) {
    byType[l.type]++;
    if (l.dealerId === null) continue;
    const list = byDealer.get(l.dealerId) ?? [];
    list.push(l);
    byDealer.set(l.dealerId, list);
  }

  const names = namesOf(facts);
  const ambassadors: Ambassador[] = [...engagement]
    .filter(([viewerId, e]) => names.has(viewerId) && e.score > 0)
    .map(([viewerId, e]) => ({ name: names.get(viewerId)!, ...e, leads: sentLeads.get(viewerId) ?? 0 }))
    .sort((a, b) => b.score - a.score || b.watchSeconds - a.watchSeconds || a.name.localeCompare(b.name, 'fr'))
    .slice(0, AMBASSADORS_MAX);

  const engaged = new Set([...asked.keys(), ...voted.keys(), ...reacted.keys()]);
  const answered = facts.questions.filter((q) => q.status === 'answered').length;
  return {
    eventId: facts.event.id,
    generatedAt: now.toISOString(),
    startedAt: facts.event.startedAt,
    endedAt: facts.event.endedAt,
    uniqueViewers,
    peakConcurrent: peak.peak,
    peakAt: peak.at === null ? null : new Date(peak.at).toISOString(),
    watchTime: { averageSeconds: uniqueViewers ? totalWatch / uniqueViewers : null, medianSeconds: median(watched), totalSeconds: totalWatch },
    questions: facts.questions.length,
    answered,
    votes: facts.voters.length,
    reactions: facts.reactions.reduce((sum, r) => sum + r.count, 0),
    hotspotOpens: Object.values(facts.hotspotOpens).reduce((sum, h) => sum + h.opens, 0),
    leads: {
      total: facts.leads.length,
      byType,
      byDealer: Object.fromEntries([...byDealer].map(([id, leads]) => [id, leads.length])),
      unrouted: unrouted.length,
      fromReplay: facts.leads.filter((l) => l.source === 'replay').length,
    },
    // Viewers of the launch who asked for something, then or from the replay afterwards.
    conversionRate: rate([...sentLeads.keys()].filter((v) => engagement.has(v)).length, uniqueViewers),
    interactionRate: rate(answered, facts.questions.length),
    engagementRate: rate(engaged.size, uniqueViewers),
    timeToFirstContact: {
      overall: firstContact(facts.leads, nowMs),
      byDealer: Object.fromEntries([...byDealer].map(([id, leads]) => [id, firstContact(leads, nowMs)])),
      unrouted: unrouted.length ? firstContact(unrouted, nowMs) : null,
    },
    ambassadors,
    leadScores: scoresOf(facts, engagement),
    timeline: timeline(facts, presence),
  };
}

/**
 * One entry per minute, with no gaps, from the first minute anything happened (a join, a
 * question, a vote, a reaction, a lead) to the last (a session's end included), at most
 * TIMELINE_MAX_MINUTES long.
 */
function timeline(facts: ReportFacts, presence: Map<string, Interval[]>): TimelineMinute[] {
  const questions = new Map<number, number>();
  for (const q of facts.questions) bump(questions, minuteOf(Date.parse(q.createdAt)));
  const leads = new Map<number, number>();
  // The launch's minutes: the replay's leads, days later maybe, would stretch it to the limit.
  for (const l of facts.leads) if (l.source === 'live') bump(leads, minuteOf(Date.parse(l.createdAt)));
  const reactions = new Map<number, number>();
  for (const r of facts.reactions) bump(reactions, minuteOf(Date.parse(r.minute)), r.count);
  const votes = new Map<number, number>();
  for (const v of facts.voters) bump(votes, minuteOf(Date.parse(v.createdAt)));
  // A viewer's first arrival: their sessions' union starts there.
  const joins = new Map<number, number>();
  for (const list of presence.values()) if (list.length) bump(joins, minuteOf(Math.min(...list.map((i) => i.start))));

  let first = Infinity;
  let last = -Infinity;
  const see = (m: number) => {
    first = Math.min(first, m);
    last = Math.max(last, m);
  };
  for (const m of [...questions.keys(), ...leads.keys(), ...reactions.keys(), ...votes.keys()]) see(m);
  for (const list of presence.values()) {
    for (const i of list) {
      see(minuteOf(i.start));
      see(minuteOf(i.end > i.start ? i.end - 1 : i.start));
    }
  }
  if (first === Infinity) return [];
  last = Math.min(last, first + TIMELINE_MAX_MINUTES - 1);
  const viewers = viewersPerMinute(presence, first, last);
  const out: TimelineMinute[] = [];
  for (let m = first; m <= last; m++) {
    const at = (counts: Map<number, number>) => counts.get(m) ?? 0;
    out.push({ minute: new Date(m * MINUTE_MS).toISOString(), viewers: at(viewers), joins: at(joins), reactions: at(reactions), questions: at(questions), votes: at(votes), leads: at(leads) });
  }
  return out;
}
