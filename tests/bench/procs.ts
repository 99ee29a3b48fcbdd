/**
 * Child processes of the bench, and what /proc says about them.
 *
 * Every child is tracked here so that one call kills them all: on success, on error, on a
 * timeout, on Ctrl-C. Load generators also exit by themselves when their IPC channel closes.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

const children = new Set<ChildProcess>();

/**
 * CPU affinity for the fan-out: the server alone on `server` (a taskset list, e.g. "0"), the
 * load generators and this process (the host, the sampler) on `rest`. PERFORMANCE.md's floor was
 * measured so; without it, on two cores the load generators preempt the server and latency
 * measures the scheduler as much as the server. Null: the scheduler places everything.
 */
let pinning: { server: string; rest: string } | null = null;

/** Pins from now on (this process at once, the children as they start); null undoes it. */
export function pin(cpus: { server: string; rest: string } | null): void {
  if (!cpus && !pinning) return;
  pinning = cpus;
  execFileSync('taskset', ['-a', '-p', '-c', cpus ? cpus.rest : `0-${os.cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
}

/** How to start `file` with `args` for `role`: through taskset when pinning (it execs, so the pid stays the program's). */
export function pinnedCommand(role: 'server' | 'rest', file: string, args: string[]): { file: string; args: string[] } {
  return pinning ? { file: 'taskset', args: ['-c', pinning[role], file, ...args] } : { file, args };
}

export function track<C extends ChildProcess>(child: C): C {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Ends one child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Synchronous on purpose: it also runs from process.on('exit'), where nothing async happens. */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on nearly every Linux). */
export const CLK_TCK = ((): number => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** user + system CPU seconds the process has used so far (all its threads), or NaN if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields from the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // fields 14 utime, 15 stime
  } catch {
    return NaN;
  }
}

/**
 * Write system calls the process has made so far (`syscw` of /proc/<pid>/io: write, writev,
 * sendmsg…), or NaN if it is gone. Per delivered pose it tells one write a frame from a writer
 * that queued several frames and handed them to the kernel together.
 */
export function writeSyscalls(pid: number): number {
  try {
    const match = /^syscw:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Resident set size in MB, or NaN if the process is gone. */
export function rssMB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * `pid` and every process it started, recursively: a server that forks workers (WORKERS=n) is
 * measured as the sum of its processes. Read from /proc/<pid>/task/<tid>/children. tsx's esbuild
 * service is left out: it is the loader's, only there when tsx's transpile cache was cold, and
 * would make the figures depend on that.
 */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${pids[i]}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const tid of tasks) {
      try {
        for (const child of fs.readFileSync(`/proc/${pids[i]}/task/${tid}/children`, 'utf8').split(' ')) {
          if (child.trim() && fs.readFileSync(`/proc/${child}/comm`, 'utf8').trim() !== 'esbuild') pids.push(Number(child));
        }
      } catch {
        // the thread or the child ended meanwhile
      }
    }
  }
  return pids;
}

/**
 * `read` summed over `pid` and its descendants still alive (one that exits drops out of the sum),
 * NaN if `pid` itself is gone.
 */
function treeSum(pid: number, read: (pid: number) => number): number {
  const [root, ...rest] = processTree(pid).map(read);
  return rest.reduce((s, x) => s + (x || 0), root!);
}

/** CPU seconds of `pid` and its descendants. */
export const treeCpuSeconds = (pid: number): number => treeSum(pid, cpuSeconds);
/** Write system calls of `pid` and its descendants. */
export const treeWriteSyscalls = (pid: number): number => treeSum(pid, writeSyscalls);
/** RSS of `pid` and its descendants, MB (cluster workers are fresh processes: little is shared). */
export const treeRssMB = (pid: number): number => treeSum(pid, rssMB);

/** This process's soft limit on open files (children inherit it): every socket takes one. */
export function openFilesLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  return !match || match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

/** CPU seconds the whole machine has spent busy (all cores, everything but idle and iowait). */
export function machineBusySeconds(): number {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!; // "cpu  user nice system idle iowait irq softirq steal …"
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return (v.reduce((a, b) => a + b, 0) - v[3]! - v[4]!) / CLK_TCK;
  } catch {
    return NaN;
  }
}
