import { Router, json } from 'express';
import { CreateEventInput, EventCode, type EventCreated, type EventPublic } from '../../shared/event.js';
import { DEFAULT_VARIANT_ID } from '../../shared/vehicle.js';
import { newEventCode, newId, newKey } from '../keys.js';
import type { EventRecord, Store } from '../store/types.js';
import { DuplicateCodeError } from '../store/types.js';
import { requireAdmin, requireScope } from './auth.js';
import { HttpError, parseBody } from './errors.js';

export function toPublicEvent(e: EventRecord): EventPublic {
  return {
    id: e.id,
    code: e.code,
    title: e.title,
    status: e.status,
    startsAt: e.startsAt,
    startedAt: e.startedAt,
    endedAt: e.endedAt,
    locale: e.locale,
    createdAt: e.createdAt,
    brand: e.brand,
  };
}

/** Keys travel in the fragment: browsers never send it, so no server or proxy logs it. */
export function withLinks(e: EventRecord, publicUrl: string): EventCreated {
  return {
    ...toPublicEvent(e),
    hostKey: e.hostKey,
    dealerKey: e.dealerKey,
    links: {
      viewer: `${publicUrl}/e/${e.code}`,
      host: `${publicUrl}/host/${e.id}#key=${e.hostKey}`,
      dealer: `${publicUrl}/dealer/${e.id}#key=${e.dealerKey}`,
    },
  };
}

const CODE_ATTEMPTS = 8;

/** The event a code in a URL names (case and spaces ignored), or 404. */
export async function eventByCode(store: Store, raw: string): Promise<EventRecord> {
  const code = EventCode.safeParse(raw);
  const event = code.success ? await store.events.findByCode(code.data) : null;
  if (!event) throw new HttpError(404, 'not_found', 'No event has this code.');
  return event;
}

export function eventsRouter(deps: { store: Store; adminToken: string; publicUrl: () => string }): Router {
  const { store } = deps;
  const r = Router();
  r.use(json({ limit: '16kb' }));

  r.post('/api/events', async (req, res) => {
    requireAdmin(req, deps.adminToken);
    const input = parseBody(CreateEventInput, req.body);
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      try {
        const created = await store.events.create({
          id: newId(),
          code: newEventCode(),
          title: input.title,
          locale: input.locale ?? 'fr',
          startsAt: input.startsAt ? new Date(input.startsAt).toISOString() : null,
          createdAt: new Date().toISOString(),
          hostKey: newKey(),
          dealerKey: newKey(),
          presentation: { chapter: 0, variant: DEFAULT_VARIANT_ID, cta: null, hotspot: null, pose: null },
        });
        res.status(201).json(withLinks(created, deps.publicUrl()));
        return;
      } catch (err) {
        if (!(err instanceof DuplicateCodeError)) throw err;
      }
    }
    throw new HttpError(503, 'unavailable', 'Could not allocate an event code; try again.');
  });

  /** The studio's list (an addition to the contract): admin only, since it carries keys. */
  r.get('/api/events', async (req, res) => {
    requireAdmin(req, deps.adminToken);
    const events = await store.events.list(200);
    res.json({ events: events.map((e) => withLinks(e, deps.publicUrl())) });
  });

  /** The presenter console's view (an addition): public event + viewer link, host key only. */
  r.get('/api/events/:id/host', async (req, res) => {
    const { event } = await requireScope(store, deps.adminToken, req, ['host']);
    res.json({ event: toPublicEvent(event), links: { viewer: withLinks(event, deps.publicUrl()).links.viewer } });
  });

  r.get('/api/events/:code', async (req, res) => {
    res.json(toPublicEvent(await eventByCode(store, req.params.code)));
  });

  return r;
}
