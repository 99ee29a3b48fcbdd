import type { ErrorCode } from '../../shared/errors.js';
import { QaModeSet, QuestionAsk, QuestionModerate, QuestionRef, RATE_LIMITS, ReactionSend, reactionsOf, ViewerBlock, type ModerationAction } from '../../shared/qa.js';
import type { RoomBus } from '../cluster/bus.js';
import type { Limits } from '../cluster/limits.js';
import type { Logger } from '../logger.js';
import type { QaPublisher } from '../rooms/qaPublisher.js';
import type { Room } from '../rooms/room.js';
import type { AudienceRecorder } from '../report/recorder.js';
import type { ReplayRecorder } from '../replay/recorder.js';
import type { QuestionRecord, Store } from '../store/types.js';
import { command, CommandError, ERROR_MESSAGES, type CommandContext, type CommandHandler } from './command.js';
import { authorView, hostView, isPublic } from './qa.view.js';
import type { VitrineServer } from './types.js';

interface Deps {
  io: VitrineServer;
  store: Store;
  qa: QaPublisher;
  /** Who reacted, for the report. */
  recorder: AudienceRecorder;
  /** Moderated questions, for the replay. */
  replay: ReplayRecorder;
  bus: RoomBus;
  limits: Limits;
  log: Logger;
}

function refuse(code: Exclude<ErrorCode, 'internal'>, message = ERROR_MESSAGES[code]): never {
  throw new CommandError(code, message);
}

function notEnded(room: Room): void {
  if (room.event.status === 'ended') refuse('not_live', 'The event has ended.');
}

async function limit(limits: Limits, { room, socket }: CommandContext, kind: keyof typeof RATE_LIMITS): Promise<void> {
  if (!(await limits.take(room, `${kind}:${socket.data.viewerId}`, RATE_LIMITS[kind]))) {
    refuse('rate_limited', kind === 'question:ask' ? 'At most 5 questions a minute.' : 'Too many requests; slow down.');
  }
}

/** Status and pin after a moderation action (pin implies visible; answered or hidden unpins). */
export function moderate(q: QuestionRecord, action: ModerationAction): { status: QuestionRecord['status']; pinned: boolean } {
  switch (action) {
    case 'approve': return { status: 'visible', pinned: q.pinned };
    case 'hide': return { status: 'hidden', pinned: false };
    case 'answer': return { status: 'answered', pinned: false };
    case 'pin': return { status: q.status === 'answered' ? 'answered' : 'visible', pinned: true };
    case 'unpin': return { status: q.status, pinned: false };
  }
}

export function qaHandlers({ io, store, qa, recorder, replay, bus, limits, log }: Deps): Record<string, CommandHandler> {
  /** Keeps the room copy of this process and of the others in step with the store. */
  function put(room: Room, q: QuestionRecord): void {
    room.putQuestion(q);
    bus.publish(room.event.id, { k: 'question', question: q });
  }

  /** Writes a status/pin change (and the unpin of the previous pinned one), then tells everybody. */
  async function apply(room: Room, q: QuestionRecord, change: { status: QuestionRecord['status']; pinned: boolean }): Promise<QuestionRecord> {
    const previouslyPinned = change.pinned ? [...room.questions.values()].filter((o) => o.pinned && o.id !== q.id) : [];
    const updated = await store.questions.update(q.id, change);
    if (!updated) refuse('not_found');
    for (const other of previouslyPinned) {
      const unpinned = { ...other, pinned: false };
      put(room, unpinned);
      replay.question(room, unpinned);
      qa.questionChanged(room, unpinned, isPublic(other));
    }
    put(room, updated);
    replay.question(room, updated);
    qa.questionChanged(room, updated, isPublic(q));
    return updated;
  }

  const vote = (add: boolean) =>
    command(
      {
        role: 'viewer',
        schema: QuestionRef,
        run: async (ctx, { id }) => {
          const { room, socket } = ctx;
          notEnded(room);
          const q = room.questions.get(id);
          if (!q || !isPublic(q)) refuse('not_found', 'No such question.');
          await limit(limits, ctx, 'question:vote');
          const res = add ? await store.questions.vote(id, socket.data.viewerId!) : await store.questions.unvote(id, socket.data.viewerId!);
          if (!res) refuse('not_found', 'No such question.');
          if (res.changed) {
            // ±1, not the count the store answered: concurrent votes' answers may come back in
            // any order (PostgreSQL), and an older, lower count must not overwrite a newer one.
            const delta = add ? 1 : -1;
            room.addVotes(id, delta);
            bus.publish(room.event.id, { k: 'vote', id, delta });
            qa.votesChanged(room, id);
          }
          // The room's count, the one every batch to this socket carries: the store's answer
          // can be older than a concurrent vote's batch already sent (it came back later), and
          // a voter's screen must not step back to it.
          return { votes: room.questions.get(id)?.votes ?? res.votes };
        },
      },
      log,
    );

  return {
    'question:ask': command(
      {
        role: 'viewer',
        schema: QuestionAsk,
        run: async (ctx, input) => {
          const { room, socket } = ctx;
          const viewerId = socket.data.viewerId!;
          // A resend of an acknowledged question (lost ack, reload) answers the stored one.
          const known = room.questions.get(input.id);
          if (known) {
            if (known.viewerId !== viewerId || known.eventId !== room.event.id) refuse('conflict', 'This question id is already used.');
            return authorView(known);
          }
          notEnded(room);
          await limit(limits, ctx, 'question:ask');
          const status = room.blocked.has(viewerId) ? 'hidden' : room.qaMode === 'open' ? 'visible' : 'pending';
          const name = input.name || socket.data.name || null;
          const { question } = await store.questions.ask({ id: input.id, eventId: room.event.id, viewerId, name, text: input.text, status, createdAt: new Date().toISOString() });
          if (question.viewerId !== viewerId || question.eventId !== room.event.id) refuse('conflict', 'This question id is already used.');
          put(room, question);
          // Told even when the store already had it (`created: false`): an earlier attempt
          // committed, then failed before reaching the room, so nobody has heard of it yet.
          qa.questionChanged(room, question, false, true);
          return authorView(question);
        },
      },
      log,
    ),
    'question:vote': vote(true),
    'question:unvote': vote(false),
    'question:moderate': command(
      {
        role: 'host',
        schema: QuestionModerate,
        run: async ({ room }, { id, action }) => {
          const q = room.questions.get(id);
          if (!q) refuse('not_found', 'No such question.');
          const updated = await apply(room, q, moderate(q, action));
          return hostView(updated, room.authorInfo(updated.viewerId));
        },
      },
      log,
    ),
    'qa:mode': command(
      {
        role: 'host',
        schema: QaModeSet,
        run: async ({ room }, { mode }) => {
          await store.events.setQaMode(room.event.id, mode);
          room.qaMode = mode;
          room.event = { ...room.event, qaMode: mode };
          bus.publish(room.event.id, { k: 'qaMode', mode });
          io.local.to(room.channel).emit('qa:mode', { mode }); // the others: io.ts, `heard`
        },
      },
      log,
    ),
    'viewer:block': command(
      {
        role: 'host',
        schema: ViewerBlock,
        run: async ({ room }, { questionId }) => {
          const q = room.questions.get(questionId);
          if (!q) refuse('not_found', 'No such question.');
          const hidden = await store.questions.block(room.event.id, q.viewerId, new Date().toISOString());
          room.blocked.add(q.viewerId);
          bus.publish(room.event.id, { k: 'block', viewerId: q.viewerId });
          for (const h of hidden) {
            put(room, h);
            replay.question(room, h);
            qa.questionChanged(room, h, false);
          }
          // The block shows on every question of the author in the presenters' list.
          for (const other of room.questions.values()) {
            if (other.viewerId === q.viewerId && !hidden.some((h) => h.id === other.id)) {
              io.local.to(room.hostChannel).emit('question:updated', hostView(other, room.authorInfo(other.viewerId)));
            }
          }
        },
      },
      log,
    ),
    'reaction:send': command(
      {
        role: 'viewer',
        schema: ReactionSend,
        run: async (ctx, { emoji }) => {
          notEnded(ctx.room);
          if (!reactionsOf(ctx.room.event.brand).includes(emoji)) refuse('invalid_payload', 'This reaction is not offered here.');
          await limit(limits, ctx, 'reaction:send');
          qa.reacted(ctx.room, emoji);
          recorder.reacted(ctx.room.event.id, ctx.socket.data.viewerId!, emoji);
        },
      },
      log,
    ),
  };
}
