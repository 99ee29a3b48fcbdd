import type { ServerToClientEvents, StatePayload } from '../../shared/events.js';
import { reactionsOf } from '../../shared/qa.js';
import { withAudienceBatch, withQuestion } from '../features/qa/fold.js';
import type { VitrineClient } from './liveRoom.js';

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];
type Fold<E extends keyof ServerToClientEvents> = (cur: StatePayload, payload: Payload<E>) => StatePayload;
type FoldedEvent = Exclude<keyof ServerToClientEvents, 'state' | 'camera:pose' | 'hotspot:focused'>;

/**
 * How each server push changes a page's picture of the room, as pure folds: the page
 * (liveRoom) and the fault tests' viewers build their picture from the same pushes the same
 * way, so a test that finds them equal to the server's says something about the page.
 * `state` replaces the picture; poses go to the scene's buffer, outside React state.
 */
export const PUSH_FOLDS: { [E in FoldedEvent]: Fold<E> } = {
  'presentation:changed': (cur, p) => ({ ...cur, presentation: { ...cur.presentation, ...p } }),
  'event:status': (cur, { status, startedAt, endedAt }) => ({ ...cur, event: { ...cur.event, status, startedAt, endedAt } }),
  presence: (cur, { viewers }) => ({ ...cur, viewers }),
  reactions: (cur, reactions) => ({ ...cur, reactions }),
  'question:added': withQuestion,
  'question:updated': withQuestion,
  'questions:changed': (cur, { questions, votes }) => withAudienceBatch(cur, questions, votes),
  'qa:mode': (cur, { mode }) => ({ ...cur, qa: { ...cur.qa, mode } }),
  // A new model brings the pose that frames it; a studio edit leaves the camera where it is.
  'vehicle:changed': (cur, { vehicle, pose }) => ({ ...cur, event: { ...cur.event, vehicle }, presentation: { ...cur.presentation, ...(pose ? { pose } : {}) } }),
  // The studio may have changed the reactions on offer with the rest of the branding.
  'brand:changed': (cur, brand) => ({ ...cur, event: { ...cur.event, brand }, qa: { ...cur.qa, emojis: reactionsOf(brand) } }),
};

/** Hands `apply` the fold of every push `socket` hears, in the order they arrive. */
export function foldPushes(socket: VitrineClient, apply: (fold: (cur: StatePayload) => StatePayload) => void): void {
  // The map is typed per event; socket.io's `on` cannot follow a union of names, hence the cast.
  const on = socket.on.bind(socket) as unknown as (event: string, listener: (payload: unknown) => void) => void;
  for (const [event, fold] of Object.entries(PUSH_FOLDS) as [FoldedEvent, (cur: StatePayload, payload: unknown) => StatePayload][]) {
    on(event, (payload) => apply((cur) => fold(cur, payload)));
  }
}
