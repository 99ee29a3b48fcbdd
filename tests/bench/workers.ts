/**
 * What both scenarios need to drive load-generator processes over IPC, and to wait for this
 * shared 2-core machine to be quiet before measuring.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineBusySeconds, track } from './procs.js';
import { ROOT } from './server.js';

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** Forks a load generator (a .ts file in tests/bench/), tracked so that killAll() ends it. */
export function forkWorker(file: string): ChildProcess {
  return track(fork(path.join(ROOT, 'tests/bench', file), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
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
