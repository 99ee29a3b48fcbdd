import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventCreated } from '../../shared/event.js';
import { CONSENT_TEXT_VERSION, type DealerAdmin, type LeadReceipt, type LeadSubmitInput } from '../../shared/lead.js';
import type { Question } from '../../shared/qa.js';
import { EventReport } from '../../shared/report.js';
import { ask, startServer, viewerId, type Client, type TestServer } from './harness.js';

/**
 * A scripted launch through the real server and real sockets, on a clock the test sets: only
 * `Date` is faked (timers are real), so every fact the server stamps (joins, leaves, questions,
 * reactions, leads, contacts) gets the script's time, and the report's numbers are exact.
 *
 * A socket.io client closes itself if it emits long (in `Date` time) after its last ping, so
 * each socket here acts within 45 s of joining; the presenter rejoins to act later.
 */

const DEALERS_CSV = [
  'id;nom;adresse;code postal;ville;latitude;longitude;email;téléphone',
  'lyon-1;Garage du Rhône;12 quai Perrache;69002;Lyon;45,7490;4,8260;contact@garage-rhone.fr;04 78 00 00 00',
  'paris-1;Auto Bastille;3 rue de la Roquette;75011;Paris;48,8553;2,3713;ventes@auto-bastille.fr;01 43 00 00 00',
].join('\r\n');

const lead = (over: Partial<LeadSubmitInput>): LeadSubmitInput => ({
  id: randomUUID(),
  type: 'brochure',
  firstName: 'Client',
  lastName: 'Test',
  email: 'client@example.fr',
  consent: { contact: true, textVersion: CONSENT_TEXT_VERSION },
  ...over,
});

let server: TestServer;
let ev: EventCreated;
let dealers: DealerAdmin[];

/** Sets the clock to this time of 2026-12-01 (or another day), UTC. */
const clockAt = (hhmmss: string, day = '2026-12-01') => vi.setSystemTime(new Date(`${day}T${hhmmss}.000Z`));
const api = (path: string, key?: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers ?? {}) } });
const ok = async (socket: Client, event: string, payload: unknown) => {
  const res = await ask(socket, event, payload);
  expect(res, `${event} ${JSON.stringify(res)}`).toMatchObject({ ok: true });
  return res.data;
};
const joinViewer = async (n: number, name?: string) => (await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(n), ...(name ? { name } : {}) })).socket;
const joinHost = async () => (await server.join({ code: ev.code, role: 'host', key: ev.hostKey })).socket;
/**
 * Disconnects, and waits until the server has ended the session (at the clock's time). Not
 * `vi.waitFor`: with fake timers it moves the clock on each try.
 */
const leave = async (socket: Client) => {
  const open = server.app.realtime.recorder.openSessions;
  socket.disconnect();
  for (let tries = 0; server.app.realtime.recorder.openSessions !== open - 1; tries++) {
    if (tries === 300) throw new Error('the server did not see the disconnect within 3 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const report = async (): Promise<EventReport> => {
  const res = await api(`/api/events/${ev.id}/report`, ev.hostKey);
  expect(res.status).toBe(200);
  return EventReport.parse(await res.json());
};

const ids: Record<string, string> = {};

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  clockAt('17:50:00');
  server = await startServer();
  ev = await server.createEvent();
  const res = await api(`/api/events/${ev.id}/directory`, ev.hostKey, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: DEALERS_CSV });
  expect(res.status).toBe(200);
  dealers = ((await res.json()) as { dealers: DealerAdmin[] }).dealers;

  // 18:00 the presenter opens the launch; Amélie arrives, asks, reacts, opens two hotspots' cards.
  clockAt('18:00:00');
  const host = await joinHost();
  await ok(host, 'event:start', {});
  await ok(host, 'qa:mode', { mode: 'open' });
  const amelie = await joinViewer(1, 'Amélie');
  clockAt('18:00:10');
  ids.q1 = ((await ok(amelie, 'question:ask', { id: randomUUID(), text: 'Quelle autonomie en hiver ?' })) as Question).id;
  clockAt('18:00:20');
  for (let i = 0; i < 3; i++) await ok(amelie, 'reaction:send', { emoji: '🔥' });
  clockAt('18:00:30');
  for (const id of ['jantes', 'jantes', 'phares']) await ok(amelie, 'hotspot:open', { id });

  // 18:01 Bruno (no name) votes, reacts and asks for a brochure without a postcode: nobody's lead.
  clockAt('18:01:00');
  const bruno = await joinViewer(2);
  clockAt('18:01:10');
  await ok(bruno, 'question:vote', { id: ids.q1 });
  clockAt('18:01:20');
  for (let i = 0; i < 2; i++) await ok(bruno, 'reaction:send', { emoji: '👏' });
  clockAt('18:01:30');
  ids.L0 = ((await ok(bruno, 'lead:submit', lead({}))) as LeadReceipt).id;

  // 18:02 Chloé asks, votes and books a test drive at the Lyon dealer.
  clockAt('18:02:00');
  const chloe = await joinViewer(3, 'Chloé');
  clockAt('18:02:05');
  ids.q2 = ((await ok(chloe, 'question:ask', { id: randomUUID(), text: 'Prix de lancement ?' })) as Question).id;
  clockAt('18:02:10');
  await ok(chloe, 'question:vote', { id: ids.q1 });
  clockAt('18:02:20');
  ids.L1 = ((await ok(chloe, 'lead:submit', lead({ type: 'test_drive', dealerId: 'lyon-1', phone: '06 12 34 56 78' }))) as LeadReceipt).id;

  // 18:03 Amélie opens a second tab; 18:04 closes the first: she never stopped watching.
  clockAt('18:03:00');
  const amelie2 = await joinViewer(1, 'Amélie');
  clockAt('18:04:00');
  await leave(amelie);

  // 18:05 Bruno leaves at the very instant Damien arrives; Damien votes, reacts, asks for a quote (Paris).
  clockAt('18:05:00');
  await leave(bruno);
  const damien = await joinViewer(4, 'Damien');
  clockAt('18:05:10');
  await ok(damien, 'question:vote', { id: ids.q2 });
  clockAt('18:05:15');
  await ok(damien, 'reaction:send', { emoji: '❤️' });
  clockAt('18:05:20');
  ids.L2 = ((await ok(damien, 'lead:submit', lead({ type: 'quote', postcode: '75011' }))) as LeadReceipt).id;

  // 18:06 the presenter answers Amélie's question.
  clockAt('18:06:00');
  await ok(await joinHost(), 'question:moderate', { id: ids.q1, action: 'answer' });
  clockAt('18:08:00');
  await leave(chloe);
  // 18:09:20 the Lyon dealer calls Chloé back (its own key), 7 minutes after her request.
  clockAt('18:09:20');
  const lyonKey = dealers.find((d) => d.id === 'lyon-1')!.key;
  expect((await api(`/api/events/${ev.id}/leads/${ids.L1}/contacted`, lyonKey, { method: 'POST' })).status).toBe(200);
  clockAt('18:10:00');
  await leave(amelie2);
  // 18:12 the launch ends; Damien's page stays open.
  clockAt('18:12:00');
  await ok(await joinHost(), 'event:end', {});
});

afterAll(async () => {
  await server?.close();
  vi.useRealTimers();
});

describe('GET /api/events/:id/report', () => {
  it('answers only the presenter (and the studio): 401 without a key, 403 with a dealer key, 404 for no event', async () => {
    expect((await api(`/api/events/${ev.id}/report`)).status).toBe(401);
    expect((await api(`/api/events/${ev.id}/report`, ev.dealerKey)).status).toBe(403);
    expect((await api(`/api/events/${ev.id}/report`, dealers[0]!.key)).status).toBe(403);
    expect((await api(`/api/events/no-such-event/report`, ev.hostKey)).status).toBe(404);
    expect((await api(`/api/events/${ev.id}/report`, server.adminToken)).status).toBe(200);
  });

  it('gives the exact numbers of the scripted launch', async () => {
    clockAt('18:15:00');
    const r = await report();
    expect(r).toMatchObject({
      eventId: ev.id,
      generatedAt: '2026-12-01T18:15:00.000Z',
      startedAt: '2026-12-01T18:00:00.000Z',
      endedAt: '2026-12-01T18:12:00.000Z',
      uniqueViewers: 4,
      // 18:02 Amélie, Bruno, Chloé; at 18:05 Bruno leaving and Damien arriving are not together.
      peakConcurrent: 3,
      peakAt: '2026-12-01T18:02:00.000Z',
      // Amélie 600 (two tabs, one stretch), Bruno 240, Chloé 360, Damien 420 (still connected: until the end).
      watchTime: { totalSeconds: 1620, averageSeconds: 405, medianSeconds: 390 },
      questions: 2,
      answered: 1,
      votes: 3,
      reactions: 6,
      hotspotOpens: 3,
      leads: { total: 3, byType: { test_drive: 1, quote: 1, brochure: 1, callback: 0 }, byDealer: { 'lyon-1': 1, 'paris-1': 1 }, unrouted: 1 },
      conversionRate: 3 / 4,
      interactionRate: 1 / 2,
      engagementRate: 1,
    });
    expect(r.ambassadors).toEqual([
      { name: 'Amélie', score: 15.6, watchSeconds: 600, questions: 1, votes: 0, reactions: 3, hotspotOpens: 3, leads: 0 },
      { name: 'Chloé', score: 10, watchSeconds: 360, questions: 1, votes: 1, reactions: 0, hotspotOpens: 0, leads: 1 },
      { name: 'Damien', score: 8.2, watchSeconds: 420, questions: 0, votes: 1, reactions: 1, hotspotOpens: 0, leads: 1 },
    ]);
    expect(r.leadScores).toEqual({ [ids.L0!]: 5.4, [ids.L1!]: 10, [ids.L2!]: 8.2 });
    expect(r.timeline.map((m) => [m.minute.slice(11, 16), m.viewers, m.reactions, m.questions, m.leads])).toEqual([
      ['18:00', 1, 3, 1, 0],
      ['18:01', 2, 2, 0, 1],
      ['18:02', 3, 0, 1, 1],
      ['18:03', 3, 0, 0, 0],
      ['18:04', 3, 0, 0, 0],
      ['18:05', 3, 1, 0, 1],
      ['18:06', 3, 0, 0, 0],
      ['18:07', 3, 0, 0, 0],
      ['18:08', 2, 0, 0, 0],
      ['18:09', 2, 0, 0, 0],
      ['18:10', 1, 0, 0, 0],
      ['18:11', 1, 0, 0, 0],
    ]);
    // Damien's lead is 9 min 40 old: too young to judge for 10 minutes; Bruno's, 13 min 30, was missed.
    expect(r.timeToFirstContact).toEqual({
      overall: { leads: 3, contacted: 1, medianSeconds: 420, within10Minutes: 1 / 2, within24Hours: 1, judged10Minutes: 2, judged24Hours: 1 },
      byDealer: {
        'lyon-1': { leads: 1, contacted: 1, medianSeconds: 420, within10Minutes: 1, within24Hours: 1, judged10Minutes: 1, judged24Hours: 1 },
        'paris-1': { leads: 1, contacted: 0, medianSeconds: null, within10Minutes: null, within24Hours: null, judged10Minutes: 0, judged24Hours: 0 },
      },
      unrouted: { leads: 1, contacted: 0, medianSeconds: null, within10Minutes: 0, within24Hours: null, judged10Minutes: 1, judged24Hours: 0 },
    });
    // Facts the report read: presenters have no sessions; the session still open has no end yet.
    const sessions = await server.store.audience.sessions(ev.id);
    expect(sessions.map((s) => [s.viewerId, s.name, s.joinedAt.slice(11, 19), s.leftAt?.slice(11, 19) ?? null])).toEqual([
      [viewerId(1), 'Amélie', '18:00:00', '18:04:00'],
      [viewerId(2), null, '18:01:00', '18:05:00'],
      [viewerId(3), 'Chloé', '18:02:00', '18:08:00'],
      [viewerId(1), 'Amélie', '18:03:00', '18:10:00'],
      [viewerId(4), 'Damien', '18:05:00', null],
    ]);
  });

  it('follows the dealers’ contacts the next morning', async () => {
    // Paris calls Damien back at 08:05:20 the next day: 14 hours.
    clockAt('08:05:20', '2026-12-02');
    const parisKey = dealers.find((d) => d.id === 'paris-1')!.key;
    expect((await api(`/api/events/${ev.id}/leads/${ids.L2}/contacted`, parisKey, { method: 'POST' })).status).toBe(200);
    clockAt('09:00:00', '2026-12-02');
    const r = await report();
    expect(r.timeToFirstContact).toEqual({
      // Bruno's unrouted lead, never contacted, is 15 hours old: late for 10 minutes, not yet for 24 hours.
      overall: { leads: 3, contacted: 2, medianSeconds: (420 + 50_400) / 2, within10Minutes: 1 / 3, within24Hours: 1, judged10Minutes: 3, judged24Hours: 2 },
      byDealer: {
        'lyon-1': { leads: 1, contacted: 1, medianSeconds: 420, within10Minutes: 1, within24Hours: 1, judged10Minutes: 1, judged24Hours: 1 },
        'paris-1': { leads: 1, contacted: 1, medianSeconds: 50_400, within10Minutes: 0, within24Hours: 1, judged10Minutes: 1, judged24Hours: 1 },
      },
      unrouted: { leads: 1, contacted: 0, medianSeconds: null, within10Minutes: 0, within24Hours: null, judged10Minutes: 1, judged24Hours: 0 },
    });
    // The dealers' CSV carries each lead's score.
    const csv = await (await api(`/api/events/${ev.id}/leads.csv`, ev.dealerKey)).text();
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.fromEntries(rows.map((row) => [row.id, row.engagement_score]))).toEqual({ [ids.L0!]: '5.4', [ids.L1!]: '10', [ids.L2!]: '8.2' });
    // Damien's page, open all night, counts only until the end of the launch.
    expect(r.watchTime.totalSeconds).toBe(1620);
    expect(r.timeline).toHaveLength(12);
  });
});
