import type { EventStatus } from '../../shared/event.js';
import { Empty } from '../../shared/presentation.js';
import type { RoomBus } from '../cluster/bus.js';
import type { Logger } from '../logger.js';
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

export function eventHandlers({ io, store, bus, log }: { io: VitrineServer; store: Store; bus: RoomBus; log: Logger }): Record<string, CommandHandler> {
  async function transition(room: Room, to: EventStatus): Promise<void> {
    const from = room.event.status;
    if (from === to) return;
    if (!ALLOWED[from].includes(to)) throw new CommandError('conflict', `The event is ${from}; it cannot become ${to}.`);
    const updated = await store.events.setStatus(room.event.id, to, new Date().toISOString());
    if (!updated) throw new CommandError('not_found', 'This event no longer exists.');
    room.event = updated;
    bus.publish(room.event.id, { k: 'status', event: { status: updated.status, startedAt: updated.startedAt, endedAt: updated.endedAt } });
    io.to(room.channel).emit('event:status', { status: updated.status });
  }

  return {
    'event:start': command({ role: 'host', schema: Empty, run: ({ room }) => transition(room, 'live') }, log),
    'event:end': command({ role: 'host', schema: Empty, run: ({ room }) => transition(room, 'ended') }, log),
  };
}
