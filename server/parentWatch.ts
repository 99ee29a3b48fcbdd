/**
 * `npm start` runs the server under `sh -c`, and `kill <npm's pid>` (a process manager, a
 * container's stop) ends npm and the shell but leaves node running, orphaned, holding the port
 * (sh does not pass the signal on). So a server started by an npm script watches its parent:
 * once it has been re-parented, whoever started it is gone, and it stops as on SIGTERM (closing
 * the store and the sockets cleanly). Cheap: one `process.ppid` read a second, on an unref'd timer.
 */
export interface ParentWatchOptions {
  /** The current parent's pid (`process.ppid`, read anew on every call). */
  ppid?: () => number;
  everyMs?: number;
}

export function watchParent(onGone: () => void, o: ParentWatchOptions = {}): () => void {
  const ppid = o.ppid ?? (() => process.ppid);
  const first = ppid();
  const timer = setInterval(() => {
    if (ppid() === first) return;
    clearInterval(timer);
    onGone();
  }, o.everyMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Whether this process was started by an npm script (`npm start`, `npm run …`): npm sets this variable. */
export const startedByNpm = (env: NodeJS.ProcessEnv): boolean => Boolean(env.npm_lifecycle_event);
