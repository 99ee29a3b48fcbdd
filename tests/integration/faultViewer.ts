import { randomUUID } from 'node:crypto';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/errors.js';
import type { HandshakeAuth, StatePayload } from '../../shared/events.js';
import type { LeadSubmitInput } from '../../shared/lead.js';
import type { Pose } from '../../shared/presentation.js';
import type { Question } from '../../shared/qa.js';
import { withQuestion, withVote } from '../../client/features/qa/fold.js';
import { createOutbox, NOT_CONNECTED, type Outbox } from '../../client/net/outbox.js';
import { memoryStorage } from '../../client/net/outbox.testkit.js';
import { RECONNECTION } from '../../client/net/reconnection.js';
import { foldPushes } from '../../client/net/roomFold.js';
import type { Client } from './harness.js';

/**
 * A viewer the way the browser is one, without React: socket.io with the page's reconnection
 * settings, the page's folds of every push (roomFold), the lead outbox itself (outbox.ts),
 * flushed on every `state` like useLeadOutbox; a question re-asked under the same id and a vote
 * re-sent until acknowledged, as AskForm and a second tap do.
 */

/** liveRoom's `send`: an ack slower than this is a failure the viewer sees. */
const ACK_TIMEOUT_MS = 10_000;
/** A viewer trying again after a failed question or vote. */
const RETRY_MS = 1_000;
/** Answers that resending cannot change: the test has a bug, not the link. */
const FINAL = new Set(['invalid_payload', 'conflict', 'forbidden', 'not_found', 'unauthorized']);

/** What a viewer shows that the server decides: compared between viewers and the server. */
export interface Picture {
  chapter: number;
  pose: string | null;
  questions: { id: string; text: string; status: string; votes: number }[];
}

export function pictureOf(state: StatePayload, pose: Pose | null): Picture {
  return {
    chapter: state.presentation.chapter,
    pose: pose ? JSON.stringify([pose.position, pose.target, pose.fov]) : null,
    questions: state.questions
      .filter((q) => q.status === 'visible' || q.status === 'answered')
      .map(({ id, text, status, votes }) => ({ id, text, status, votes }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export interface FaultViewer {
  readonly viewerId: string;
  readonly socket: Client;
  /** null before the first `state`. */
  picture(): Picture | null;
  /** Resolves with the question's id once acknowledged. */
  ask(text: string): Promise<string>;
  vote(questionId: string): Promise<void>;
  /** Into the outbox (sent, and resent, by it). */
  submitLead(lead: LeadSubmitInput & { id: string }): void;
  outbox: Outbox;
  /** Everything the server acknowledged to this viewer. */
  acked: { questions: Set<string>; votes: Set<string>; leads: Set<string> };
  /** Sends that failed (timeout, lost connection, the server's `internal`) and were retried. */
  retries: number;
  /** `state` snapshots received: more than one means it reconnected. */
  states: number;
  close(): void;
}

export function startViewer(url: string, auth: HandshakeAuth & { role: 'viewer'; viewerId: string }): FaultViewer {
  const socket: Client = connectClient(url, { auth, transports: ['websocket'], forceNew: true, ...RECONNECTION });
  let state: StatePayload | null = null;
  let pose: Pose | null = null;
  let closed = false;
  const acked = { questions: new Set<string>(), votes: new Set<string>(), leads: new Set<string>() };

  /**
   * `fold` runs in the ack's own callback. A browser handles each WebSocket message as a task of
   * its own, so the page's `await` on an ack resumes before the next message; Node's `ws` hands
   * over every message of a TCP read in one go, and an `await` here would fold the ack after the
   * pushes that followed it.
   */
  const emit = <T>(event: string, payload: unknown, fold: (res: Ack<T>) => void = () => {}): Promise<Ack<T>> =>
    new Promise((resolve) => {
      (socket as unknown as Socket).timeout(ACK_TIMEOUT_MS).emit(event, payload, (err: Error | null, ack: Ack<T>) => {
        const res: Ack<T> = err ? { ok: false, error: { code: 'internal', message: 'timeout' } } : ack;
        if (!res.ok && !FINAL.has(res.error.code)) viewer.retries += 1;
        fold(res);
        resolve(res);
      });
    });
  const outbox = createOutbox({
    code: auth.code,
    storage: memoryStorage(),
    // As useLeadOutbox: never through socket.io's offline buffer.
    send: (payload) => {
      if (socket.connected) return emit('lead:submit', payload);
      viewer.retries += 1;
      return Promise.resolve(NOT_CONNECTED);
    },
  });
  outbox.subscribe(() => {
    for (const r of outbox.snapshot().sent) acked.leads.add(r.id);
  });

  const viewer: FaultViewer = {
    viewerId: auth.viewerId,
    socket,
    acked,
    outbox,
    states: 0,
    retries: 0,
    picture: () => (state ? pictureOf(state, pose) : null),
    async ask(text) {
      const id = randomUUID();
      for (;;) {
        const res = await emit<Question>('question:ask', { id, text }, (a) => {
          if (a.ok && a.data && state) state = withQuestion(state, { ...a.data, mine: true });
        });
        if (res.ok) {
          acked.questions.add(id);
          return id;
        }
        if (!res.ok && FINAL.has(res.error.code)) throw new Error(`question refused: ${res.error.code}`);
        if (closed) throw new Error('viewer closed');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    },
    async vote(questionId) {
      for (;;) {
        const res = await emit<{ votes: number }>('question:vote', { id: questionId }, (a) => {
          if (a.ok && a.data && state) state = withVote(state, questionId, true, a.data.votes);
        });
        if (res.ok) {
          acked.votes.add(questionId);
          return;
        }
        if (!res.ok && FINAL.has(res.error.code)) throw new Error(`vote refused: ${res.error.code}`);
        if (closed) throw new Error('viewer closed');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    },
    submitLead: (lead) => outbox.submit(lead),
    close() {
      closed = true;
      outbox.dispose();
      socket.disconnect();
    },
  };

  socket.on('state', (next) => {
    state = next;
    pose = next.presentation.pose;
    viewer.states += 1;
    outbox.flush();
  });
  socket.on('camera:pose', (p) => {
    pose = p;
  });
  socket.on('vehicle:changed', ({ pose: framing }) => {
    if (framing) pose = framing;
  });
  foldPushes(socket, (fold) => {
    if (state) state = fold(state);
  });
  // As liveRoom: the server ending the session is the one case socket.io does not retry.
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect' && !closed) setTimeout(() => socket.connect(), 0);
  });
  return viewer;
}
