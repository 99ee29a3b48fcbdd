import { useCallback, useEffect, useState } from 'react';
import type { EventReport } from '../../../shared/report.js';
import { ApiError, eventReport } from '../../net/api.js';

export interface ReportState {
  report: EventReport | null;
  /** The last attempt failed: 'denied' (the key), 'network' (anything else; the last report stays). */
  failure: 'denied' | 'network' | null;
  /** When the shown report arrived (ms). */
  receivedAt: number | null;
  reload: () => void;
}

/**
 * The event's report, fetched with the host key (null: nothing is asked); again every `everyMs` while the page is
 * visible (the live dashboard), or only on `reload()` (null). One request at a time: the next
 * one is timed from the end of the last, so a slow server is never asked twice at once.
 */
export function useReport(eventId: string, key: string | null, everyMs: number | null): ReportState {
  const [report, setReport] = useState<EventReport | null>(null);
  const [failure, setFailure] = useState<ReportState['failure']>(null);
  const [receivedAt, setReceivedAt] = useState<number | null>(null);
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);

  useEffect(() => {
    if (!key) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let busy = false;
    const schedule = () => {
      if (live && everyMs !== null && document.visibilityState === 'visible') timer = setTimeout(load, everyMs);
    };
    const load = () => {
      if (busy) return;
      busy = true;
      eventReport(eventId, key).then(
        (r) => {
          if (!live) return;
          setReport(r);
          setFailure(null);
          setReceivedAt(Date.now());
        },
        (err: unknown) => live && setFailure(err instanceof ApiError && [401, 403, 404].includes(err.status) ? 'denied' : 'network'),
      ).finally(() => {
        busy = false;
        schedule();
      });
    };
    // A hidden tab asks nothing; coming back asks at once.
    const onVisibility = () => {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') load();
    };
    load();
    if (everyMs !== null) document.addEventListener('visibilitychange', onVisibility);
    return () => {
      live = false;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [eventId, key, everyMs, round]);

  return { report, failure, receivedAt, reload };
}
