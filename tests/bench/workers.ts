/**
 * What every scenario needs to drive load-generator processes over IPC, and to wait for this
 * shared 2-core machine to be quiet before measuring.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectedMessage } from './protocol.js';
import { machineBusySeconds, pinnedCommand, stop, track } from './procs.js';
import { ROOT, type BenchServer } from './server.js';

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** Load generator `w`'s share of `total` among `k` (the first ones take the remainder). */
export const share = (total: number, k: number, w: number): number => Math.floor(total / k) + (w < total % k ? 1 : 0);

/** Forks a load generator (a .ts file in tests/bench/), tracked so that killAll() ends it. */
export function forkWorker(file: string): ChildProcess {
  const command = pinnedCommand('rest', process.execPath, ['--import', 'tsx']); // fork() runs `execPath ...execArgv file`
  return track(fork(path.join(ROOT, 'tests/bench', file), [], { execPath: command.file, execArgv: command.args, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

export const tell = <M>(child: ChildProcess, m: M): void => void child.send(m as object);

/** The first message of `type` from a worker; rejects if the worker dies or takes too long. */
export function reply<M extends { type: string }, T extends M['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`load generator: no "${type}" within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (m: M): void => {
      if (m.type === type) done(null, m as Extract<M, { type: T }>);
    };
    const onExit = (code: number | null): void => done(new Error(`load generator exited (${code}) while waiting for "${type}"`));
    function done(err: Error | null, m?: Extract<M, { type: T }>): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * This is a shared 2-core machine: a browser test elsewhere can take a whole core and double
 * every figure. Before each run, wait (at most `maxWaitMs`) until the rest of the machine is
 * nearly idle.
 */
export async function waitForQuiet(maxWaitMs: number): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  let quietSeconds = 0;
  for (let said = false; quietSeconds < 3; ) {
    const before = machineBusySeconds();
    await sleep(1000);
    const busy = machineBusySeconds() - before; // cores busy over that second (we are idle now)
    quietSeconds = busy > 0.3 ? 0 : quietSeconds + 1; // bursty neighbours: ask for 3 quiet seconds in a row
    if (quietSeconds > 0) continue;
    if (Date.now() > deadline) return console.warn(`  machine still busy (${Math.round(busy * 100)}% of a core elsewhere): measuring anyway`);
    if (!said) console.log(`  machine busy (${Math.round(busy * 100)}% of a core elsewhere): waiting up to ${maxWaitMs / 1000} s for it to quiet down…`);
    said = true;
  }
}

export interface Joined {
  connected: number;
  failed: number;
  firstError: string | null;
  /** The slowest load generator's ramp-up, s. */
  seconds: number;
}

/**
 * Forks `k` load generators (`file`) into `into`, so that the caller's cleanup ends them even if
 * joining fails, sends load generator `w` the message `connect(w)`, and waits until all have joined.
 */
export async function connectWorkers(into: ChildProcess[], file: string, k: number, timeoutMs: number, connect: (w: number) => object): Promise<Joined> {
  for (let w = 0; w < k; w++) into.push(forkWorker(file));
  const connecting = into.map((child) => reply<ConnectedMessage, 'connected'>(child, 'connected', timeoutMs));
  into.forEach((child, w) => tell(child, connect(w)));
  const joined = await Promise.all(connecting);
  return {
    connected: sum(joined.map((j) => j.connected)),
    failed: sum(joined.map((j) => j.failed)),
    firstError: joined.find((j) => j.firstError)?.firstError ?? null,
    seconds: Math.max(...joined.map((j) => j.ms)) / 1000,
  };
}

/** The end of every run, whatever happened: load generators first, then the server and its DATA_DIR. */
export async function shutdown(workers: ChildProcess[], server: BenchServer): Promise<void> {
  for (const child of workers) child.disconnect(); // they exit when the channel closes…
  await Promise.all(workers.map((child) => stop(child, 2000))); // …or are made to
  await server.close();
}
