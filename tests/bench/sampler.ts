/**
 * Samples the server process from /proc while a scenario runs: CPU per second, peak RSS, and
 * where the rest of the two cores went (load generators, everything else on the machine).
 */
import { cpuSeconds, machineBusySeconds, rssMB } from './procs.js';

export interface Sample {
  seconds: number;
  serverCpuPct: number; // % of one core over the window
  serverCpuPerSecond: number[];
  serverRssPeakMB: number;
  loadgenCpuPct: number;
  otherCpuPct: number; // not the server, the load generators or this process
}

/** Starts sampling now; `sample()` reads the window since the start (and can be called again). */
export function startSampler(serverPid: number, loadgenPids: number[]): { sample: () => Sample; stop: () => void } {
  const loadgen = (): number => loadgenPids.reduce((s, pid) => s + (cpuSeconds(pid) || 0), 0);
  const cpu0 = cpuSeconds(serverPid);
  const load0 = loadgen();
  const machine0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  let rssPeak = rssMB(serverPid) || 0;
  const perSecond: number[] = [];
  let lastCpu = cpu0;
  let tick = 0;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssMB(serverPid) || 0);
    if (++tick % 4 === 0) {
      const cpu = cpuSeconds(serverPid);
      perSecond.push(Math.round((cpu - lastCpu) * 100));
      lastCpu = cpu;
    }
  }, 250);
  timer.unref();
  const sample = (): Sample => {
    const seconds = (performance.now() - t0) / 1000;
    const server = cpuSeconds(serverPid) - cpu0;
    const load = loadgen() - load0;
    const self = process.cpuUsage(self0);
    const other = machineBusySeconds() - machine0 - server - load - (self.user + self.system) / 1e6;
    return {
      seconds,
      serverCpuPct: (server / seconds) * 100,
      serverCpuPerSecond: [...perSecond],
      serverRssPeakMB: rssPeak,
      loadgenCpuPct: (load / seconds) * 100,
      otherCpuPct: Math.max(0, (other / seconds) * 100),
    };
  };
  return { sample, stop: () => clearInterval(timer) };
}
