import type { EventStatus } from '../../shared/event.js';
import { Empty } from '../../shared/presentation.js';
import type { RoomBus } from '../cluster/bus.js';
import type { Logger } from '../logger.js';
import type { ReplayRecorder } from '../replay/recorder.js';
import type { Room } from '../rooms/room.js';
import type { Store } from '../store/types.js';
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
  log: Logger;
}

export function eventHandlers({ io, store, bus, replay, log }: Deps): Record<string, CommandHandler> {
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
    io.local.to(room.channel).emit('event:status', { status: updated.status, startedAt: updated.startedAt, endedAt: updated.endedAt });
  }

  return {
    'event:start': command({ role: 'host', schema: Empty, run: ({ room }) => transition(room, 'live') }, log),
    'event:end': command({ role: 'host', schema: Empty, run: ({ room }) => transition(room, 'ended') }, log),
  };
}
