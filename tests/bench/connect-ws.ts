/**
 * How the fan-out load generator (viewers.ts) opens its viewers: bare `ws` sockets, one
 * connection each, ramped up a batch of handshakes at a time like connect.ts. Against Vitrine and
 * the socket.io floor they speak socket.io's wire protocol themselves (engine.io v4 over
 * WebSocket: the same bytes as socket.io-client, without its per-socket machinery); against the ws
 * floor, its bare JSON. So all three servers are loaded by equally light clients, and the load
 * generators, which share this machine's two cores with the server, take as little as they can.
 */
import { WebSocket, type RawData } from 'ws';
import type { Pose } from '../../shared/presentation.js';

const CONNECT_TIMEOUT_MS = 30_000;
/** socket.io's wire protocol: engine.io `4` message + socket.io `2` event, then the JSON array. */
const EVENT = '42';
const POSE_EVENT = `${EVENT}["camera:pose",`;
const PRESENTATION_EVENT = `${EVENT}["presentation:changed",`;
const QUESTIONS_EVENT = `${EVENT}["questions:changed",`;

export type WireProtocol = 'socket.io' | 'ws';

export interface WsConnectOptions {
  url: string;
  protocol: WireProtocol;
  /** The socket.io handshake's auth (Vitrine's viewer: event code, role, viewerId); not sent to the ws floor. */
  auth: (index: number) => Record<string, string>;
  batch: number;
  /** Called when a joined viewer's socket closes (there is no reconnection: a drop is counted). */
  onDisconnect: () => void;
  /** Every pose viewer `index` receives. */
  onPose: (index: number, pose: Pose) => void;
  /** Vitrine's `presentation:changed` (a chapter, a CTA…), with the chapter it names. */
  onPresentation?: (index: number, chapter: number) => void;
  /** Vitrine's `questions:changed` (a Q&A batch to the audience): only counted. */
  onQuestions?: (index: number) => void;
}

/** The ws floor: a viewer is in once its socket is open (the floor adds it before answering the upgrade). */
function bareViewer(ws: WebSocket, index: number, o: WsConnectOptions, joined: () => void): void {
  ws.once('open', joined);
  ws.on('message', (data: RawData) => o.onPose(index, JSON.parse(data.toString()) as Pose));
}

/**
 * socket.io: engine.io's open packet `0{…}` → our CONNECT `40{auth}` → the server's `40{sid}`,
 * then events; a viewer is in at its first `state`, like connect.ts. Pings `2` get a pong `3`.
 */
function socketIoViewer(ws: WebSocket, index: number, o: WsConnectOptions, joined: () => void, refused: (why: string) => void): void {
  let inRoom = false;
  ws.on('message', (data: RawData) => {
    const text = data.toString();
    if (text.startsWith(POSE_EVENT)) o.onPose(index, (JSON.parse(text.slice(EVENT.length)) as [string, Pose])[1]);
    else if (text.startsWith(QUESTIONS_EVENT)) o.onQuestions?.(index);
    else if (text.startsWith(PRESENTATION_EVENT)) o.onPresentation?.(index, (JSON.parse(text.slice(EVENT.length)) as [string, { chapter: number }])[1].chapter);
    else if (text === '2') ws.send('3');
    else if (text.startsWith('0')) ws.send(`40${JSON.stringify(o.auth(index))}`);
    else if (text.startsWith('44')) refused(text.slice(2));
    else if (!inRoom && text.startsWith(`${EVENT}["state"`)) {
      inRoom = true;
      joined();
    }
  });
}

/** Resolves with null once the viewer is in, or with the error. */
function connectOne(index: number, o: WsConnectOptions): Promise<string | null> {
  const path = o.protocol === 'socket.io' ? '/socket.io/?EIO=4&transport=websocket' : '/?role=viewer';
  const ws = new WebSocket(`${o.url.replace(/^http/, 'ws')}${path}`, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
  return new Promise((resolve) => {
    const timer = setTimeout(() => fail('not in within 30 s'), CONNECT_TIMEOUT_MS);
    const onError = (err: Error): void => fail(err.message);
    const onEarlyClose = (): void => fail('closed before joining');
    function settle(): void {
      clearTimeout(timer);
      ws.off('error', onError);
      ws.off('close', onEarlyClose);
      ws.on('error', () => {}); // from now on a reset shows up as 'close'
    }
    function fail(why: string): void {
      settle();
      ws.terminate();
      resolve(why);
    }
    function joined(): void {
      settle();
      ws.once('close', o.onDisconnect);
      resolve(null);
    }
    ws.once('error', onError);
    ws.once('close', onEarlyClose);
    if (o.protocol === 'socket.io') socketIoViewer(ws, index, o, joined, (why) => fail(`refused: ${why}`));
    else bareViewer(ws, index, o, joined);
  });
}

/** Connects viewers 0…count−1 in order, `batch` at a time. */
export async function connectWsViewers(count: number, o: WsConnectOptions): Promise<{ failed: number; firstError: string | null; ms: number }> {
  const started = Date.now();
  let failed = 0;
  let firstError: string | null = null;
  for (let from = 0; from < count; from += o.batch) {
    const chunk = Array.from({ length: Math.min(o.batch, count - from) }, (_, j) => connectOne(from + j, o));
    for (const err of await Promise.all(chunk)) {
      if (err === null) continue;
      failed++;
      firstError ??= err;
    }
  }
  return { failed, firstError, ms: Date.now() - started };
}
