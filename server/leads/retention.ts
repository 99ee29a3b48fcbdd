import type { Logger } from '../logger.js';
import type { RemovedLead, Store } from '../store/types.js';
import { RETENTION_SWEEP_INTERVAL_MS } from './limits.js';

/**
 * Personal data is not kept past its event's retention period: leads older than it are deleted
 * once at start and then every hour, whether or not anybody looks at them.
 */
export function startRetentionSweep(
  store: Store,
  log: Logger,
  /** Told of every lead deleted, so open dealer pages drop it at once. */
  onPurged: (lead: RemovedLead) => void,
  now: () => Date = () => new Date(),
): { sweep(): Promise<number>; stop(): void } {
  const sweep = async () => {
    try {
      const purged = await store.leads.purgeExpired(now());
      if (purged.length > 0) log.info({ purged: purged.length }, 'leads past their retention period deleted');
      purged.forEach(onPurged);
      return purged.length;
    } catch (err) {
      log.warn({ err }, 'retention sweep failed; will retry');
      return 0;
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), RETENTION_SWEEP_INTERVAL_MS);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
