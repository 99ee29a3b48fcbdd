import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { handshakeKeyLoss, type KeyLoss } from '../../shared/keyLoss.js';
import type { Ack, AckCallback } from '../../shared/errors.js';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, StatePayload } from '../../shared/events.js';
import type { ModerationAction, ModerationMode, Question, QuestionAsk } from '../../shared/qa.js';
import { withAudienceBatch, withQuestion, withVote } from '../features/qa/fold.js';
import { PoseBuffer } from '../scene/interpolation.js';
import { retryDelayMs } from './refusal.js';

export type VitrineClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export type Connection =
  | { phase: 'connecting' }
  | { phase: 'live' }
  | { phase: 'reconnecting' }
  /** `keyLoss`: the key was good once (rotated, revoked or expired in the studio). */
  | { phase: 'refused'; reason: string; keyLoss: KeyLoss | null };

/** Handshake refusals that retrying cannot fix (`not_live`: a replay's socket before the end). */
const FINAL_REFUSALS = new Set(['not_found', 'unauthorized', 'invalid_payload', 'not_live']);

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
    const s: VitrineClient = io({ auth: JSON.parse(authKey) as HandshakeAuth, transports: ['websocket', 'polling'] });
    setSocket(s);
    setConnection({ phase: 'connecting' });
    s.on('state', (next) => {
      if (next.presentation.pose) poses.reset(next.presentation.pose, Date.now());
      setState(next);
      setEpoch((e) => e + 1);
      setConnection({ phase: 'live' });
    });
    s.on('camera:pose', (pose) => poses.push(pose, Date.now()));
    s.on('presentation:changed', (p) => update((cur) => ({ ...cur, presentation: { ...cur.presentation, ...p } })));
    s.on('event:status', ({ status, startedAt, endedAt }) => update((cur) => ({ ...cur, event: { ...cur.event, status, startedAt, endedAt } })));
    s.on('presence', ({ viewers }) => update((cur) => ({ ...cur, viewers })));
    s.on('reactions', (reactions) => update((cur) => ({ ...cur, reactions })));
    s.on('question:added', (q) => update((cur) => withQuestion(cur, q)));
    s.on('question:updated', (q) => update((cur) => withQuestion(cur, q)));
    s.on('questions:changed', ({ questions, votes }) => update((cur) => withAudienceBatch(cur, questions, votes)));
    s.on('qa:mode', ({ mode }) => update((cur) => ({ ...cur, qa: { ...cur.qa, mode } })));
    // A new model: the stage loads it, and every camera starts from the pose that frames it.
    // A studio edit (paints, hotspots, chapters) leaves the camera where it is.
    s.on('vehicle:changed', ({ vehicle, pose }) => {
      if (pose) poses.reset(pose, Date.now());
      update((cur) => ({ ...cur, event: { ...cur.event, vehicle }, presentation: { ...cur.presentation, ...(pose ? { pose } : {}) } }));
    });
    s.on('brand:changed', (brand) => update((cur) => ({ ...cur, event: { ...cur.event, brand } })));
    s.on('disconnect', (reason) => {
      // The server ended the session on purpose: socket.io will not retry by itself.
      if (reason === 'io server disconnect') s.connect();
      setConnection({ phase: 'reconnecting' });
    });
    let retry: ReturnType<typeof setTimeout> | undefined;
    s.on('connect_error', (err) => {
      const wait = retryDelayMs(err);
      if (wait !== null) {
        clearTimeout(retry);
        retry = setTimeout(() => s.connect(), wait);
        setConnection((c) => (c.phase === 'connecting' ? c : { phase: 'reconnecting' }));
      } else if (FINAL_REFUSALS.has(err.message)) {
        setConnection({ phase: 'refused', reason: err.message, keyLoss: handshakeKeyLoss(err) });
        s.disconnect();
      } else {
        setConnection((c) => (c.phase === 'connecting' ? c : { phase: 'reconnecting' }));
      }
    });
    return () => {
      clearTimeout(retry);
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
