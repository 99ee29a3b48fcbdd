import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, Role, ServerToClientEvents } from '../../shared/events.js';

/** Serialisable (it may cross processes through an adapter): ids only, no objects. */
export interface SocketData {
  eventId: string;
  role: Role;
  viewerId: string | null;
  name: string | null;
  /** A replay page's socket: it may send leads (tagged `replay`), nothing else, and is no viewer of the live event. */
  replay: boolean;
}

export type VitrineServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type VitrineSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
