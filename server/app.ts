import express from 'express';
import helmet from 'helmet';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { errorHandler, HttpError, notFoundApi } from './http/errors.js';
import { dealersRouter } from './http/dealers.routes.js';
import { eventsRouter } from './http/events.routes.js';
import { leadsRouter } from './http/leads.routes.js';
import { vehicleRouter } from './http/vehicle.routes.js';
import { reportRouter } from './http/report.routes.js';
import { replayRouter } from './http/replay.routes.js';
import { modelsRouter } from './http/models.routes.js';
import { mediaRouter } from './http/media.routes.js';
import { posterRouter } from './http/poster.routes.js';
import { healthRouter } from './http/health.routes.js';
import { keysRouter } from './http/keys.routes.js';
import type { KeyFailureListener } from './access/check.js';
import { keyService } from './access/service.js';
import { staticRouter } from './http/static.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { startRetentionSweep } from './leads/retention.js';
import { ModelService } from './models/service.js';
import { MediaStore } from './media/store.js';
import { createRealtime, type Realtime } from './realtime/io.js';
import type { Store } from './store/types.js';
import type { ClusterLink } from './cluster/index.js';
import { localIpLimits } from './cluster/ipLimits.js';
import { ipKey, type TrustProxy } from './security/clientIp.js';
import { capEventCreation, gateKeys, refuseCrossSite } from './security/http.js';
import { DEFAULT_IP_CAPS, Perimeter, type IpCaps } from './security/perimeter.js';
import { socketGuard } from './security/sockets.js';

export interface AppDeps {
  store: Store;
  log: Logger;
  adminToken: string;
  /** Configured PUBLIC_URL, or null to derive it from the bound address. */
  publicUrl: string | null;
  /** Built client (dist/client); null serves the API only (tests). */
  clientDir: string | null;
  /** Uploaded models: `dir` is DATA_DIR/models; `maxBytes` is MODEL_MAX_BYTES. */
  models: { dir: string; maxBytes: number };
  /** Uploaded images (logos, hotspot pictures): DATA_DIR/media, beside `models.dir` unless given. */
  mediaDir?: string;
  /** Redis, when this process serves events with others (`REDIS_URL`); closed by the caller. */
  cluster?: ClusterLink;
  /** A worker behind the WORKERS primary: its Engine.IO session ids start with this. */
  sessionIdPrefix?: string;
  /** Hears each refused key, after it is logged (e.g. to slow down guessing). */
  onKeyFailure?: KeyFailureListener;
  /** Per-client-IP caps (`IP_*`); DEFAULT_IP_CAPS unless given. */
  ipCaps?: IpCaps;
  /** Express's `trust proxy` (`TRUST_PROXY`): which peers' X-Forwarded-For names the client. Default `loopback`. */
  trustProxy?: boolean | number | string;
}

export interface App {
  httpServer: HttpServer;
  realtime: Realtime;
  metrics: Metrics;
  models: ModelService;
  /** The leads' retention sweep (hourly; `sweep()` runs one now). */
  retention: { sweep(): Promise<number> };
  /** Base URL for links and QR codes: PUBLIC_URL, else the address actually bound. */
  publicUrl(): string;
  close(): Promise<void>;
}

/** Builds everything from its dependencies; index.ts (or a test) decides where to listen. */
export function createApp(deps: AppDeps): App {
  const { log } = deps;
  const app = express();
  const httpServer = createServer(app);
  const metrics = new Metrics();

  const boundUrl = (): string => {
    const addr = httpServer.address() as AddressInfo | null;
    if (!addr) return 'http://127.0.0.1';
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${addr.port}`;
  };
  const publicUrl = (): string => deps.publicUrl ?? boundUrl();
  // Asked on every Engine.IO request: built once per bound port.
  let origins: { port: number | undefined; set: Set<string> } | null = null;
  const allowedOrigins = (): Set<string> => {
    const port = (httpServer.address() as AddressInfo | null)?.port;
    const known = origins;
    if (known && known.port === port) return known.set;
    const set = new Set([new URL(publicUrl()).origin]);
    if (!deps.publicUrl && port) for (const h of ['127.0.0.1', 'localhost', '[::1]']) set.add(`http://${h}:${port}`);
    origins = { port, set };
    return set;
  };

  app.disable('x-powered-by');
  // Behind a proxy, per-IP caps and logs must see the viewer, not the proxy (docs/deploy.md).
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  const perimeter = new Perimeter(deps.ipCaps ?? DEFAULT_IP_CAPS, deps.cluster?.ipLimits ?? localIpLimits(), log);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // 'wasm-unsafe-eval' lets the meshopt and Draco decoders compile their WebAssembly
          // (it allows WebAssembly only, not eval of JavaScript).
          scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
          // r3f/drei set element styles at run time; no third-party stylesheet is loaded.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          // blob:: three's GLTFLoader fetches a GLB's embedded textures through blob URLs.
          connectSrc: ["'self'", 'blob:'],
          workerSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Pages carry keys in their fragment; never leak the URL to another site.
      referrerPolicy: { policy: 'no-referrer' },
      // Served over plain HTTP on a laptop; HSTS belongs to the TLS proxy in front.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (!req.path.startsWith('/api/')) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'http');
    });
    next();
  });
  app.use('/api', refuseCrossSite, gateKeys(perimeter));
  app.post('/api/events', capEventCreation(perimeter));

  /**
   * The one place a refused key is reported, however it was presented (HTTP, the presenter's
   * socket, a dealer inbox's): a warning without the key, one failure for its address's per-IP
   * cap, then `onKeyFailure`.
   */
  const keyFailed: KeyFailureListener = (failure) => {
    log.warn(failure, 'key refused');
    perimeter.keyFailed(ipKey(failure.ip ?? ''));
    deps.onKeyFailure?.(failure);
  };

  const guard = socketGuard({ perimeter, allowedOrigins, trust: app.get('trust proxy fn') as TrustProxy, log });
  const realtime = createRealtime(httpServer, {
    keyFailed,
    store: deps.store,
    log,
    metrics,
    guard,
    ...(deps.cluster ? { bus: deps.cluster.bus, limits: deps.cluster.limits, adapter: deps.cluster.adapter } : {}),
    ...(deps.sessionIdPrefix ? { sessionIdPrefix: deps.sessionIdPrefix } : {}),
  });
  const retention = startRetentionSweep(deps.store, log, (lead) => realtime.dealers.erased(lead));
  const models = new ModelService({ store: deps.store, log, dir: deps.models.dir, maxBytes: deps.models.maxBytes });

  app.use(healthRouter({ store: deps.store, metrics, ...(deps.cluster ? { bus: deps.cluster.bus } : {}) }));
  // Before eventsRouter: these routes parse their own (larger) bodies.
  app.use(dealersRouter({ store: deps.store, adminToken: deps.adminToken, publicUrl, dealers: realtime.dealers }));
  app.use(leadsRouter({ store: deps.store, adminToken: deps.adminToken, dealers: realtime.dealers }));
  app.use(modelsRouter({ store: deps.store, adminToken: deps.adminToken, models, publicUrl, onModelChanged: (event, model) => realtime.vehicleChanged(event.id, model.pose) }));
  app.use(posterRouter({ store: deps.store, adminToken: deps.adminToken, models, publicUrl, onPosterChanged: (eventId) => realtime.vehicleChanged(eventId) }));
  app.use(vehicleRouter({ store: deps.store, adminToken: deps.adminToken, onStaged: (eventId) => realtime.vehicleChanged(eventId) }));
  app.use(keysRouter({ store: deps.store, adminToken: deps.adminToken, keys: keyService({ store: deps.store, publicUrl, keys: realtime.keys }) }));
  app.use(replayRouter({ store: deps.store }));
  app.use(reportRouter({ store: deps.store, adminToken: deps.adminToken, flush: () => realtime.recorder.flush() }));
  const media = new MediaStore(deps.mediaDir ?? path.join(path.dirname(deps.models.dir), 'media'));
  app.use(mediaRouter({ store: deps.store, adminToken: deps.adminToken, media, publicUrl, onBrandChanged: (event) => realtime.brandChanged(event) }));
  app.use(eventsRouter({ store: deps.store, adminToken: deps.adminToken, publicUrl }));
  app.use('/api', notFoundApi);
  if (deps.clientDir) app.use(staticRouter(deps.clientDir));
  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'No such page.')));
  app.use(errorHandler(log, keyFailed));

  return {
    httpServer,
    realtime,
    metrics,
    models,
    publicUrl,
    retention,
    async close() {
      retention.stop();
      await realtime.close();
      metrics.close();
    },
  };
}
