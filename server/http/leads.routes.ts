import { json, Router, type Request } from 'express';
import { LeadAssign, LeadQuery, leadFileName } from '../../shared/lead.js';
import { canSee, dealerOf, type LeadScope } from '../leads/access.js';
import { leadsToCsv } from '../leads/csv.js';
import { parisDay, publicLead } from '../leads/service.js';
import { readFacts } from '../report/facts.js';
import { leadScores } from '../report/report.js';
import type { DealerHub } from '../realtime/dealers.js';
import type { Store } from '../store/types.js';
import { requireScope } from './auth.js';
import { toPublicEvent } from './events.routes.js';
import { HttpError, parseBody } from './errors.js';

interface Deps {
  store: Store;
  adminToken: string;
  dealers: DealerHub;
}

const READERS: LeadScope['kind'][] = ['host', 'dealer', 'own'];

export function leadsRouter({ store, adminToken, dealers }: Deps): Router {
  const r = Router();

  /** Filters from the query string; a dealer's own key only ever sees its own leads. */
  async function readLeads(req: Request, filters: unknown) {
    const { event, scope } = await requireScope(store, adminToken, req, READERS);
    const query = parseBody(LeadQuery, filters);
    const own = dealerOf(scope);
    if (own && query.dealerId && query.dealerId !== own) throw new HttpError(403, 'forbidden', 'This key only gives access to its own dealer’s leads.');
    const leads = await store.leads.list(event.id, own ? { ...query, dealerId: own } : query);
    return { event, leads: leads.filter((l) => canSee(scope, l)).map(publicLead), dealerId: own ?? query.dealerId ?? null };
  }

  r.get('/api/events/:id/leads', async (req, res) => {
    const { leads } = await readLeads(req, req.query);
    res.set('cache-control', 'no-store').json({ leads });
  });

  r.get('/api/events/:id/leads.csv', async (req, res) => {
    const sep = choice(req.query, 'sep', ['semicolon', 'comma']);
    const labels = choice(req.query, 'labels', ['fr', 'machine']);
    const { sep: _s, labels: _l, ...filters } = req.query;
    const { event, leads, dealerId } = await readLeads(req, filters);
    const scores = leadScores(await readFacts(store, event), new Date());
    res
      .status(200)
      .set({
        'content-type': 'text/csv; charset=utf-8',
        // Two files a dealer may both download: the French Excel one says so in its name.
        'content-disposition': `attachment; filename="${leadFileName(event.code, sep === 'semicolon' ? 'excel' : 'csv', dealerId, parisDay(new Date()))}"`,
        'cache-control': 'no-store',
      })
      .send(leadsToCsv(leads, sep === 'semicolon' ? ';' : ',', scores, labels === 'fr' ? 'fr' : 'machine'));
  });

  r.post('/api/events/:id/leads/:leadId/contacted', async (req, res) => {
    const { event, scope } = await requireScope(store, adminToken, req, READERS);
    const lead = await store.leads.get(event.id, req.params.leadId);
    if (!lead || !canSee(scope, lead)) throw new HttpError(404, 'not_found', 'No such lead.');
    const updated = await store.leads.markContacted(event.id, lead.id, new Date().toISOString());
    if (!updated) throw new HttpError(404, 'not_found', 'No such lead.');
    if (!lead.contactedAt) dealers.updated(publicLead(updated));
    res.json({ lead: publicLead(updated) });
  });

  /**
   * Addition: a lead no dealer was given (no postcode near one, none picked, or sent through the
   * API) is given to one from the inbox, by whoever sees every lead. It then reaches that
   * dealer's own inbox like any lead routed to it.
   */
  r.post('/api/events/:id/leads/:leadId/assign', json({ limit: '4kb' }), async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['host', 'dealer', 'admin']);
    const { dealerId } = parseBody(LeadAssign, req.body);
    const lead = await store.leads.get(event.id, req.params.leadId);
    if (!lead) throw new HttpError(404, 'not_found', 'No such lead.');
    const dealer = await store.dealers.get(event.id, dealerId);
    if (!dealer) throw new HttpError(400, 'invalid_payload', 'No dealer with this id in the event’s directory.', [{ path: ['dealerId'], message: 'no dealer with this id in the directory' }]);
    // The store only gives a lead that has no dealer: what it answers says who has it now, which
    // covers a lead that already had one and two people assigning it at once alike.
    const updated = await store.leads.assign(event.id, lead.id, { id: dealer.id, name: dealer.name });
    if (!updated) throw new HttpError(404, 'not_found', 'No such lead.');
    if (updated.dealerId !== dealer.id) throw new HttpError(409, 'conflict', `This lead is already ${updated.dealerName ?? updated.dealerId}’s.`);
    // Only the first assignment is news (a repeat of the same one changes nothing).
    if (lead.dealerId === null) dealers.updated(publicLead(updated));
    res.json({ lead: publicLead(updated) });
  });

  r.delete('/api/events/:id/leads/:leadId', async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['host', 'admin']);
    const lead = await store.leads.get(event.id, req.params.leadId);
    if (!lead || !(await store.leads.erase(event.id, lead.id, new Date().toISOString()))) throw new HttpError(404, 'not_found', 'No such lead.');
    dealers.erased(lead);
    res.status(204).end();
  });

  /** The dealer page's own view: which leads this key sees, and the dealers to filter by. */
  r.get('/api/events/:id/dealer', async (req, res) => {
    const { event, scope } = await requireScope(store, adminToken, req, READERS);
    const list = await store.dealers.list(event.id);
    res.json({
      event: toPublicEvent(event),
      scope: scope.kind === 'own' ? { kind: 'dealer', dealerId: scope.dealerId, name: scope.name } : { kind: 'all' },
      // Erasure is the presenter's (the brand's) decision, not a dealer's.
      canErase: scope.kind === 'host',
      dealers: (scope.kind === 'own' ? list.filter((d) => d.id === scope.dealerId) : list).map((d) => ({ id: d.id, name: d.name })),
    });
  });

  return r;
}

/** An optional query parameter that takes one of a few words; anything else is `400 invalid_payload` naming it. */
function choice<T extends string>(query: Record<string, unknown>, name: string, words: readonly [T, T]): T | undefined {
  const value = query[name];
  if (value === undefined || words.includes(value as T)) return value as T | undefined;
  const message = `${name} is "${words[0]}" or "${words[1]}"`;
  throw new HttpError(400, 'invalid_payload', `${message}.`, [{ path: [name], message }]);
}
