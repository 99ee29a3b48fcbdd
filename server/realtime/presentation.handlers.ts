import { ChapterSet, CtaOpen, Empty, Pose, VariantSet } from '../../shared/presentation.js';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import type { Logger } from '../logger.js';
import type { PoseRelay } from '../rooms/poseRelay.js';
import type { Room } from '../rooms/room.js';
import type { Store } from '../store/types.js';
import { command, CommandError, type CommandHandler } from './command.js';
import type { VitrineServer } from './types.js';

interface Deps {
  io: VitrineServer;
  store: Store;
  relay: PoseRelay;
  log: Logger;
}

export function presentationHandlers({ io, store, relay, log }: Deps): Record<string, CommandHandler> {
  /** Persist first, then change the live room, then tell everybody: an acked change survives a restart. */
  async function change(room: Room, next: Partial<ReturnType<Room['presentation']>>): Promise<void> {
    const snapshot = { ...room.snapshot(), ...next };
    await store.events.savePresentation(room.event.id, snapshot);
    room.chapter = snapshot.chapter;
    room.variant = snapshot.variant;
    room.cta = snapshot.cta;
    io.to(room.channel).emit('presentation:changed', room.presentation());
  }

  return {
    // High-rate and fire-and-forget: no store write per pose (the registry saves the last one).
    'camera:set': command({ role: 'host', schema: Pose, run: ({ room }, pose) => relay.publish(room, pose) }, log),
    'chapter:set': command({ role: 'host', schema: ChapterSet, run: ({ room }, { index }) => change(room, { chapter: index }) }, log),
    'variant:set': command(
      {
        role: 'host',
        schema: VariantSet,
        run: ({ room }, { id }) => {
          if (!DEMO_VEHICLE.variants.some((v) => v.id === id)) throw new CommandError('not_found', `No variant "${id}" on this vehicle.`);
          return change(room, { variant: id });
        },
      },
      log,
    ),
    'cta:open': command({ role: 'host', schema: CtaOpen, run: ({ room }, { kind }) => change(room, { cta: kind }) }, log),
    'cta:close': command({ role: 'host', schema: Empty, run: ({ room }) => change(room, { cta: null }) }, log),
  };
}
