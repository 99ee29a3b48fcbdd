/** What the fuzzer sends, and what the server must answer to it. */
import { ErrorCode, HandshakeError } from '../../shared/errors.js';
import type { Sender } from './commands.js';

/** Every refusal an ack may carry; `internal` is left out: it means a handler threw. */
export const REFUSALS: readonly string[] = Object.values(ErrorCode).filter((c) => c !== 'internal');
/** Socket.IO's own answer to a CONNECT for a namespace the server does not have. */
export const INVALID_NAMESPACE = 'Invalid namespace';
/** Every `connect_error` the server may give (docs/protocol.md), Socket.IO's unknown namespace included. */
export const HANDSHAKE_REFUSALS: readonly string[] = [...Object.values(HandshakeError), 'not_live', INVALID_NAMESPACE];

export type Expect =
  /** An ack `{ok: false, error: {code}}` with one of `codes`. */
  | { outcome: 'error'; codes: readonly string[] }
  /** The server closes the connection (and nothing else is answered). */
  | { outcome: 'close' }
  /** Either: an error ack with one of `codes`, or the connection closed. */
  | { outcome: 'error-or-close'; codes: readonly string[] }
  /** Nothing asked, nothing answered; the same connection still answers a probe sent after it. */
  | { outcome: 'silent' }
  /** The handshake is refused: `connect_error` with one of `codes`. */
  | { outcome: 'refused'; codes: readonly string[] }
  /** An HTTP request of the Engine.IO transport answered with one of `statuses`. */
  | { outcome: 'http'; statuses: readonly number[] };

interface Base {
  /** The generator that made it (docs/benchmarks.md lists them); results are counted per kind. */
  kind: string;
  expect: Expect;
}

/** A Socket.IO event sent by socket.io-client on a joined socket of `sender`'s kind. */
export interface EmitPacket extends Base {
  via: 'emit';
  sender: Sender;
  event: string;
  args: unknown[];
  /** Whether an ack callback is added after `args`. */
  ack: boolean;
}

/**
 * Frames written on a bare WebSocket to `/socket.io/` after Engine.IO's open packet, once
 * joined as `join` (or before any CONNECT, with null). Text frames are Engine.IO packets as is.
 * An event expecting an ack carries the ack id RAW_ACK_ID.
 */
export interface RawPacket extends Base {
  via: 'raw';
  join: 'viewer' | 'host' | null;
  frames: (string | Buffer)[];
}

/** A Socket.IO handshake on namespace `nsp` with this `auth`. */
export interface HandshakePacket extends Base {
  via: 'handshake';
  nsp: string;
  /** `auth` as given; the driver puts the real event code / key where a packet asks for `$code`, `$key`, `$eventId`. */
  auth: unknown;
}

/** A request to Engine.IO's HTTP side (long-polling), with an optional Origin. */
export interface HttpPacket extends Base {
  via: 'http';
  method: 'GET' | 'POST';
  query: string;
  origin?: string;
  body?: string;
}

export type FuzzPacket = EmitPacket | RawPacket | HandshakePacket | HttpPacket;

/** The ack id raw event frames use (`42${RAW_ACK_ID}[…]` is answered `43${RAW_ACK_ID}[…]`). */
export const RAW_ACK_ID = 7;
