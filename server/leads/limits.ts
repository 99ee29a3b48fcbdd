/** New leads per viewer: a person asks for a few things, a script for many. Resends are free. */
export const LEAD_RATE_LIMIT = { count: 10, perMs: 60_000 } as const;

/** How often expired leads are looked for (and once at start). */
export const RETENTION_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
