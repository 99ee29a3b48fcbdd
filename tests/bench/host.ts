/**
 * The presenter: one host in the bench's main process, orbiting the car at POSE_HZ: a
 * socket.io-client socket (Vitrine, the socket.io floor) or a raw `ws` one (the ws floor). It does
 * little work, so it shares a process with the sampler without disturbing it.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import type { Pose } from '../../shared/presentation.js';
import { POSE_HZ, POSE_INTERVAL_MS } from '../../shared/protocol.js';
import { FINAL_POSITION } from './protocol.js';
import { clockMs } from './stats.js';

/** The presenter's socket.io socket, typed with the protocol's events. */
export type HostSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface OrbitResult {
  sent: number;
  /** Sending is scheduled against a fixed clock; this is how late the worst send was (ms). */
  maxLateMs: number;
}

/** What orbit() sends through: a socket.io host socket, or the ws floor's raw one (connectRawHost). */
export interface Presenter {
  emit(event: 'camera:set', pose: Pose): unknown;
  disconnect(): unknown;
}

export async function connectHost(url: string, code: string, key: string): Promise<HostSocket> {
  const socket: HostSocket = io(url, {
    auth: { code, role: 'host', key },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('host: no state within 15 s')), 15_000);
    socket.once('state', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`host: ${err.message}`));
    });
  });
  return socket;
}

/** The ws floor's presenter: each pose goes as its JSON text, which the floor relays as is. */
export async function connectRawHost(url: string): Promise<Presenter> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/?role=host`, { perMessageDeflate: false });
  await Promise.race([once(ws, 'open'), sleep(15_000).then(() => Promise.reject(new Error('host: not connected within 15 s')))]);
  return { emit: (_event, pose) => ws.send(JSON.stringify(pose)), disconnect: () => ws.close() };
}

/** A pose on a circle around the car, at eye height; `t` stamped at the moment of sending. */
function orbitPose(i: number): Pose {
  const angle = (i / POSE_HZ) * ((2 * Math.PI) / 8); // one full turn every 8 s
  const position: Pose['position'] = [5.5 * Math.cos(angle), 1.6, 5.5 * Math.sin(angle)];
  return { position, target: [0, 0.6, 0], fov: 40, t: clockMs() };
}

/**
 * Sends `seconds × POSE_HZ` poses. Each send is due at start + i × interval (not "interval after
 * the previous one"), so a late tick does not push every later one back.
 */
export async function orbit(socket: Presenter, seconds: number): Promise<OrbitResult> {
  const count = Math.round(seconds * POSE_HZ);
  const start = performance.now();
  let maxLateMs = 0;
  for (let i = 0; i < count; i++) {
    const due = start + i * POSE_INTERVAL_MS;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    maxLateMs = Math.max(maxLateMs, performance.now() - due);
    socket.emit('camera:set', orbitPose(i));
  }
  await sleep(Math.max(0, start + count * POSE_INTERVAL_MS - performance.now()));
  return { sent: count, maxLateMs };
}

/** The one pose every viewer must end up with, latest-wins or not. Returns its `t`. */
export function sendFinal(socket: Presenter): number {
  const t = clockMs();
  socket.emit('camera:set', { position: [...FINAL_POSITION], target: [0, 0.6, 0], fov: 40, t });
  return t;
}
