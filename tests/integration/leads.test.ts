import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventCreated } from '../../shared/event.js';
import { DEALER_NAMESPACE } from '../../shared/events.js';
import { CONSENT_TEXT_VERSION, type DealerAdmin, type Lead, type LeadSubmitInput } from '../../shared/lead.js';
import { leadFixture } from '../../server/store/leads.contract.js';
import { ask, startServer, viewerId, type Client, type TestServer } from './harness.js';

const DEALERS_CSV = [
  'id;nom;adresse;code postal;ville;latitude;longitude;email;téléphone',
  'lyon-1;Garage du Rhône;12 quai Perrache;69002;Lyon;45,7490;4,8260;contact@garage-rhone.fr;04 78 00 00 00',
  'paris-1;Auto Bastille;3 rue de la Roquette;75011;Paris;48,8553;2,3713;ventes@auto-bastille.fr;01 43 00 00 00',
  'marseille-1;Méditerranée Automobiles;40 boulevard Michelet;13008;Marseille;43,2600;5,3950;contact@med-auto.fr;',
].join('\r\n');

const lead = (over: Partial<LeadSubmitInput> = {}): LeadSubmitInput => ({
  id: randomUUID(),
  type: 'test_drive',
  firstName: 'Éloïse',
  lastName: 'Dupré-Lœuvre',
  email: 'eloise@example.fr',
  phone: '06 12 34 56 78',
  postcode: '69003',
  variant: 'bleu-abysse',
  consent: { contact: true, marketing: false, textVersion: CONSENT_TEXT_VERSION },
  ...over,
});

let server: TestServer;
let event: EventCreated;
let other: EventCreated;
let dealers: DealerAdmin[];
const viewers: Client[] = [];

const api = (path: string, init: RequestInit & { key?: string } = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.headers ?? {}) } });
const leadsOf = async (key: string, query = ''): Promise<Lead[]> => {
  const res = await api(`/api/events/${event.id}/leads${query}`, { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { leads: Lead[] }).leads;
};
const keyOf = (id: string) => dealers.find((d) => d.id === id)!.key;

beforeAll(async () => {
  server = await startServer();
  event = await server.createEvent();
  other = await server.createEvent('Autre lancement');
  const res = await api(`/api/events/${event.id}/directory`, { method: 'PUT', key: event.hostKey, headers: { 'content-type': 'text/csv' }, body: '\uFEFF' + DEALERS_CSV });
  expect(res.status).toBe(200);
  dealers = ((await res.json()) as { dealers: DealerAdmin[] }).dealers;
  for (let i = 0; i < 3; i++) viewers.push((await server.join({ code: event.code, role: 'viewer', viewerId: viewerId(100 + i) })).socket);
});
afterAll(async () => {
  await server.close();
});

describe('lead:submit', () => {
  it('stores a lead once: a resend answers the first receipt, another body is a conflict', async () => {
    const l = lead();
    const first = await ask(viewers[0]!, 'lead:submit', l);
    expect(first).toMatchObject({ ok: true, data: { id: l.id, type: 'test_drive', dealerId: 'lyon-1', dealerName: 'Garage du Rhône' } });
    // The same body, typed slightly differently (spaces), is the same lead.
    const again = await ask(viewers[0]!, 'lead:submit', { ...l, phone: '+33 6 12 34 56 78', firstName: ' Éloïse ' });
    expect(again).toEqual(first);
    expect(await ask(viewers[0]!, 'lead:submit', { ...l, message: 'autre chose' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await ask(viewers[1]!, 'lead:submit', l)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const stored = (await leadsOf(event.dealerKey)).filter((x) => x.id === l.id);
    expect(stored).toHaveLength(1);
    // The viewerId is the viewer's Q&A identity: dealers never see it.
    expect(stored[0]).not.toHaveProperty('viewerId');
    expect(stored[0]).toMatchObject({ phone: '+33612345678', routing: 'nearest', source: 'live', consent: { contact: true, marketing: false, textVersion: CONSENT_TEXT_VERSION } });
    expect(Date.parse(stored[0]!.consent.at)).not.toBeNaN();
  });

  it('answers field-level invalid_payload issues', async () => {
    const issuesOf = async (payload: unknown) => {
      const ack = await ask(viewers[1]!, 'lead:submit', payload);
      expect(ack).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      return (ack.error!.issues as { path: unknown[] }[]).map((i) => i.path.join('.'));
    };
    expect(await issuesOf(lead({ email: 'eloise@' }))).toEqual(['email']);
    expect(await issuesOf(lead({ phone: '06 12' }))).toEqual(['phone']);
    expect(await issuesOf({ ...lead(), consent: { contact: false, textVersion: CONSENT_TEXT_VERSION } })).toEqual(['consent.contact']);
    expect(await issuesOf({ ...lead(), consent: { textVersion: CONSENT_TEXT_VERSION } })).toEqual(['consent.contact']);
    expect(await issuesOf(lead({ type: 'callback', phone: undefined }))).toEqual(['phone']);
    expect(await issuesOf(lead({ preferredDate: '2020-01-01' }))).toEqual(['preferredDate']);
    expect(await issuesOf(lead({ dealerId: 'nowhere-1' }))).toEqual(['dealerId']);
    expect((await issuesOf(lead({ firstName: '', postcode: '6900' }))).sort()).toEqual(['firstName', 'postcode']);
    expect(await ask(viewers[1]!, 'lead:submit', lead())).toMatchObject({ ok: true });
  });

  it('routes to the chosen dealer, else the nearest to the postcode, else to nobody', async () => {
    const chosen = await ask(viewers[1]!, 'lead:submit', lead({ dealerId: 'marseille-1', postcode: '69003' }));
    expect(chosen.data).toMatchObject({ dealerId: 'marseille-1' });
    const paris = await ask(viewers[1]!, 'lead:submit', lead({ postcode: '75020', type: 'brochure' }));
    expect(paris.data).toMatchObject({ dealerId: 'paris-1', dealerName: 'Auto Bastille' });
    const none = await ask(viewers[1]!, 'lead:submit', lead({ postcode: undefined, type: 'quote' }));
    expect(none.data).toMatchObject({ dealerId: null, dealerName: null });
    const byId = new Map((await leadsOf(event.hostKey)).map((l) => [l.id, l.routing]));
    expect([byId.get((chosen.data as Lead).id), byId.get((paris.data as Lead).id), byId.get((none.data as Lead).id)]).toEqual(['chosen', 'nearest', 'none']);
  });

  it('stores overseas numbers typed the French way with their own country code', async () => {
    const l = lead({ type: 'callback', phone: '0690 12 34 56', postcode: '97110' });
    expect(await ask(viewers[1]!, 'lead:submit', l)).toMatchObject({ ok: true });
    expect((await leadsOf(event.hostKey)).find((x) => x.id === l.id)?.phone).toBe('+590690123456');
  });

  it('limits new leads per viewer, never a resend', async () => {
    const socket = (await server.join({ code: event.code, role: 'viewer', viewerId: viewerId(900) })).socket;
    const first = lead();
    const acks = [];
    for (let i = 0; i < 11; i++) acks.push(await ask(socket, 'lead:submit', i === 0 ? first : lead()));
    expect(acks.slice(0, 10).every((a) => a.ok)).toBe(true);
    expect(acks[10]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await ask(socket, 'lead:submit', first)).toMatchObject({ ok: true, data: { id: first.id } });
  });

  it('is for viewers only', async () => {
    const host = (await server.join({ code: event.code, role: 'host', key: event.hostKey })).socket;
    expect(await ask(host, 'lead:submit', lead())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('dealer access and exports', () => {
  it('needs a key (401) that opens this event and this dealer (403)', async () => {
    expect((await api(`/api/events/${event.id}/leads`)).status).toBe(401);
    expect((await api(`/api/events/${event.id}/leads.csv`)).status).toBe(401);
    expect((await api(`/api/events/${event.id}/leads`, { key: other.dealerKey })).status).toBe(403);
    expect((await api(`/api/events/${event.id}/leads.csv`, { key: other.hostKey })).status).toBe(403);
    expect((await api(`/api/events/${event.id}/leads?dealerId=paris-1`, { key: keyOf('lyon-1') })).status).toBe(403);
    expect((await api(`/api/events/${other.id}/leads`, { key: keyOf('lyon-1') })).status).toBe(403);
    expect((await api(`/api/events/${event.id}/leads?type=spaceship`, { key: event.dealerKey })).status).toBe(400);
  });

  it('shows a dealer only its own leads; the event dealer key sees all', async () => {
    const all = await leadsOf(event.dealerKey);
    const lyon = await leadsOf(keyOf('lyon-1'));
    expect(lyon.length).toBeGreaterThan(0);
    expect(lyon.every((l) => l.dealerId === 'lyon-1')).toBe(true);
    expect(all.length).toBeGreaterThan(lyon.length);
    expect(await leadsOf(event.dealerKey, '?type=brochure')).toEqual([expect.objectContaining({ dealerId: 'paris-1' })]);
    const view = await (await api(`/api/events/${event.id}/dealer`, { key: keyOf('paris-1') })).json();
    expect(view).toMatchObject({ scope: { kind: 'dealer', dealerId: 'paris-1', name: 'Auto Bastille' }, dealers: [{ id: 'paris-1' }] });
  });

  it('exports a CSV that Excel reads safely: BOM, quoting, neutralised formulas, accents, semicolons', async () => {
    const evil = lead({ firstName: '=HYPERLINK("http://evil.example","clic")', lastName: 'Ça-Hœ', message: '@SUM(A1:A9); "vite", merci\nà bientôt', postcode: '75011' });
    expect(await ask(viewers[2]!, 'lead:submit', evil)).toMatchObject({ ok: true });
    for (const [query, delimiter, suffix] of [['', ',', ''], ['?sep=semicolon', ';', '-excel']] as const) {
      const res = await api(`/api/events/${event.id}/leads.csv${query}`, { key: keyOf('paris-1') });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="demandes-[A-Z0-9]{6}-paris-1-\\d{4}-\\d{2}-\\d{2}${suffix}\\.csv"$`));
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parse(bytes.toString('utf8'), { bom: true, delimiter, columns: true }) as Record<string, string>[];
      expect(rows.every((r) => r.dealer_id === 'paris-1')).toBe(true);
      const row = rows.find((r) => r.id === evil.id)!;
      expect(row.first_name).toBe(`'=HYPERLINK("http://evil.example","clic")`);
      expect(row.last_name).toBe('Ça-Hœ');
      expect(row.message).toBe(`'@SUM(A1:A9); "vite", merci\nà bientôt`);
      expect(row.phone).toBe("'+33612345678");
      expect(row.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    expect((await api(`/api/events/${event.id}/leads.csv?sep=tab`, { key: event.dealerKey })).status).toBe(400);

    // The dealer's Excel file (`labels=fr`): French headers and words, the same cells made safe.
    const fr = await api(`/api/events/${event.id}/leads.csv?sep=semicolon&labels=fr`, { key: keyOf('paris-1') });
    expect(fr.status).toBe(200);
    const frRows = parse(Buffer.from(await fr.arrayBuffer()).toString('utf8'), { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    const frRow = frRows.find((r) => r['Référence'] === evil.id)!;
    expect(frRow).toMatchObject({ Prénom: `'=HYPERLINK("http://evil.example","clic")`, Nom: 'Ça-Hœ', Téléphone: '06 12 34 56 78', 'Code concession': 'paris-1' });
    expect(frRow['Reçue le']).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    const badLabels = await api(`/api/events/${event.id}/leads.csv?labels=de`, { key: event.dealerKey });
    expect(badLabels.status).toBe(400);
    expect(await badLabels.json()).toMatchObject({ error: { code: 'invalid_payload', issues: [{ path: ['labels'] }] } });
  });

  it('pushes new leads live to the dealer they are routed to, and to the event dealer key', async () => {
    const listen = (key: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = connectClient(`${server.url}${DEALER_NAMESPACE}`, { auth: { eventId: event.id, key }, transports: ['websocket'], forceNew: true, reconnection: false });
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    await expect(listen(other.dealerKey)).rejects.toThrow('unauthorized');
    const all = await listen(event.dealerKey);
    const marseille = await listen(keyOf('marseille-1'));
    const lyon = await listen(keyOf('lyon-1'));
    const seen = { all: [] as Lead[], marseille: [] as Lead[], lyon: [] as Lead[] };
    all.on('lead:added', (l: Lead) => seen.all.push(l));
    marseille.on('lead:added', (l: Lead) => seen.marseille.push(l));
    lyon.on('lead:added', (l: Lead) => seen.lyon.push(l));
    const l = lead({ postcode: '13001', type: 'callback' });
    expect(await ask(viewers[2]!, 'lead:submit', l)).toMatchObject({ ok: true, data: { dealerId: 'marseille-1' } });
    await expect.poll(() => seen.marseille.map((x) => x.id)).toEqual([l.id]);
    await expect.poll(() => seen.all.map((x) => x.id)).toEqual([l.id]);
    // The first contact is stamped once and pushed; another dealer cannot touch it.
    expect((await api(`/api/events/${event.id}/leads/${l.id}/contacted`, { method: 'POST', key: keyOf('lyon-1') })).status).toBe(404);
    const updated = new Promise<Lead>((resolve) => marseille.once('lead:updated', resolve));
    const res = await api(`/api/events/${event.id}/leads/${l.id}/contacted`, { method: 'POST', key: keyOf('marseille-1') });
    expect(res.status).toBe(200);
    const { lead: contacted } = (await res.json()) as { lead: Lead };
    expect((await updated).contactedAt).toBe(contacted.contactedAt);
    const again = (await (await api(`/api/events/${event.id}/leads/${l.id}/contacted`, { method: 'POST', key: event.dealerKey })).json()) as { lead: Lead };
    expect(again.lead.contactedAt).toBe(contacted.contactedAt);
    expect(seen.lyon).toEqual([]);
    for (const s of [all, marseille, lyon]) s.disconnect();
  });

  it('gives a lead without a dealer to one from the inbox, which then reaches that dealer live; once', async () => {
    const assign = (leadId: string, dealerId: unknown, key: string) =>
      api(`/api/events/${event.id}/leads/${leadId}/assign`, { method: 'POST', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dealerId }) });
    // No postcode, no dealer picked: nobody's.
    const { postcode: _p, ...rest } = lead({ type: 'quote' });
    expect(await ask(viewers[2]!, 'lead:submit', rest)).toMatchObject({ ok: true, data: { dealerId: null } });
    const id = rest.id;
    const paris = await new Promise<Socket>((resolve, reject) => {
      const s = connectClient(`${server.url}${DEALER_NAMESPACE}`, { auth: { eventId: event.id, key: keyOf('paris-1') }, transports: ['websocket'], forceNew: true, reconnection: false });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    const pushed = new Promise<Lead>((resolve) => paris.once('lead:updated', resolve));

    // A dealer's own key cannot hand out leads; a bad body, an unknown dealer or lead are refused.
    expect((await assign(id, 'paris-1', keyOf('lyon-1'))).status).toBe(403);
    expect(await (await assign(id, '', event.dealerKey)).json()).toMatchObject({ error: { code: 'invalid_payload', issues: [{ path: ['dealerId'] }] } });
    const unknown = await assign(id, 'nantes-9', event.dealerKey);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'invalid_payload', issues: [{ path: ['dealerId'] }] } });
    expect((await assign(randomUUID(), 'paris-1', event.dealerKey)).status).toBe(404);

    const res = await assign(id, 'paris-1', event.dealerKey);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ lead: { id, dealerId: 'paris-1', dealerName: 'Auto Bastille', routing: 'assigned' } });
    expect(await pushed).toMatchObject({ id, dealerId: 'paris-1', routing: 'assigned' });
    expect((await leadsOf(keyOf('paris-1'))).map((l) => l.id)).toContain(id);
    // The same again changes nothing; another dealer is a conflict (the first assignment stands).
    expect((await assign(id, 'paris-1', event.hostKey)).status).toBe(200);
    const clash = await assign(id, 'lyon-1', event.hostKey);
    expect(clash.status).toBe(409);
    expect(await clash.json()).toMatchObject({ error: { code: 'conflict' } });
    expect((await leadsOf(keyOf('lyon-1'))).map((l) => l.id)).not.toContain(id);
    paris.disconnect();
  });
});

describe('personal data', () => {
  it('erases a person from the store and every later export; an outbox resend brings nothing back', async () => {
    const l = lead({ firstName: 'Effacée', postcode: '69001' });
    expect(await ask(viewers[2]!, 'lead:submit', l)).toMatchObject({ ok: true });
    expect((await api(`/api/events/${event.id}/leads/${l.id}`, { method: 'DELETE', key: event.dealerKey })).status).toBe(403);
    expect((await api(`/api/events/${event.id}/leads/${l.id}`, { method: 'DELETE' })).status).toBe(401);
    expect((await api(`/api/events/${event.id}/leads/${l.id}`, { method: 'DELETE', key: event.hostKey })).status).toBe(204);
    expect((await api(`/api/events/${event.id}/leads/${l.id}`, { method: 'DELETE', key: server.adminToken })).status).toBe(404);
    expect(await ask(viewers[2]!, 'lead:submit', l)).toEqual({ ok: true, data: { id: l.id, erased: true } });
    expect((await leadsOf(event.dealerKey)).some((x) => x.id === l.id)).toBe(false);
    // Even when every check a new lead meets would now fail: its dealer gone, its date past.
    const chosen = lead({ dealerId: 'paris-1', preferredDate: '2020-01-01' });
    await server.store.leads.submit({ ...leadFixture(event.id, { id: chosen.id }) });
    expect((await api(`/api/events/${event.id}/leads/${chosen.id}`, { method: 'DELETE', key: event.hostKey })).status).toBe(204);
    expect(await ask(viewers[2]!, 'lead:submit', { ...chosen, dealerId: 'deleted-dealer' })).toEqual({ ok: true, data: { id: chosen.id, erased: true } });
    const csv = await (await api(`/api/events/${event.id}/leads.csv`, { key: event.hostKey })).text();
    expect(csv).not.toContain('Effacée');
    expect(csv).not.toContain(l.id);
  });

  it('purges leads past the event’s retention period', async () => {
    const patch = await api(`/api/events/${event.id}`, { method: 'PATCH', key: server.adminToken, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ retentionMonths: 1, privacyNotice: 'Marque Aura, 1 rue de Paris. Vos données servent à répondre à votre demande.' }) });
    expect(await patch.json()).toEqual({ retentionMonths: 1, privacyNotice: 'Marque Aura, 1 rue de Paris. Vos données servent à répondre à votre demande.', privacyContact: null });
    const old = leadFixture(event.id, { createdAt: new Date(Date.now() - 40 * 86_400_000).toISOString() });
    await server.store.leads.submit(old);
    const before = (await leadsOf(event.hostKey)).length;
    expect(await server.app.retention.sweep()).toBe(1);
    const after = await leadsOf(event.hostKey);
    expect(after).toHaveLength(before - 1);
    expect(after.some((x) => x.id === old.id)).toBe(false);
    const privacy = await (await api(`/api/events/${event.code.toLowerCase()}/privacy`)).json();
    expect(privacy).toMatchObject({ retentionMonths: 1, privacyNotice: expect.stringContaining('Marque Aura'), privacyContact: null, brand: { name: null } });
    const bad = await api(`/api/events/${event.id}`, { method: 'PATCH', key: server.adminToken, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ retentionMonths: 0 }) });
    expect(bad.status).toBe(400);
  });

  it('keeps the contact where viewers exercise their rights: an e-mail address or an https page, refused otherwise', async () => {
    const patch = (body: unknown) => api(`/api/events/${event.id}`, { method: 'PATCH', key: event.hostKey, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const privacy = async () => (await (await api(`/api/events/${event.code}/privacy`)).json()) as { privacyContact: string | null; privacyNotice: string | null };
    expect(await (await patch({ privacyContact: '  dpo@aura-motors.fr ' })).json()).toMatchObject({ privacyContact: 'dpo@aura-motors.fr' });
    expect((await privacy()).privacyContact).toBe('dpo@aura-motors.fr');
    expect(await (await patch({ privacyContact: 'https://aura-motors.fr/donnees' })).json()).toMatchObject({ privacyContact: 'https://aura-motors.fr/donnees' });
    for (const wrong of ['dpo', 'http://aura-motors.fr', 'javascript:alert(1)', 'https://localhost', 'x'.repeat(195) + '@aura.fr']) {
      const refused = await patch({ privacyContact: wrong });
      expect(refused.status, wrong).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain('privacy contact');
    }
    // Another setting leaves it as it was; an empty one removes it.
    await patch({ retentionMonths: 12 });
    expect((await privacy()).privacyContact).toBe('https://aura-motors.fr/donnees');
    expect(await (await patch({ privacyContact: '' })).json()).toMatchObject({ privacyContact: null });
    expect((await privacy()).privacyContact).toBeNull();
  });
});

describe('dealer directory', () => {
  it('lists dealers for the form nearest first, without their email or key', async () => {
    const body = (await (await api(`/api/events/${event.id}/dealers?postcode=13005`)).json()) as { origin: { from: string }; dealers: { id: string; distanceKm: number; email?: string; key?: string }[] };
    expect(body.origin.from).toBe('postcode');
    expect(body.dealers.map((d) => d.id)).toEqual(['marseille-1', 'lyon-1', 'paris-1']);
    expect(body.dealers[0]!.distanceKm).toBeLessThan(10);
    expect(body.dealers.some((d) => 'email' in d || 'key' in d)).toBe(false);
    const byPosition = (await (await api(`/api/events/${event.id}/dealers?lat=48.86&lng=2.35`)).json()) as typeof body;
    expect(byPosition.dealers[0]!.id).toBe('paris-1');
  });

  it('refuses coordinates that are not numbers instead of reading them as 0', async () => {
    const put = (latitude: unknown) =>
      api(`/api/events/${event.id}/directory/zero-1`, { method: 'PUT', key: event.hostKey, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'zero-1', name: 'Nulle Part', postcode: '69001', city: 'Lyon', latitude, longitude: 4.8, email: 'a@example.fr' }) });
    for (const bad of [null, '', false, '0x10']) expect((await put(bad)).status).toBe(400);
    expect((await put('45.76')).status).toBe(200);
    expect((await api(`/api/events/${event.id}/directory/zero-1`, { method: 'DELETE', key: event.hostKey })).status).toBe(204);
  });

  it('deleting a dealer closes its open inbox, and its id given to another garage opens none of the old leads', async () => {
    const created = await api(`/api/events/${event.id}/directory/temp-1`, { method: 'PUT', key: event.hostKey, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'temp-1', name: 'Garage Provisoire', postcode: '33000', city: 'Bordeaux', latitude: 44.84, longitude: -0.58, email: 't@example.fr' }) });
    const oldKey = ((await created.json()) as { dealer: DealerAdmin }).dealer.key;
    expect(await ask(viewers[0]!, 'lead:submit', lead({ dealerId: 'temp-1' }))).toMatchObject({ ok: true, data: { dealerId: 'temp-1' } });
    const inbox = connectClient(`${server.url}${DEALER_NAMESPACE}`, { auth: { eventId: event.id, key: oldKey }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve) => inbox.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => inbox.once('disconnect', () => resolve()));
    expect((await api(`/api/events/${event.id}/directory/temp-1`, { method: 'DELETE', key: event.hostKey })).status).toBe(204);
    await closed;
    // The deleted garage's link says it is no longer valid, like a revoked key (issue 8).
    const refused = await api(`/api/events/${event.id}/leads`, { key: oldKey });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { reason?: string } }).error.reason).toBe('key_revoked');
    expect((await api(`/api/events/${event.id}/directory/temp-1`, { method: 'DELETE', key: event.hostKey })).status).toBe(404);
    // The id again, for another garage (a new key): the old garage's leads are not its leads.
    await api(`/api/events/${event.id}/directory/temp-1`, { method: 'PUT', key: event.hostKey, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'temp-1', name: 'Autre Garage', postcode: '33000', city: 'Bordeaux', latitude: 44.84, longitude: -0.58, email: 'autre@example.fr' }) });
    const newKey = ((await (await api(`/api/events/${event.id}/directory`, { key: event.hostKey })).json()) as { dealers: DealerAdmin[] }).dealers.find((d) => d.id === 'temp-1')!.key;
    expect(newKey).not.toBe(oldKey);
    expect(await leadsOf(newKey)).toEqual([]);
    expect((await leadsOf(event.dealerKey)).filter((l) => l.dealerId === 'temp-1')).toHaveLength(1);
    expect((await api(`/api/events/${event.id}/directory/temp-1`, { method: 'DELETE', key: event.hostKey })).status).toBe(204);
    inbox.disconnect();
  });

  it('refuses a file that is not UTF-8 as a whole, saying so, and names the columns it ignored', async () => {
    const put = (body: Uint8Array<ArrayBuffer> | string) => api(`/api/events/${event.id}/directory`, { method: 'PUT', key: server.adminToken, headers: { 'content-type': 'text/csv' }, body });
    // What a French Excel's "CSV (point-virgule)" holds: Windows-1252 bytes (é = 0xE9).
    const latin1 = new Uint8Array(Buffer.from('id;nom;code postal;ville;lat;long;courriel;t\xe9l\xe9phone\nhoenheim-1;Garage de H\x9cnheim;67800;Hoenheim;48,62;7,75;h@example.fr;03 88 00 00 00\n', 'latin1'));
    const refused = await put(latin1);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'invalid_payload', issues: [{ path: ['encoding'], message: expect.stringContaining('UTF-8') }] } });
    const ok = await put('id;nom;code postal;ville;lat;long;courriel;téléphone;Notes\nhoenheim-1;Garage de Hœnheim;67800;Hoenheim;48,62;7,75;h@example.fr;03 88 00 00 00;à rappeler\n');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ imported: 1, ignoredColumns: ['Notes'] });
    expect((await api(`/api/events/${event.id}/directory/hoenheim-1`, { method: 'DELETE', key: event.hostKey })).status).toBe(204);
  });

  it('refuses a bad import as a whole, line by line', async () => {
    const csv = 'id,name,address,postcode,city,latitude,longitude,email,phone\nnew-1,Nouveau,,69001,Lyon,45.76,4.83,ok@example.fr,\nnew-2,Cassé,,690,Lyon,abc,4.83,pas-un-email,';
    const res = await api(`/api/events/${event.id}/directory`, { method: 'PUT', key: server.adminToken, headers: { 'content-type': 'text/csv' }, body: csv });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { issues: { path: unknown[] }[] } };
    expect(error.issues.map((i) => i.path.join('.')).sort()).toEqual(['line.3.email', 'line.3.latitude', 'line.3.postcode']);
    const list = (await (await api(`/api/events/${event.id}/directory`, { key: event.hostKey })).json()) as { dealers: DealerAdmin[] };
    expect(list.dealers.map((d) => d.id).sort()).toEqual(['lyon-1', 'marseille-1', 'paris-1']);
    expect(list.dealers[0]!.link).toContain(`/dealer/${event.id}#key=`);
    expect((await api(`/api/events/${event.id}/directory`, { key: event.dealerKey })).status).toBe(403);
  });
});
