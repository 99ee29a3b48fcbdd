import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { handshakeKeyLoss, type KeyLoss } from '../../shared/keyLoss.js';
import type { Ack, AckCallback } from '../../shared/errors.js';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, StatePayload } from '../../shared/events.js';
import type { ModerationAction, ModerationMode, Question, QuestionAsk } from '../../shared/qa.js';
import { withQuestion, withVote } from '../features/qa/fold.js';
import { PoseBuffer } from '../scene/interpolation.js';
import { RECONNECTION } from './reconnection.js';
import { retryDelayMs } from './refusal.js';
import { foldPushes } from './roomFold.js';
import { watchWake } from './wake.js';

export type VitrineClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export type Connection =
  | { phase: 'connecting' }
  | { phase: 'live' }
  | { phase: 'reconnecting' }
  /** `keyLoss`: the key was good once (rotated, revoked or expired in the studio). */
  | { phase: 'refused'; reason: string; keyLoss: KeyLoss | null };

/** Handshake refusals that retrying cannot fix (`not_live`: a replay's socket before the end). */
const FINAL_REFUSALS = new Set(['not_found', 'unauthorized', 'invalid_payload', 'not_live']);

/**
 * Away at least this long, the server may have dropped this session without our knowing: it
 * pings every 25 s and gives up on a pong after 20 s (Socket.IO's defaults, ours), and a
 * frozen page answers nothing while a changed network delivers no close. A fresh connection
 * then costs one handshake; waiting for our own ping timer could cost 45 s.
 */
export const STALE_AFTER_MS = 20_000;
/** A socket that dies this soon after the page woke died of the sleep, not of a server in trouble. */
const WAKE_GRACE_MS = 3_000;

/** The ack a command answers with, read from its callback type in `shared/events.ts`. */
type AckOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> | undefined ? Ack<T> : never;

export interface LiveRoom {
  connection: Connection;
  /** null until the first `state`. Changes on meaningful events only (never per pose). */
  state: StatePayload | null;
  /** Counts the `state` snapshots received: a new one means a (re)connection. */
  epoch: number;
  /** Camera poses go here, outside React state: read each frame by the scene. */
  poses: PoseBuffer;
  socket: VitrineClient | null;
  send: <E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]) => Promise<AckOf<E>>;
  /** Q&A commands whose answer is folded into `state` at once (the author may get no push). */
  qa: {
    ask: (payload: QuestionAsk) => Promise<Ack<Question>>;
    vote: (id: string, on: boolean) => Promise<Ack<{ votes: number }>>;
    moderate: (id: string, action: ModerationAction) => Promise<Ack<Question>>;
    setMode: (mode: ModerationMode) => Promise<Ack>;
  };
}

/**
 * The one owner of the socket for a page. Every server push is folded into `state`, so a
 * reconnect (which brings a fresh `state`) and a live update lead to the same picture.
 */
export function useLiveRoom(auth: HandshakeAuth | null): LiveRoom {
  const [connection, setConnection] = useState<Connection>({ phase: 'connecting' });
  const [state, setState] = useState<StatePayload | null>(null);
  const [socket, setSocket] = useState<VitrineClient | null>(null);
  const [epoch, setEpoch] = useState(0);
  const poses = useRef(new PoseBuffer()).current;
  /** Folds a push or an ack into the picture; nothing to fold before the first `state`. */
  const update = useCallback((fold: (cur: StatePayload) => StatePayload) => setState((cur) => (cur ? fold(cur) : cur)), []);
  const authKey = auth ? JSON.stringify(auth) : null;

  useEffect(() => {
    if (!authKey) return;
    const s: VitrineClient = io({ auth: JSON.parse(authKey) as HandshakeAuth, transports: ['websocket', 'polling'], ...RECONNECTION });
    setSocket(s);
    setConnection({ phase: 'connecting' });
    s.on('state', (next) => {
      if (next.presentation.pose) poses.reset(next.presentation.pose, Date.now());
      setState(next);
      setEpoch((e) => e + 1);
      setConnection({ phase: 'live' });
    });
    s.on('camera:pose', (pose) => poses.push(pose, Date.now()));
    foldPushes(s, update);
    // A new model: every camera starts from the pose that frames it (the fold puts it in state).
    s.on('vehicle:changed', ({ pose }) => {
      if (pose) poses.reset(pose, Date.now());
    });

    let refused = false;
    let stopped = false;
    let wokeAt = -Infinity;
    /** A handshake refused as `rate_limited` waits the server's `retryAfter`: a wake does not jump it. */
    let retry: ReturnType<typeof setTimeout> | undefined;
    /**
     * Reconnects now, whatever socket.io's backoff (up to 3.75 s after a long outage) had planned:
     * a new connection brings a fresh `state`, and with it the outbox's resend. Never from
     * inside socket.io's own close handling: its manager would schedule a retry of its own
     * after ours and stay "reconnecting" for good.
     */
    const reconnectNow = () => {
      if (refused || stopped || retry) return;
      s.disconnect();
      s.connect();
    };
    s.on('disconnect', (reason) => {
      setConnection({ phase: 'reconnecting' });
      if (reason === 'io client disconnect') return;
      // The server ended the session on purpose: socket.io will not retry by itself. A socket
      // that died just after a wake (its close was queued during the sleep) need not wait
      // either: no crowd of other viewers reconnects at the same moment, the backoff's reason.
      if (reason === 'io server disconnect' || Date.now() - wokeAt < WAKE_GRACE_MS) setTimeout(reconnectNow, 0);
    });
    s.on('connect_error', (err) => {
      const wait = retryDelayMs(err);
      if (wait !== null) {
        clearTimeout(retry);
        retry = setTimeout(() => {
          retry = undefined;
          s.connect();
        }, wait);
        setConnection((c) => (c.phase === 'connecting' ? c : { phase: 'reconnecting' }));
      } else if (FINAL_REFUSALS.has(err.message)) {
        refused = true;
        setConnection({ phase: 'refused', reason: err.message, keyLoss: handshakeKeyLoss(err) });
        s.disconnect();
      } else {
        setConnection((c) => (c.phase === 'connecting' ? c : { phase: 'reconnecting' }));
      }
    });
    const stopWatching = watchWake({
      // The network is gone: the connection can carry nothing, say so now (rather than at the
      // next ping timeout) and let socket.io try again; a lead sent meanwhile stays queued.
      offline: () => {
        if (s.connected) s.io.engine.close();
      },
      wake: (awayMs) => {
        wokeAt = Date.now();
        if (!s.connected || awayMs >= STALE_AFTER_MS) reconnectNow();
      },
    });
    return () => {
      clearTimeout(retry);
      stopped = true;
      stopWatching();
      s.removeAllListeners();
      s.disconnect();
      setSocket(null);
    };
  }, [authKey, poses, update]);

  const send: LiveRoom['send'] = <E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]) =>
    new Promise<AckOf<E>>((resolve) => {
      const fail = (message: string) => resolve({ ok: false, error: { code: 'internal', message } } as AckOf<E>);
      if (!socket) return fail('not connected');
      (socket as unknown as Socket).timeout(10_000).emit(event, payload, (err: Error | null, res: AckOf<E>) => (err ? fail('timeout') : resolve(res)));
    });

  const qa: LiveRoom['qa'] = {
    ask: async (payload) => {
      const res = await send('question:ask', payload);
      // The author sees their question at once, even while it waits for moderation.
      if (res.ok && res.data) {
        const q = res.data;
        update((cur) => withQuestion(cur, { ...q, mine: true }));
      }
      return res;
    },
    vote: async (id, on) => {
      const res = await send(on ? 'question:vote' : 'question:unvote', { id });
      if (res.ok && res.data) {
        const { votes } = res.data;
        update((cur) => withVote(cur, id, on, votes));
      }
      return res;
    },
    moderate: async (id, action) => {
      const res = await send('question:moderate', { id, action });
      if (res.ok && res.data) {
        const q = res.data;
        update((cur) => withQuestion(cur, q));
      }
      return res;
    },
    setMode: async (mode) => {
      const res = await send('qa:mode', { mode });
      if (res.ok) update((cur) => ({ ...cur, qa: { ...cur.qa, mode } }));
      return res;
    },
  };

  return { connection, state, epoch, poses, socket, send, qa };
}
