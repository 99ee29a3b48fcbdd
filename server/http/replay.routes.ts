import { Router, type Request } from 'express';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { vehicleOf } from '../models/vehicle.js';
import { buildReplay } from '../replay/replay.js';
import type { Store } from '../store/types.js';
import { HttpError } from './errors.js';
import { eventByCode } from './events.routes.js';
import { sharedFor } from './shared.js';

const gzipped = promisify(gzip);

/**
 * How long a built replay is served again. When the end of a launch sends its audience to the
 * replay, thousands ask within seconds: the recording is read and encoded once per interval.
 */
export const REPLAY_REUSE_MS = 30_000;

interface Encoded {
  json: Buffer;
  gzip: Buffer;
}

const acceptsGzip = (req: Request) => /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');

/** `GET /api/replay/:code`: anyone with the link, once the event has ended. */
export function replayRouter({ store }: { store: Store }): Router {
  const r = Router();
  const shared = sharedFor<Encoded>(REPLAY_REUSE_MS);

  r.get('/api/replay/:code', async (req, res) => {
    const event = await eventByCode(store, req.params.code);
    const { startedAt, endedAt } = event;
    if (event.status !== 'ended') throw new HttpError(409, 'not_live', 'The replay opens when the event has ended.');
    if (!startedAt || !endedAt) throw new HttpError(404, 'no_replay', 'This event ended without going live: there is nothing to replay.');
    const body = await shared(event.id, async () => {
      const [entries, model] = await Promise.all([store.replay.entries(event.id), store.models.get(event.id)]);
      const json = Buffer.from(JSON.stringify(buildReplay({ ...event, startedAt, endedAt }, vehicleOf(event, model), entries)));
      return { json, gzip: await gzipped(json) };
    });
    res.set({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', vary: 'Accept-Encoding' });
    if (acceptsGzip(req)) res.set('content-encoding', 'gzip').send(body.gzip);
    else res.send(body.json);
  });

  return r;
}
