/**
 * How a page's socket retries a lost connection (Socket.IO's Manager options). The first
 * attempt comes after 0.5–1.5 s, spread so that an audience that lost the same server does not
 * come back in one instant; then the wait doubles up to 2.5 s ± 50 %. A page cannot see the
 * far end of its path heal (a server restarted, a link in between back), so this cap is what
 * brings a viewer back to the current picture within 5 s of the recovery (issue 8); Socket.IO's
 * default cap, 5 s ± 50 %, could leave them 7.5 s on an old one.
 */
export const RECONNECTION = { reconnectionDelay: 1_000, reconnectionDelayMax: 2_500, randomizationFactor: 0.5 } as const;
