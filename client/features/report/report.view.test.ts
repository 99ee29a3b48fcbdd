import { describe, expect, it } from 'vitest';
import type { EventReport, FirstContact } from '../../../shared/report.js';
import { contrast } from '../brand/colour.js';
import { chartPalette, PAPER, readableOn } from './chartPalette.js';
import { countRange, dealerRows, durationParts, formatRate, formatScore, leadTypeRows, livePeak, MIN_SPAN_S, timelineColumns, timeRange } from './report.view.js';

const contact = (leads: number, contacted: number): FirstContact => ({ leads, contacted, medianSeconds: contacted ? 300 : null, within10Minutes: contacted ? 1 : null, within24Hours: contacted ? 1 : null, judged10Minutes: contacted, judged24Hours: contacted });

const report = (over: Partial<EventReport> = {}): EventReport => ({
  eventId: 'ev1',
  generatedAt: '2026-12-01T19:30:00.000Z',
  startedAt: '2026-12-01T18:00:00.000Z',
  endedAt: null,
  uniqueViewers: 3,
  peakConcurrent: 2,
  peakAt: '2026-12-01T18:01:00.000Z',
  watchTime: { averageSeconds: 120, medianSeconds: 100, totalSeconds: 360 },
  questions: 2,
  answered: 1,
  votes: 4,
  reactions: 9,
  hotspotOpens: 0,
  leads: { total: 5, byType: { test_drive: 3, quote: 0, brochure: 1, callback: 1 }, byDealer: { 'paris-1': 1, 'lyon-1': 3 }, unrouted: 1, fromReplay: 0 },
  conversionRate: 0.5,
  interactionRate: 0.5,
  engagementRate: 2 / 3,
  timeToFirstContact: { overall: contact(5, 2), byDealer: { 'lyon-1': contact(3, 1), 'paris-1': contact(1, 0) }, unrouted: contact(1, 1) },
  ambassadors: [],
  leadScores: {},
  timeline: [
    { minute: '2026-12-01T18:00:00.000Z', viewers: 1, joins: 1, reactions: 0, questions: 1, votes: 0, leads: 0 },
    { minute: '2026-12-01T18:01:00.000Z', viewers: 2, joins: 1, reactions: 9, questions: 1, votes: 4, leads: 5 },
  ],
  ...over,
});

describe('report view', () => {
  it('turns the timeline into chart columns, minutes in Unix seconds', () => {
    const c = timelineColumns(report().timeline);
    expect(c.times).toEqual([Date.UTC(2026, 11, 1, 18, 0) / 1000, Date.UTC(2026, 11, 1, 18, 1) / 1000]);
    expect(c).toMatchObject({ viewers: [1, 2], joins: [1, 1], reactions: [0, 9], questions: [1, 1], votes: [0, 4], leads: [0, 5] });
    expect(timelineColumns([])).toEqual({ times: [], viewers: [], joins: [], reactions: [], questions: [], votes: [], leads: [] });
  });

  it('pads the time axis by half a minute and never makes it shorter than ten minutes', () => {
    expect(timeRange(6000, 6060)).toEqual([5970, 5970 + MIN_SPAN_S]);
    expect(timeRange(0, 3600)).toEqual([-30, 3630]);
  });

  it('starts the count axis at 0 with headroom, and at least 1 when everything is 0', () => {
    expect(countRange(0)).toEqual([0, 1]);
    expect(countRange(null)).toEqual([0, 1]);
    expect(countRange(20)).toEqual([0, 23]);
  });

  it('writes rates, scores and durations the French way, and in English', () => {
    expect(formatRate(0.125, 'fr')).toBe('12,5\u00a0%');
    expect(formatRate(2 / 3, 'en')).toBe('66.7%');
    expect(formatRate(null, 'fr')).toBe('—');
    expect(formatScore(15.6, 'fr')).toBe('15,6');
    expect(durationParts(42.4)).toEqual({ key: 'report.duration.seconds', vars: { s: 42 } });
    expect(durationParts(185)).toEqual({ key: 'report.duration.minutesSeconds', vars: { m: 3, ss: '05' } });
    expect(durationParts(1744)).toEqual({ key: 'report.duration.minutes', vars: { m: 29 } });
    expect(durationParts(3590)).toEqual({ key: 'report.duration.hours', vars: { h: 1, mm: '00' } });
    expect(durationParts(4320)).toEqual({ key: 'report.duration.hours', vars: { h: 1, mm: '12' } });
  });

  it('lists every request type in the form’s order, with its share', () => {
    expect(leadTypeRows(report().leads.byType)).toEqual([
      { type: 'test_drive', count: 3, share: 0.6 },
      { type: 'quote', count: 0, share: 0 },
      { type: 'brochure', count: 1, share: 0.2 },
      { type: 'callback', count: 1, share: 0.2 },
    ]);
    expect(leadTypeRows({ test_drive: 0, quote: 0, brochure: 0, callback: 0 }).every((r) => r.share === 0)).toBe(true);
  });

  it('names the dealers, most leads first, the unrouted leads last; a dealer gone keeps its id', () => {
    const rows = dealerRows(report(), new Map([['lyon-1', 'Garage du Rhône']]), 'Sans concession', 'fr');
    expect(rows.map((r) => [r.name, r.leads, r.contact?.contacted ?? null])).toEqual([
      ['Garage du Rhône', 3, 1],
      ['paris-1', 1, 0],
      // The leads no dealer was given have their own figures: the rows add up to the total.
      ['Sans concession', 1, 1],
    ]);
    expect(dealerRows(report({ leads: { ...report().leads, unrouted: 0 } }), new Map(), 'x', 'fr')).toHaveLength(2);
  });

  it('never shows a peak below the audience watching now', () => {
    expect(livePeak(4, 7)).toBe(7);
    expect(livePeak(9, 7)).toBe(9);
  });
});

describe('chart palette', () => {
  it('makes every series readable (3:1) on its surface: a dark card, a white brand page, paper', () => {
    for (const [accent, background, tone] of [
      ['#5ee1c8', '#161a22', 'dark'],
      ['#5ee1c8', PAPER.background, 'light'],
      ['#ffe600', '#ffffff', 'light'],
      ['#0a2a66', '#0b0d12', 'dark'],
    ] as const) {
      const p = chartPalette(accent, background, tone, '#9aa3b2');
      for (const colour of Object.values(p.series)) expect(contrast(colour, background)).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps a colour that already reads, and falls back to Vitrine’s accent for a broken one', () => {
    expect(readableOn('#c2255c', '#ffffff')).toBe('#c2255c');
    expect(chartPalette('not a colour', '#161a22', 'dark', '#9aa3b2').series.accent).toBe('#5ee1c8');
  });
});
