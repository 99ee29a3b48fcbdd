/**
 * Samples the server from /proc while a scenario runs: CPU per second, peak RSS, and where the
 * rest of the two cores went (load generators, everything else on the machine). The server is
 * its whole process tree, so a server that forks workers is measured as the sum of them.
 */
import { cpuSeconds, machineBusySeconds, processTree, treeCpuSeconds, treeRssMB, treeWriteSyscalls } from './procs.js';

export interface Sample {
  seconds: number;
  serverCpuSeconds: number; // over the window, all the server's processes
  serverCpuPct: number; // % of one core over the window
  serverCpuPerSecond: number[];
  serverWriteSyscalls: number; // over the window, all the server's processes (/proc/<pid>/io syscw)
  serverRssPeakMB: number; // the peak of the processes' summed RSS
  serverProcesses: number; // most processes seen in the server's tree
  loadgenCpuPct: number;
  otherCpuPct: number; // not the server, the load generators or this process
}

/** Starts sampling now; `sample()` reads the window since the start (and can be called again). */
export function startSampler(serverPid: number, loadgenPids: number[]): { sample: () => Sample; stop: () => void } {
  const loadgen = (): number => loadgenPids.reduce((s, pid) => s + (cpuSeconds(pid) || 0), 0);
  const cpu0 = treeCpuSeconds(serverPid);
  const writes0 = treeWriteSyscalls(serverPid);
  const load0 = loadgen();
  const machine0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  let rssPeak = treeRssMB(serverPid) || 0;
  let processes = processTree(serverPid).length;
  const perSecond: number[] = [];
  let lastCpu = cpu0;
  let tick = 0;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, treeRssMB(serverPid) || 0);
    if (++tick % 4 === 0) {
      const cpu = treeCpuSeconds(serverPid);
      perSecond.push(Math.round((cpu - lastCpu) * 100));
      lastCpu = cpu;
      processes = Math.max(processes, processTree(serverPid).length);
    }
  }, 250);
  timer.unref();
  const sample = (): Sample => {
    const seconds = (performance.now() - t0) / 1000;
    const server = treeCpuSeconds(serverPid) - cpu0;
    const load = loadgen() - load0;
    const self = process.cpuUsage(self0);
    const other = machineBusySeconds() - machine0 - server - load - (self.user + self.system) / 1e6;
    return {
      seconds,
      serverCpuSeconds: server,
      serverCpuPct: (server / seconds) * 100,
      serverCpuPerSecond: [...perSecond],
      serverWriteSyscalls: treeWriteSyscalls(serverPid) - writes0,
      serverRssPeakMB: rssPeak,
      serverProcesses: processes,
      loadgenCpuPct: (load / seconds) * 100,
      otherCpuPct: Math.max(0, (other / seconds) * 100),
    };
  };
  return { sample, stop: () => clearInterval(timer) };
}
