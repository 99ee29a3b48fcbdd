import { describe, expect, it } from 'vitest';
import { EventReport } from '../../shared/report.js';
import type { ViewerSession } from '../store/types.js';
import { computeReport, median, type ReportFacts } from './report.js';

const at = (hhmmss: string, day = '2026-12-01') => `${day}T${hhmmss}.000Z`;
let n = 0;
const session = (viewerId: string, name: string | null, from: string, to: string | null): ViewerSession => ({
  id: `s${++n}`,
  eventId: 'ev',
  viewerId,
  name,
  joinedAt: at(from),
  leftAt: to === null ? null : at(to),
});
const lead = (id: string, viewerId: string, type: 'test_drive' | 'quote' | 'brochure' | 'callback', dealerId: string | null, createdAt: string, contactedAt: string | null, source: 'live' | 'replay' = 'live') => ({
  id,
  viewerId,
  type,
  dealerId,
  createdAt,
  contactedAt,
  source,
});

/**
 * The scripted event of docs/protocol.md's worked example: 18:00–18:30, reported a day later.
 * Alice has two tabs; Bob's second session was left open by a crash; Dave reconnects at the
 * very instant he left; Eve's session write was lost but she sent a lead.
 */
const facts: ReportFacts = {
  event: { id: 'ev', startedAt: at('18:00:00'), endedAt: at('18:30:00') },
  sessions: [
    session('alice', 'Alice', '18:00:00', '18:10:00'),
    session('alice', null, '18:05:00', '18:12:00'),
    session('bob', null, '18:02:00', '18:03:30'),
    session('bob', null, '18:20:00', null),
    session('carol', null, '18:03:00', '18:08:00'),
    session('dave', 'Dave', '18:10:00', '18:15:00'),
    session('dave', 'Dave', '18:15:00', '18:16:00'),
  ],
  questions: [
    { viewerId: 'alice', name: 'Alice', status: 'answered', createdAt: at('18:04:10') },
    { viewerId: 'alice', name: 'Alice', status: 'visible', createdAt: at('18:05:00') },
    { viewerId: 'carol', name: 'Carole', status: 'answered', createdAt: at('18:06:30') },
    { viewerId: 'bob', name: null, status: 'hidden', createdAt: at('18:21:00') },
  ],
  voters: [
    { questionId: 'q1', viewerId: 'carol', createdAt: at('18:05:30') },
    { questionId: 'q1', viewerId: 'dave', createdAt: at('18:11:10') },
    { questionId: 'q2', viewerId: 'dave', createdAt: at('18:11:40') },
    { questionId: 'q3', viewerId: 'alice', createdAt: at('18:07:00') },
  ],
  reactions: [
    { eventId: 'ev', viewerId: 'alice', minute: at('18:01:00'), emoji: '🔥', count: 3 },
    { eventId: 'ev', viewerId: 'alice', minute: at('18:01:00'), emoji: '👏', count: 2 },
    { eventId: 'ev', viewerId: 'dave', minute: at('18:11:00'), emoji: '🔥', count: 60 },
    { eventId: 'ev', viewerId: 'bob', minute: at('18:22:00'), emoji: '❤️', count: 1 },
  ],
  hotspotOpens: { carol: { opens: 3, hotspots: 2 }, eve: { opens: 1, hotspots: 1 } },
  leads: [
    lead('L1', 'alice', 'test_drive', 'lyon-1', at('18:07:00'), at('18:12:00')),
    lead('L2', 'carol', 'quote', 'lyon-1', at('18:08:00'), at('10:08:00', '2026-12-02')),
    lead('L3', 'eve', 'brochure', 'paris-1', at('18:25:00'), null),
    lead('L4', 'alice', 'callback', null, at('18:26:00'), at('18:30:00')),
  ],
};
const NOW = new Date(at('18:00:00', '2026-12-02'));

describe('computeReport', () => {
  const report = computeReport(facts, NOW);

  it('matches its schema', () => {
    expect(EventReport.safeParse(report).success).toBe(true);
  });

  it('counts viewers once, and their time as the union of their sessions', () => {
    expect(report).toMatchObject({
      uniqueViewers: 5,
      peakConcurrent: 3,
      peakAt: at('18:03:00'),
      // alice 720 (two tabs), bob 90 + 600 (ended with the event), carol 300, dave 360 (one stretch), eve 0.
      watchTime: { averageSeconds: 414, medianSeconds: 360, totalSeconds: 2070 },
    });
  });

  it('counts questions, votes, reactions, hotspot opens and leads, with their rates', () => {
    expect(report).toMatchObject({
      questions: 4,
      answered: 2,
      votes: 4,
      reactions: 66,
      hotspotOpens: 4,
      leads: { total: 4, byType: { test_drive: 1, quote: 1, brochure: 1, callback: 1 }, byDealer: { 'lyon-1': 2, 'paris-1': 1 }, unrouted: 1, fromReplay: 0 },
      conversionRate: 3 / 5,
      interactionRate: 2 / 4,
      engagementRate: 4 / 5,
    });
  });

  it('measures time to first contact per dealer, judging only leads whose window is over', () => {
    expect(report.timeToFirstContact).toEqual({
      overall: { leads: 4, contacted: 3, medianSeconds: 300, within10Minutes: 2 / 4, within24Hours: 3 / 3, judged10Minutes: 4, judged24Hours: 3 },
      byDealer: {
        'lyon-1': { leads: 2, contacted: 2, medianSeconds: (300 + 57_600) / 2, within10Minutes: 1 / 2, within24Hours: 1, judged10Minutes: 2, judged24Hours: 2 },
        // L3, not contacted, is 23 h 35 old: late for 10 minutes, not yet for 24 hours.
        'paris-1': { leads: 1, contacted: 0, medianSeconds: null, within10Minutes: 0, within24Hours: null, judged10Minutes: 1, judged24Hours: 0 },
      },
      // The lead no dealer was given has its own row: the rows add up to the whole.
      unrouted: { leads: 1, contacted: 1, medianSeconds: 240, within10Minutes: 1, within24Hours: 1, judged10Minutes: 1, judged24Hours: 1 },
    });
  });

  it('names the most engaged named viewers and scores every lead', () => {
    expect(report.ambassadors).toEqual([
      { name: 'Alice', score: 20, watchSeconds: 720, questions: 2, votes: 1, reactions: 5, hotspotOpens: 0, leads: 2 },
      // 6 minutes + 2 votes + 60 reactions counted as 50.
      { name: 'Dave', score: 18, watchSeconds: 360, questions: 0, votes: 2, reactions: 60, hotspotOpens: 0, leads: 0 },
      // Named by her question; 2 distinct hotspots out of 3 opens.
      { name: 'Carole', score: 11, watchSeconds: 300, questions: 1, votes: 1, reactions: 0, hotspotOpens: 3, leads: 1 },
    ]);
    expect(report.leadScores).toEqual({ L1: 20, L2: 11, L3: 1, L4: 20 });
  });

  it('lays out every minute from the first fact to the last session end', () => {
    expect(report.timeline).toHaveLength(30);
    expect(report.timeline[0]!.minute).toBe(at('18:00:00'));
    expect(report.timeline.at(-1)!.minute).toBe(at('18:29:00'));
    const viewers = report.timeline.map((m) => m.viewers);
    expect(viewers).toEqual([1, 1, 2, 3, 2, 2, 2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const busy = (key: 'joins' | 'reactions' | 'questions' | 'votes' | 'leads') => Object.fromEntries(report.timeline.filter((m) => m[key] > 0).map((m) => [m.minute.slice(11, 16), m[key]]));
    expect(busy('reactions')).toEqual({ '18:01': 5, '18:11': 60, '18:22': 1 });
    expect(busy('questions')).toEqual({ '18:04': 1, '18:05': 1, '18:06': 1, '18:21': 1 });
    expect(busy('leads')).toEqual({ '18:07': 1, '18:08': 1, '18:25': 1, '18:26': 1 });
    expect(busy('votes')).toEqual({ '18:05': 1, '18:07': 1, '18:11': 2 });
    // First arrivals only: Alice's second tab, Bob's and Dave's returns are not joins; Eve has no session.
    expect(busy('joins')).toEqual({ '18:00': 1, '18:02': 1, '18:03': 1, '18:10': 1 });
  });

  it('counts the replay\'s leads, not their senders as viewers of the launch, nor in its timeline', () => {
    const withReplay = computeReport(
      {
        ...facts,
        leads: [
          ...facts.leads,
          // Zoé only watched the replay, the next morning; Carole, who watched live, asked again from it.
          lead('L5', 'zoe', 'brochure', 'paris-1', at('09:00:00', '2026-12-02'), null, 'replay'),
          lead('L6', 'carol', 'test_drive', 'lyon-1', at('09:30:00', '2026-12-02'), null, 'replay'),
        ],
      },
      NOW,
    );
    expect(withReplay).toMatchObject({
      uniqueViewers: 5,
      leads: { total: 6, byType: { test_drive: 2, quote: 1, brochure: 2, callback: 1 }, byDealer: { 'lyon-1': 3, 'paris-1': 2 }, unrouted: 1, fromReplay: 2 },
      conversionRate: 3 / 5,
    });
    expect(withReplay.leadScores).toMatchObject({ L5: 0, L6: 11 });
    expect(withReplay.timeline).toEqual(report.timeline);
  });

  it('ends a session never closed now while the event has not ended', () => {
    const live = computeReport({ ...facts, event: { ...facts.event, endedAt: null }, sessions: [session('bob', null, '18:20:00', null)], questions: [], reactions: [], leads: [], hotspotOpens: {}, voters: [] }, new Date(at('18:21:30')));
    expect(live.watchTime.totalSeconds).toBe(90);
    expect(live.timeline.map((m) => [m.minute.slice(11, 16), m.viewers])).toEqual([['18:20', 1], ['18:21', 1]]);
  });

  it('stops every session at the event\'s end, closed or not, and leaves out who came after it', () => {
    // Dave stayed on the closing card until 23:00; Bob and Zoé opened the link after the end.
    const late = computeReport({ ...facts, sessions: [session('dave', 'Dave', '18:25:00', '23:00:00'), session('bob', null, '18:40:00', null), session('zoe', 'Zoé', '19:00:00', '19:05:00')], questions: [], reactions: [], leads: [], hotspotOpens: {}, voters: [] }, NOW);
    expect(late.watchTime.totalSeconds).toBe(300);
    expect(late).toMatchObject({ uniqueViewers: 1, peakConcurrent: 1, watchTime: { averageSeconds: 300 }, engagementRate: 0 });
    expect(late.ambassadors.map((a) => a.name)).toEqual(['Dave']);
    expect(late.timeline.every((m) => m.minute < at('18:30:00'))).toBe(true);
    // Zoé's request from the closing card (a live lead, sent after the end) does not make her audience.
    const withLead = computeReport({ ...facts, sessions: [session('dave', 'Dave', '18:25:00', '23:00:00'), session('zoe', 'Zoé', '19:00:00', '19:05:00')], questions: [], reactions: [], hotspotOpens: {}, voters: [], leads: [lead('L9', 'zoe', 'brochure', null, at('19:02:00'), null)] }, NOW);
    expect(withLead).toMatchObject({ uniqueViewers: 1, watchTime: { averageSeconds: 300 }, conversionRate: 0, leads: { total: 1 } });
  });

  it('counts the launch itself, not the waiting room: its audience, watch time and peak start at the start', () => {
    const early = computeReport(
      {
        ...facts,
        sessions: [
          // Léa waited 15 minutes and gave up before the start; Marc waited 10 minutes and stayed 10.
          session('lea', 'Léa', '17:40:00', '17:55:00'),
          session('marc', 'Marc', '17:50:00', '18:10:00'),
          session('bob', null, '17:52:00', '17:58:00'),
          session('bob', null, '18:20:00', '18:25:00'),
        ],
        questions: [],
        voters: [],
        reactions: [],
        hotspotOpens: {},
        leads: [],
      },
      NOW,
    );
    expect(early).toMatchObject({ uniqueViewers: 2, peakConcurrent: 1, peakAt: at('18:00:00'), watchTime: { totalSeconds: 600 + 300, averageSeconds: 450 } });
    // Marc's 10 minutes of waiting are not watch time; Léa, who never saw the launch, is not listed.
    expect(early.ambassadors.map((a) => [a.name, a.watchSeconds])).toEqual([['Marc', 600]]);
    // The timeline still shows the arrivals before the start.
    expect(early.timeline[0]).toMatchObject({ minute: at('17:40:00'), viewers: 1, joins: 1 });
    expect(early.timeline.find((m) => m.minute === at('17:52:00'))).toMatchObject({ viewers: 3 });
  });

  it('counts everybody connected before the start while the event has not started', () => {
    const waiting = computeReport({ ...facts, event: { ...facts.event, startedAt: null, endedAt: null }, sessions: [session('lea', 'Léa', '17:40:00', '17:55:00')], questions: [], voters: [], reactions: [], hotspotOpens: {}, leads: [] }, new Date(at('17:56:00')));
    expect(waiting).toMatchObject({ uniqueViewers: 1, watchTime: { totalSeconds: 900 } });
  });

  it('gives null rates and an empty timeline for an event nobody watched', () => {
    const empty = computeReport({ event: { id: 'ev', startedAt: null, endedAt: null }, sessions: [], questions: [], voters: [], reactions: [], hotspotOpens: {}, leads: [] }, NOW);
    expect(empty).toMatchObject({
      uniqueViewers: 0,
      peakConcurrent: 0,
      peakAt: null,
      watchTime: { averageSeconds: null, medianSeconds: null, totalSeconds: 0 },
      conversionRate: null,
      interactionRate: null,
      engagementRate: null,
      timeToFirstContact: { overall: { leads: 0, contacted: 0, medianSeconds: null, within10Minutes: null, within24Hours: null, judged10Minutes: 0, judged24Hours: 0 }, byDealer: {}, unrouted: null },
      ambassadors: [],
      timeline: [],
    });
  });

  it('stops the timeline a day after its first minute', () => {
    const long = computeReport({ ...facts, event: { ...facts.event, endedAt: null }, sessions: [session('bob', null, '18:00:00', null)], questions: [], leads: [], reactions: [] }, new Date(at('18:00:00', '2026-12-05')));
    expect(long.watchTime.totalSeconds).toBe(4 * 86_400);
    expect(long.timeline).toHaveLength(1440);
    expect(long.timeline.every((m) => m.viewers === 1)).toBe(true);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });
});
