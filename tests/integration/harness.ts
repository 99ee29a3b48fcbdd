import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { EventCreated } from '../../shared/event.js';
import type { Question } from '../../shared/qa.js';
import { CONSENT_TEXT_VERSION, type LeadSubmitInput } from '../../shared/lead.js';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, StatePayload } from '../../shared/events.js';
import { createApp, type App } from '../../server/app.js';
import { createLogger, type Logger } from '../../server/logger.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import type { Store } from '../../server/store/types.js';
import type { ClusterLink } from '../../server/cluster/index.js';
import type { IpCaps } from '../../server/security/perimeter.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  /** Where this server keeps its database and models. */
  dataDir: string;
  adminToken: string;
  app: App;
  store: Store;
  createEvent(title?: string): Promise<EventCreated>;
  /** Connects and resolves with the socket and its first `state`; rejects with the connect_error. */
  join(auth: HandshakeAuth, extra?: JoinOptions): Promise<{ socket: Client; state: StatePayload }>;
  close(): Promise<void>;
}

/** How a test client connects: a browser's Origin, other headers (X-Forwarded-For: another IP), long-polling first. */
export interface JoinOptions {
  origin?: string;
  headers?: Record<string, string>;
  transport?: 'polling' | 'websocket';
}

/**
 * A real server on port 0 with a fresh SQLite file (and models folder), the way index.ts builds
 * it. With `cluster`, it is one of several processes sharing rooms through Redis; `shared` gives
 * it another server's store and folders (the database every process of a deployment uses);
 * `store` another store than SQLite (closed with the server); `log` a logger to read (silent by default).
 * `web` serves the built client under a public URL (a browser test reaching it through a fault proxy).
 */
export async function startServer(
  options: { modelMaxBytes?: number; cluster?: ClusterLink; shared?: TestServer; store?: Store; log?: Logger; ipCaps?: IpCaps; web?: { publicUrl: string; clientDir: string } } = {},
): Promise<TestServer> {
  const dir = options.shared?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-it-'));
  const store = options.shared?.store ?? options.store ?? openSqliteStore(path.join(dir, 'vitrine.db'));
  const adminToken = 'test-admin-token-0123456789';
  const models = { dir: path.join(dir, 'models'), maxBytes: options.modelMaxBytes ?? 100_000_000 };
  const web = options.web ?? { publicUrl: null, clientDir: null };
  const app = createApp({ store, log: options.log ?? createLogger('silent'), adminToken, ...web, models, ...(options.cluster ? { cluster: options.cluster } : {}), ...(options.ipCaps ? { ipCaps: options.ipCaps } : {}) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const url = app.publicUrl();
  const sockets: Client[] = [];

  return {
    url,
    dataDir: dir,
    adminToken,
    app,
    store,
    async createEvent(title = 'Lancement Aura EV') {
      const res = await fetch(`${url}/api/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ title, startsAt: '2026-12-01T18:00:00Z' }),
      });
      if (res.status !== 201) throw new Error(`createEvent: ${res.status} ${await res.text()}`);
      return (await res.json()) as EventCreated;
    },
    join(auth, extra = {}) {
      const socket: Client = connectClient(url, {
        auth,
        transports: extra.transport === 'polling' ? ['polling'] : ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { ...extra.headers, ...(extra.origin ? { origin: extra.origin } : {}) },
      });
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once('state', (state) => resolve({ socket, state }));
        socket.once('connect_error', (err) => reject(err));
      });
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await app.close();
      await options.cluster?.close();
      if (options.shared) return;
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the next `event` on `socket`, or rejects after `ms`. */
export function next<E extends keyof ServerToClientEvents>(socket: Client, event: E, ms = 3000): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${ms} ms`)), ms);
    socket.once(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    }) as never);
  });
}

/** Collects every `event` on `socket` from now on. */
export function collect<E extends keyof ServerToClientEvents>(socket: Client, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((p: Parameters<ServerToClientEvents[E]>[0]) => seen.push(p)) as never);
  return seen;
}

/** Emits with an ack and resolves with the ack (the socket.io-client typed emit is too narrow for bad payloads). */
export function ask(socket: Client, event: string, ...args: unknown[]): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string; issues?: unknown[] } }> {
  return (socket as unknown as Socket).timeout(3000).emitWithAck(event, ...args);
}

export const viewerId = (n: number) => `viewer-${String(n).padStart(6, '0')}`;

/**
 * Every question an audience socket hears about, flattened from its `questions:changed`
 * batches; a bare count is shown as `{id, votes}`.
 */
export function audience(socket: Client): Partial<Question>[] {
  const seen: Partial<Question>[] = [];
  socket.on('questions:changed', ({ questions, votes }) => {
    seen.push(...questions);
    for (const [id, n] of Object.entries(votes)) seen.push({ id, votes: n });
  });
  return seen;
}

/** A brochure request from person `n` (distinct name and e-mail), for lead bursts. */
export const brochureLead = (n: number): LeadSubmitInput => ({
  id: crypto.randomUUID(),
  type: 'brochure',
  firstName: 'Client',
  lastName: `Numéro ${n}`,
  email: `client${n}@example.fr`,
  postcode: '69003',
  consent: { contact: true, textVersion: CONSENT_TEXT_VERSION },
});
