/**
 * Node's own flags the server runs with: `npm start` passes them (package.json), the cluster's
 * workers inherit them (Node's `cluster` forks with the primary's `execArgv`), and the benchmark
 * starts the server with them (tests/bench/server.ts). `nodeFlags.test.ts` keeps package.json
 * in step with this list.
 *
 * - `--no-allocation-site-pretenuring`: V8 learns, per allocation site, that the objects it
 *   makes tend to live long, and from then on allocates them straight in the old generation.
 *   A launch starts with hundreds of viewers joining at once, all staying: the sites that make a
 *   connection (its TCP socket, streams, Engine.IO and Socket.IO objects) are learned as
 *   long-lived, and every later connection's objects go to the old generation, including those
 *   of a connection that lasts 50 ms (a phone retrying, a refused handshake, an attacker's
 *   probe). Only a full mark-compact frees them. Under the fuzz bench's connection churn that was
 *   1.8 MB a second into the old generation and a full collection every ~5 s, each stalling the
 *   event loop 5–24 ms in front of poses and acks; without pretenuring, 0.55 MB a second and a
 *   third fewer collections (docs/benchmarks.md, Fuzz). What it costs the live path is within
 *   the noise: pose p99 and CPU per delivered pose at 540, 1,000, 3,000 and 10,000 viewers,
 *   interleaved runs with and without.
 */
export const NODE_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];
