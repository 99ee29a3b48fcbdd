import type { EventStatus } from '../../shared/event.js';
import { Empty } from '../../shared/presentation.js';
import type { RoomBus } from '../cluster/bus.js';
import type { Logger } from '../logger.js';
import type { ReplayRecorder } from '../replay/recorder.js';
import type { Room } from '../rooms/room.js';
import type { Store } from '../store/types.js';
import type { DealerHub } from './dealers.js';
import { command, CommandError, type CommandHandler } from './command.js';
import type { VitrineServer } from './types.js';

/** scheduled → live → ended. Repeating a transition is harmless; going back is a conflict. */
const ALLOWED: Record<EventStatus, EventStatus[]> = {
  scheduled: ['live', 'ended'],
  live: ['ended'],
  ended: [],
};

interface Deps {
  io: VitrineServer;
  store: Store;
  bus: RoomBus;
  /** Starts the replay's recording with the event, and writes all of it when the event ends. */
  replay: ReplayRecorder;
  /** Dealer inboxes are not in the room: they hear of the new status on their namespace. */
  dealers: Pick<DealerHub, 'statusChanged'>;
  log: Logger;
}

export function eventHandlers({ io, store, bus, replay, dealers, log }: Deps): Record<string, CommandHandler> {
  async function transition(room: Room, to: EventStatus): Promise<void> {
    const from = room.event.status;
    if (from === to) return;
    if (!ALLOWED[from].includes(to)) throw new CommandError('conflict', `The event is ${from}; it cannot become ${to}.`);
    const updated = await store.events.setStatus(room.event.id, to, new Date().toISOString());
    if (!updated) throw new CommandError('not_found', 'This event no longer exists.');
    room.event = updated;
    if (to === 'live') replay.started(room);
    // The recording is whole once the end is acknowledged: the replay can open at once.
    if (to === 'ended') await replay.end(room.event.id);
    bus.publish(room.event.id, { k: 'status', event: { status: updated.status, startedAt: updated.startedAt, endedAt: updated.endedAt } });
    // Each process tells its own sockets (io.ts, `heard`).
    const changed = { status: updated.status, startedAt: updated.startedAt, endedAt: updated.endedAt };
    io.local.to(room.channel).emit('event:status', changed);
    dealers.statusChanged(room.event.id, changed);
  }

  return {
    'event:start': command({ role: 'host', schema: Empty, run: ({ room }) => transition(room, 'live') }, log),
    'event:end': command({ role: 'host', schema: Empty, run: ({ room }) => transition(room, 'ended') }, log),
  };
}
