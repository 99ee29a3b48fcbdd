/** Bumped whenever a payload changes incompatibly; sent in `state` so clients can tell. */
export const PROTOCOL_VERSION = 1;

/** The presenter's camera is sent at most this often (and only while it moves). */
export const POSE_HZ = 20;
export const POSE_INTERVAL_MS = 1000 / POSE_HZ;

/** Largest Socket.IO packet the protocol needs (a lead with a 2 000-char message fits easily). */
export const MAX_SOCKET_PAYLOAD_BYTES = 16 * 1024;
