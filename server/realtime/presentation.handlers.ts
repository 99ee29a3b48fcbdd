import { ChapterSet, CtaOpen, Empty, HotspotFocus, HotspotOpen, Pose, VariantSet } from '../../shared/presentation.js';
import { hotspotPose } from '../../shared/vehicle.js';
import type { RoomBus } from '../cluster/bus.js';
import type { Limits } from '../cluster/limits.js';
import type { Logger } from '../logger.js';
import type { ReplayRecorder } from '../replay/recorder.js';
import type { OrderedFanout } from '../rooms/fanout.js';
import type { PoseRelay } from '../rooms/poseRelay.js';
import type { Room } from '../rooms/room.js';
import type { Store } from '../store/types.js';
import { command, CommandError, type CommandHandler } from './command.js';
import type { VitrineServer } from './types.js';

interface Deps {
  io: VitrineServer;
  store: Store;
  relay: PoseRelay;
  /** Room-wide messages, written in rounds (presentation changes, focused hotspots). */
  fanout: OrderedFanout;
  /** The presentation as it goes, for the replay. */
  replay: ReplayRecorder;
  bus: RoomBus;
  limits: Limits;
  log: Logger;
}

/** A viewer opening hotspot cards: enough for a curious tapper, not for a script inflating the report. */
const HOTSPOT_OPEN_LIMIT = { count: 30, perMs: 60_000 };

export function presentationHandlers({ io, store, relay, fanout, replay, bus, limits, log }: Deps): Record<string, CommandHandler> {
  /** Persist first, then change the live room, then tell everybody: an acked change survives a restart. */
  async function change(room: Room, next: Partial<ReturnType<Room['presentation']>>, pose?: Pose): Promise<void> {
    const snapshot = { ...room.snapshot(), ...next, ...(pose ? { pose } : {}), changedAt: Math.max(Date.now(), room.presentationAt + 1) };
    await store.events.savePresentation(room.event.id, snapshot);
    room.chapter = snapshot.chapter;
    room.variant = snapshot.variant;
    room.cta = snapshot.cta;
    room.hotspot = snapshot.hotspot;
    room.presentationAt = snapshot.changedAt;
    replay.presentation(room);
    // Each process tells its own sockets (io.ts, `heard`): not through the adapter.
    bus.publish(room.event.id, { k: 'presentation', presentation: room.stampedPresentation(), ...(next.hotspot ? { focused: next.hotspot } : {}) });
    // In rounds, not one synchronous broadcast: at 10,000 viewers that held every ack ~140 ms.
    fanout.send(room, room.channel, 'presentation:changed', () => room.presentation());
    if (pose) fly(room, pose);
    const focused = next.hotspot;
    if (focused) fanout.send(room, room.channel, 'hotspot:focused', () => ({ id: focused }));
  }

  /**
   * Sends every screen to a chapter's or a hotspot's view. `fly` makes viewers (and the
   * presenter's own console, which is not in the viewers' channel) fly there rather than cut.
   */
  function fly(room: Room, pose: Pose): void {
    relay.publish(room, pose);
    replay.pose(room, pose);
    io.to(room.hostChannel).emit('camera:pose', pose);
  }

  /**
   * A server-made pose goes into the presenter's stream of poses: stamped just after the last
   * one (on the presenter's clock), so no screen drops it as older than what it shows.
   */
  const flyPose = (room: Room, pose: Pose): Pose => ({ ...pose, t: room.pose.t + 1, fly: true });

  function hotspotOf(room: Room, id: string) {
    const h = room.vehicle.hotspots.find((x) => x.id === id);
    if (!h) throw new CommandError('not_found', `No hotspot "${id}" on this vehicle.`);
    return h;
  }

  return {
    // High-rate and fire-and-forget: no store write per pose (the registry saves the last one).
    'camera:set': command(
      {
        role: 'host',
        schema: Pose,
        run: ({ room }, pose) => {
          relay.publish(room, pose);
          replay.pose(room, pose);
        },
      },
      log,
    ),
    'chapter:set': command(
      {
        role: 'host',
        schema: ChapterSet,
        run: ({ room }, { index }) => {
          const chapter = room.vehicle.chapters[index];
          if (!chapter) throw new CommandError('not_found', `No chapter ${index + 1}: this presentation has ${room.vehicle.chapters.length}.`);
          const variant = chapter.variant && room.vehicle.variants.some((v) => v.id === chapter.variant) ? chapter.variant : room.variant;
          const hotspot = chapter.hotspot && room.vehicle.hotspots.some((h) => h.id === chapter.hotspot) ? chapter.hotspot : null;
          return change(room, { chapter: index, variant, hotspot }, flyPose(room, chapter.pose));
        },
      },
      log,
    ),
    'variant:set': command(
      {
        role: 'host',
        schema: VariantSet,
        run: ({ room }, { id }) => {
          if (!room.vehicle.variants.some((v) => v.id === id)) throw new CommandError('not_found', `No variant "${id}" on this vehicle.`);
          return change(room, { variant: id });
        },
      },
      log,
    ),
    'hotspot:focus': command(
      { role: 'host', schema: HotspotFocus, run: ({ room }, { id }) => change(room, { hotspot: id }, flyPose(room, hotspotPose(hotspotOf(room, id)))) },
      log,
    ),
    'hotspot:blur': command({ role: 'host', schema: Empty, run: ({ room }) => change(room, { hotspot: null }) }, log),
    'hotspot:open': command(
      {
        role: 'viewer',
        schema: HotspotOpen,
        run: async ({ room, socket }, { id }) => {
          hotspotOf(room, id);
          const viewerId = socket.data.viewerId!;
          if (!(await limits.take(room, `hotspot:${viewerId}`, HOTSPOT_OPEN_LIMIT))) throw new CommandError('rate_limited', 'Too many hotspot opens; slow down.');
          await store.hotspotOpens.record(room.event.id, id, viewerId, new Date().toISOString());
        },
      },
      log,
    ),
    'cta:open': command({ role: 'host', schema: CtaOpen, run: ({ room }, { kind }) => change(room, { cta: kind }) }, log),
    'cta:close': command({ role: 'host', schema: Empty, run: ({ room }) => change(room, { cta: null }) }, log),
  };
}
