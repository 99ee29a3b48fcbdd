/**
 * Imported into the server process by the soak (`npm run soak`, soak.ts) and by nothing else:
 * answers on the process's IPC channel, which only the parent that spawned it holds, so nothing
 * of this reaches the network. It reports the heap and the process's live handles and timers
 * (`process.getActiveResourcesInfo()`), and runs a full GC first when asked (the server runs
 * with --expose-gc). The server's own code does not know it is there.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';

export interface ProbeRequest {
  soakProbe: number;
  /** Collect garbage (several full GCs, a pause between) before measuring. */
  gc: boolean;
  /** Also write a heap snapshot to this file (`npm run soak -- --heap-snapshots DIR`: what the heap holds at the baseline and at the end). */
  snapshot?: string;
}

export interface ProbeAnswer {
  soakProbe: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  rssMB: number;
  /** Live resources by type: `Timeout`, `TCPSocketWrap`, `Immediate`, `FSReqCallback`… */
  resources: Record<string, number>;
}

const MB = 1024 * 1024;

process.on('message', (m: unknown) => {
  const request = m as Partial<ProbeRequest> | null;
  if (typeof request?.soakProbe !== 'number') return;
  void answer(request as ProbeRequest);
});

async function answer(request: ProbeRequest): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (request.gc && gc) {
    // Weak maps and finalizers let go over more than one cycle: collect, yield, collect again.
    for (let i = 0; i < 4; i++) {
      gc();
      await sleep(100);
    }
  }
  if (request.snapshot) v8.writeHeapSnapshot(request.snapshot);
  const memory = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  const reply: ProbeAnswer = { soakProbe: request.soakProbe, heapUsedMB: memory.heapUsed / MB, heapTotalMB: memory.heapTotal / MB, externalMB: memory.external / MB, rssMB: memory.rss / MB, resources };
  process.send?.(reply);
}
