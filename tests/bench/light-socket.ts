/**
 * A light socket.io client for the burst load generators (qa-viewers.ts, leads-viewers.ts): what
 * they use of socket.io-client (`on`, `once`, `emit` with an ack, `connected`, disconnect, `close`),
 * over a bare `ws` socket speaking socket.io's wire protocol (engine.io v4 over WebSocket, the same
 * bytes as socket.io-client). The generators share this machine's two cores with the server; with
 * socket.io-client every socket decoded every frame it got (2,100 sockets × each `questions:changed`
 * batch and reaction total), most of them for nobody. Here a frame's event name is matched on the
 * Buffer against this socket's listeners, and its JSON is parsed only when a listener wants the
 * payload; any other event is dropped unread, the way connect-ws.ts does for the fan-out.
 *
 * The frames, as the server sends them (no namespaces, no binary attachments on this socket):
 *   `0{sid,pingInterval,pingTimeout…}` engine open → we send `40{auth}` (socket.io CONNECT)
 *   `40{sid}` connected · `44{message,data}` refused (connect_error) · `41` disconnected by the server
 *   `42["event",payload]` an event · `43<id>[answer]` the ack of our `42<id>["event",payload]`
 *   `2` ping → we answer `3` · `1` engine close
 */
import { WebSocket, type RawData } from 'ws';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import { connectInBatches, type Joined } from './connect.js';

type ServerEvent = keyof ServerToClientEvents;
type ClientEvent = keyof ClientToServerEvents;
type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
type CommandPayload<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
/** What the server answers a command with (its `Ack<…>`), from the ack callback in shared/events.ts. */
export type AnswerOf<E extends ClientEvent> = Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0];
/** socket.io-client's `socket.timeout(ms).emit(…, cb)` callback: an error when no answer came (timeout, disconnect). */
export type AckHandler<A> = (err: Error | null, answer?: A) => void;

const CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_ACK_TIMEOUT_MS = 30_000;

// Bytes of the protocol (all ASCII): the first two of a frame say what it is.
const ENGINE_OPEN = 0x30; // '0'
const ENGINE_CLOSE = 0x31; // '1'
const ENGINE_PING = 0x32; // '2'
const ENGINE_MESSAGE = 0x34; // '4', followed by socket.io's packet type:
const IO_CONNECT = 0x30; // '40'
const IO_DISCONNECT = 0x31; // '41'
const IO_EVENT = 0x32; // '42'
const IO_ACK = 0x33; // '43'
const IO_CONNECT_ERROR = 0x34; // '44'
const OPEN_BRACKET = 0x5b; // '['
const QUOTE = 0x22; // '"'
const NAME_AT = 4; // `42["` then the event name
const STATE = Buffer.from('state');

/** One event's listeners: those that get the payload (parsed once for all), those that only learn it came. */
interface Listeners {
  name: Buffer;
  decoded: { fn: (payload: never) => void; once: boolean }[];
  bare: (() => void)[];
}

export interface LightSocketOptions {
  url: string;
  /** socket.io's handshake auth (Vitrine's viewer: event code, role, viewerId). */
  auth: Record<string, string>;
  /** How long a command waits for its ack before its handler gets an error (socket.io-client's `timeout(ms)`). */
  ackTimeoutMs?: number;
}

export class LightSocket {
  /** As socket.io-client's: true from the server's CONNECT answer until the socket is gone. */
  connected = false;
  private readonly ws: WebSocket;
  private readonly listeners = new Map<string, Listeners>();
  private readonly disconnectHandlers: ((reason: string) => void)[] = [];
  private readonly acks = new Map<number, { handler: AckHandler<unknown>; timer: NodeJS.Timeout }>();
  private readonly ackTimeoutMs: number;
  private nextAckId = 0;
  private gone = false;
  private joined = false;
  private joining: ((error: string | null) => void) | null = null;
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: LightSocketOptions) {
    this.ackTimeoutMs = o.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.ws = new WebSocket(`${o.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
    // binaryType is ws's default 'nodebuffer': every message, even a fragmented one, is one Buffer.
    this.ws.on('message', (data: RawData) => this.onFrame(data as Buffer));
    this.ws.on('error', (err) => this.drop('transport error', err.message));
    this.ws.on('close', () => this.drop('transport close', 'closed before joining'));
  }

  /** Every `event` from the server, its payload parsed; `'disconnect'`: the socket is gone (with socket.io-client's reason). */
  on(event: 'disconnect', fn: (reason: string) => void): this;
  on<E extends ServerEvent>(event: E, fn: (payload: Payload<E>) => void): this;
  on(event: string, fn: (payload: never) => void): this {
    if (event === 'disconnect') this.disconnectHandlers.push(fn as (reason: string) => void);
    else this.listenersOf(event).decoded.push({ fn, once: false });
    return this;
  }

  /** The next `event` only. */
  once<E extends ServerEvent>(event: E, fn: (payload: Payload<E>) => void): this {
    this.listenersOf(event).decoded.push({ fn, once: true });
    return this;
  }

  /** Every `event`, its payload left unread: for what only counts arrivals (the cheap path for big frames). */
  onArrival(event: ServerEvent, fn: () => void): this {
    this.listenersOf(event).bare.push(fn);
    return this;
  }

  /**
   * Sends a command. With `ack`, it gets the server's answer, or an error after the ack timeout
   * or when the socket goes (socket.io-client's `timeout(ms).emit` does the same). socket.io-client
   * would buffer a command sent while disconnected; the generators check `connected` first, and
   * here such a command is answered with an error at once.
   */
  emit<E extends ClientEvent>(event: E, payload: CommandPayload<E>, ack?: AckHandler<AnswerOf<E>>): void {
    if (!this.connected) {
      if (ack) queueMicrotask(() => ack(new Error('socket is not connected')));
      return;
    }
    if (!ack) return this.ws.send(`42${JSON.stringify([event, payload])}`);
    const id = this.nextAckId++;
    const timer = setTimeout(() => {
      this.acks.delete(id);
      ack(new Error('operation has timed out'));
    }, this.ackTimeoutMs);
    this.acks.set(id, { handler: ack as AckHandler<unknown>, timer });
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
  }

  /** Leaves like socket.io-client's `close()`: DISCONNECT, then the WebSocket closes. */
  close(): void {
    if (this.connected) this.ws.send('41');
    this.drop('io client disconnect', 'closed', true);
  }

  /** Resolves with null at the first `state` (the server's "you are in"), or with why the socket did not get in. */
  whenJoined(timeoutMs = CONNECT_TIMEOUT_MS): Promise<string | null> {
    if (this.joined) return Promise.resolve(null);
    if (this.gone) return Promise.resolve('closed before joining');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.joining = null;
        this.close();
        resolve(`no state within ${timeoutMs / 1000} s`);
      }, timeoutMs);
      this.joining = (error) => {
        clearTimeout(timer);
        this.joining = null;
        resolve(error);
      };
    });
  }

  private listenersOf(event: string): Listeners {
    let l = this.listeners.get(event);
    if (!l) this.listeners.set(event, (l = { name: Buffer.from(event), decoded: [], bare: [] }));
    return l;
  }

  private onFrame(data: Buffer): void {
    const kind = data[0];
    if (kind === ENGINE_MESSAGE) {
      const packet = data[1];
      if (packet === IO_EVENT) this.onEvent(data);
      else if (packet === IO_ACK) this.onAck(data);
      else if (packet === IO_CONNECT) this.connected = true;
      else if (packet === IO_CONNECT_ERROR) this.refused(data.toString('utf8', 2));
      else if (packet === IO_DISCONNECT) this.drop('io server disconnect', 'disconnected before joining');
    } else if (kind === ENGINE_PING && data.length === 1) {
      this.ws.send('3');
      this.pingTimer?.refresh();
    } else if (kind === ENGINE_OPEN) this.onOpen(data);
    else if (kind === ENGINE_CLOSE) this.drop('transport close', 'closed before joining');
  }

  /** engine.io's open: send our CONNECT, and drop the socket if pings stop, as engine.io-client does. */
  private onOpen(data: Buffer): void {
    const { pingInterval, pingTimeout } = JSON.parse(data.toString('utf8', 1)) as { pingInterval: number; pingTimeout: number };
    this.pingTimer = setTimeout(() => this.drop('ping timeout', 'ping timeout before joining'), pingInterval + pingTimeout);
    this.ws.send(`40${JSON.stringify(this.o.auth)}`);
  }

  /** `42["name",payload]`: the name compared on the Buffer; JSON parsed only if a listener wants it. */
  private onEvent(data: Buffer): void {
    if (data[2] !== OPEN_BRACKET || data[3] !== QUOTE) return; // `42<id>[…]`: the server asks nothing of viewers
    const isState = !this.joined && this.named(data, STATE);
    let l: Listeners | undefined;
    for (const candidate of this.listeners.values()) {
      if (this.named(data, candidate.name)) {
        l = candidate;
        break;
      }
    }
    if (isState) {
      this.joined = true;
      this.joining?.(null);
    }
    if (!l) return;
    for (const fn of l.bare) fn();
    if (l.decoded.length === 0) return;
    const payload = (JSON.parse(data.toString('utf8', 2)) as [string, unknown])[1];
    const decoded = l.decoded;
    if (decoded.some((d) => d.once)) l.decoded = decoded.filter((d) => !d.once);
    for (let i = 0, n = decoded.length; i < n; i++) decoded[i]!.fn(payload as never); // not those a listener adds meanwhile
  }

  private named(data: Buffer, name: Buffer): boolean {
    const end = NAME_AT + name.length;
    return data.length > end && data[end] === QUOTE && name.compare(data, NAME_AT, end) === 0;
  }

  /** `43<id>[answer]`: the answer to our command `id`; a late one (after its timeout) is dropped. */
  private onAck(data: Buffer): void {
    const open = data.indexOf(OPEN_BRACKET, 2);
    if (open < 0) return;
    const id = Number(data.toString('latin1', 2, open));
    const pending = this.acks.get(id);
    if (!pending) return;
    this.acks.delete(id);
    clearTimeout(pending.timer);
    pending.handler(null, (JSON.parse(data.toString('utf8', open)) as unknown[])[0]);
  }

  /** `44{message,data}`: the handshake was refused; connect errors carry socket.io-client's `err.message`. */
  private refused(body: string): void {
    let message = body;
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      // not JSON: report it as it came
    }
    this.drop('io server disconnect', `refused: ${message}`);
  }

  /** The socket is gone: pending commands get an error, the disconnect handlers run (once, if it had connected). */
  private drop(reason: string, joinError: string, graceful = false): void {
    if (this.gone) return;
    this.gone = true;
    const wasConnected = this.connected;
    this.connected = false;
    if (this.pingTimer) clearTimeout(this.pingTimer);
    for (const { handler, timer } of this.acks.values()) {
      clearTimeout(timer);
      handler(new Error('socket has been disconnected'));
    }
    this.acks.clear();
    this.ws.removeAllListeners('message');
    this.ws.on('error', () => {}); // a late reset must not throw
    if (graceful) this.ws.close();
    else this.ws.terminate();
    this.joining?.(joinError);
    if (wasConnected) for (const fn of this.disconnectHandlers) fn(reason);
  }
}

export interface LightConnectOptions {
  url: string;
  code: string;
  /** Handshakes in flight at a time, so the server sees a crowd arriving, not a storm. */
  batch: number;
  /** Called when a joined viewer's socket closes (there is no reconnection: a drop is counted). */
  onDisconnect: () => void;
  /** Called on each new socket before it connects (listeners that must not miss anything). */
  setup?: (socket: LightSocket, index: number) => void;
  ackTimeoutMs?: number;
}

/** Resolves with the socket once it has its first `state`, or with the error. */
async function connectOne(viewerId: string, index: number, o: LightConnectOptions): Promise<LightSocket | string> {
  const socket = new LightSocket({ url: o.url, auth: { code: o.code, role: 'viewer', viewerId }, ackTimeoutMs: o.ackTimeoutMs });
  o.setup?.(socket, index);
  const error = await socket.whenJoined();
  if (error !== null) return error;
  socket.on('disconnect', o.onDisconnect);
  return socket;
}

/** As connect.ts's connectViewers: `sockets[i]` is the viewer `ids[i]`, or null if it failed to join. */
export function connectLightViewers(ids: string[], o: LightConnectOptions): Promise<Joined<LightSocket>> {
  return connectInBatches(ids, o.batch, (id, index) => connectOne(id, index, o));
}
