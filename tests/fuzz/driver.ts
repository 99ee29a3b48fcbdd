/**
 * Sends fuzz packets to a running server and judges each answer against what the packet
 * expects (packet.ts): an error ack with a known code, a closed connection, a refused handshake,
 * a 400/403, or silence followed by a working connection. Joined sockets are kept per sender and
 * replaced when the server closes one; raw frames and handshakes each get a connection of their own.
 */
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { WebSocket, type RawData } from 'ws';
import { z } from 'zod';
import { ValidationIssue } from '../../shared/errors.js';
import { DEALER_NAMESPACE } from '../../shared/events.js';
import type { Sender } from './commands.js';
import { RAW_ACK_ID, REFUSALS, type EmitPacket, type Expect, type FuzzPacket, type HandshakePacket, type HttpPacket, type RawPacket } from './packet.js';

/** The event under attack, and a second one that has ended (replay sockets need one). */
export interface FuzzTarget {
  url: string;
  eventId: string;
  code: string;
  hostKey: string;
  dealerKey: string;
  replayCode: string;
}

export interface Verdict {
  ok: boolean;
  /** What came back: `ack forbidden`, `close`, `refused not_found`, `http 400`, `silent`… */
  got: string;
  ms: number;
}

/** A refusal ack exactly as the contract has it: known code, a message, field issues at most. */
const RefusalAck = z.strictObject({
  ok: z.literal(false),
  error: z.strictObject({ code: z.enum(REFUSALS as [string, ...string[]]), message: z.string().max(20_000), issues: z.array(ValidationIssue).optional() }),
});

/** An unknown event with an ack: every socket answers it (invalid_payload, or forbidden on /dealers). */
const PROBE = 'fuzz:probe';
const PROBE_ACK_ID = 9;

type Got = { t: 'ack'; body: unknown } | { t: 'close'; why: string } | { t: 'refused'; message: string } | { t: 'joined' } | { t: 'http'; status: number } | { t: 'timeout'; what: string };

/** Whether `got` is what `expect` asks for; the verdict's `got` names it either way. */
export function judge(expect: Expect, got: Got): { ok: boolean; got: string } {
  const refusal = got.t === 'ack' ? RefusalAck.safeParse(got.body) : null;
  const name =
    got.t === 'ack' ? (refusal?.success ? `ack ${refusal.data.error.code}` : `ack ${JSON.stringify(got.body).slice(0, 160)}`)
    : got.t === 'close' ? 'close'
    : got.t === 'refused' ? `refused ${got.message}`
    : got.t === 'http' ? `http ${got.status}`
    : got.t === 'joined' ? 'joined'
    : `timeout (${got.what})`;
  const ackIn = (codes: readonly string[]): boolean => refusal?.success === true && codes.includes(refusal.data.error.code);
  switch (expect.outcome) {
    case 'error': return { ok: ackIn(expect.codes), got: name };
    case 'close': return { ok: got.t === 'close', got: name };
    case 'error-or-close': return { ok: got.t === 'close' || ackIn(expect.codes), got: name };
    case 'silent': return { ok: got.t === 'ack' && refusal?.success === true, got: got.t === 'ack' && refusal?.success ? 'silent' : name };
    case 'refused': return { ok: got.t === 'refused' && expect.codes.includes(got.message), got: name };
    case 'http': return { ok: got.t === 'http' && expect.statuses.includes(got.status), got: name };
  }
}

type Client = Socket;

export class FuzzDriver {
  private pool = new Map<Sender, Promise<Client>>();
  private joined = 0;

  constructor(
    private target: FuzzTarget,
    private o: { timeoutMs: number; idPrefix: string } = { timeoutMs: 5000, idPrefix: 'fuzz' },
  ) {}

  async send(p: FuzzPacket): Promise<Verdict> {
    const t0 = performance.now();
    const got = await (p.via === 'emit' ? this.emit(p) : p.via === 'raw' ? this.raw(p) : p.via === 'handshake' ? this.handshake(p) : this.http(p));
    return { ...judge(p.expect, got), ms: performance.now() - t0 };
  }

  /** Sockets this driver has joined so far (each needs a handshake the server pays for). */
  get handshakes(): number {
    return this.joined;
  }

  close(): void {
    for (const s of this.pool.values()) void s.then((c) => c.close(), () => {});
    this.pool.clear();
  }

  private connect(nsp: string, auth: Record<string, unknown>, ready: 'state' | 'connect'): Promise<Client> {
    const socket = io(this.target.url + nsp, { auth, transports: ['websocket'], forceNew: true, reconnection: false, timeout: this.o.timeoutMs });
    this.joined++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`fuzz ${nsp} socket: not in within ${this.o.timeoutMs} ms`)), this.o.timeoutMs);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        socket.close();
        reject(err);
      };
      socket.once('connect_error', fail);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('connect_error', fail);
        resolve(socket);
      });
    });
  }

  /** The joined socket of a sender, made on first use and again after the server closed it. */
  private socketFor(sender: Sender): Promise<Client> {
    let s = this.pool.get(sender);
    if (!s) {
      const { code, hostKey, eventId, dealerKey, replayCode } = this.target;
      const viewerId = `${this.o.idPrefix}-${sender}-${this.joined}`;
      s =
        sender === 'viewer' ? this.connect('/', { code, role: 'viewer', viewerId }, 'state')
        : sender === 'host' ? this.connect('/', { code, role: 'host', key: hostKey }, 'state')
        : sender === 'replay' ? this.connect('/', { code: replayCode, role: 'viewer', viewerId, replay: true }, 'state')
        : this.connect(DEALER_NAMESPACE, { eventId, key: dealerKey }, 'connect');
      this.pool.set(sender, s);
      s.catch(() => this.pool.delete(sender));
    }
    return s;
  }

  private async emit(p: EmitPacket): Promise<Got> {
    const socket = await this.socketFor(p.sender);
    const closed = new Promise<Got>((resolve) => {
      if (!socket.connected) return resolve({ t: 'close', why: 'already closed' });
      socket.once('disconnect', (why) => resolve({ t: 'close', why }));
    });
    const answer = (event: string, args: unknown[]): Promise<Got> =>
      new Promise((resolve) => (socket as unknown as { emit(e: string, ...a: unknown[]): void }).emit(event, ...args, (body: unknown) => resolve({ t: 'ack', body })));
    let got: Got;
    if (p.ack) {
      got = await this.within([answer(p.event, p.args), closed], 'ack');
    } else {
      (socket as unknown as { emit(e: string, ...a: unknown[]): void }).emit(p.event, ...p.args);
      // Socket.IO keeps a socket's packets in order: the probe's answer comes after the packet's handling.
      got = await this.within([answer(PROBE, [{}]), closed], 'probe');
    }
    if (got.t !== 'ack') {
      this.pool.delete(p.sender);
      socket.close();
    }
    return got;
  }

  private raw(p: RawPacket): Promise<Got> {
    const ws = new WebSocket(`${this.target.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    const auth = p.join === 'host' ? { code: this.target.code, role: 'host', key: this.target.hostKey } : { code: this.target.code, role: 'viewer', viewerId: `${this.o.idPrefix}-raw-${this.joined}` };
    if (p.join) this.joined++;
    return this.within(
      [
        new Promise<Got>((resolve) => {
          let phase: 'open' | 'joining' | 'sent' = 'open';
          const sendAll = (): void => {
            phase = 'sent';
            for (const f of p.frames) ws.send(f);
            if (p.expect.outcome === 'silent') ws.send(`42${PROBE_ACK_ID}["${PROBE}",{}]`);
          };
          ws.on('message', (data: RawData, isBinary: boolean) => {
            if (isBinary) return;
            const text = data.toString();
            if (text === '2') return ws.send('3');
            if (phase === 'open' && text.startsWith('0')) {
              if (!p.join) return sendAll();
              phase = 'joining';
              return ws.send(`40${JSON.stringify(auth)}`);
            }
            if (phase === 'joining') {
              if (text.startsWith('44')) resolve({ t: 'timeout', what: `join refused: ${text.slice(0, 80)}` });
              else if (text.startsWith('42["state"')) sendAll();
              return;
            }
            const ack = new RegExp(`^43(${RAW_ACK_ID}|${PROBE_ACK_ID})\\[`).exec(text);
            if (ack) return resolve({ t: 'ack', body: (JSON.parse(text.slice(ack[0].length - 1)) as unknown[])[0] });
            const refused = /^44(\/[^,]*,)?/.exec(text);
            if (refused) return resolve({ t: 'refused', message: String((JSON.parse(text.slice(refused[0].length)) as { message?: unknown }).message) });
          });
          ws.on('close', () => resolve({ t: 'close', why: 'ws closed' }));
          ws.on('error', () => resolve({ t: 'close', why: 'ws error' }));
        }),
      ],
      'raw answer',
    ).finally(() => ws.terminate());
  }

  private handshake(p: HandshakePacket): Promise<Got> {
    const { code, hostKey, eventId } = this.target;
    const auth = JSON.parse(JSON.stringify(p.auth), (_k, v: unknown) => (v === '$code' ? code : v === '$key' ? hostKey : v === '$eventId' ? eventId : v)) as Record<string, unknown>;
    const socket = io(this.target.url + p.nsp, { auth, transports: ['websocket'], forceNew: true, reconnection: false, timeout: this.o.timeoutMs });
    return this.within(
      [
        new Promise<Got>((resolve) => {
          socket.once('connect_error', (err) => resolve({ t: 'refused', message: err.message }));
          socket.once('connect', () => resolve({ t: 'joined' }));
        }),
      ],
      'handshake',
    ).finally(() => socket.close());
  }

  private http(p: HttpPacket): Promise<Got> {
    const url = new URL(`/socket.io/?${p.query}`, this.target.url);
    return this.within(
      [
        new Promise<Got>((resolve) => {
          const req = http.request(url, { method: p.method, headers: { ...(p.origin ? { origin: p.origin } : {}), ...(p.body ? { 'content-type': 'text/plain' } : {}) } }, (res) => {
            res.resume();
            resolve({ t: 'http', status: res.statusCode ?? 0 });
          });
          req.on('error', (err) => resolve({ t: 'timeout', what: `http error ${err.message}` }));
          req.end(p.body);
        }),
      ],
      'http answer',
    );
  }

  /** The first of `outcomes`, or a timeout after timeoutMs. */
  private within(outcomes: Promise<Got>[], what: string): Promise<Got> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Got>((resolve) => (timer = setTimeout(() => resolve({ t: 'timeout', what }), this.o.timeoutMs)));
    return Promise.race([...outcomes, timeout]).finally(() => clearTimeout(timer));
  }
}
