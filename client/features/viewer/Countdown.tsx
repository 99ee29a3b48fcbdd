import { useEffect, useState } from 'react';
import { splitDuration } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';

/** Past this much after its start date, a launch that has not started is late, not about to start. */
export const LATE_AFTER_MS = 15 * 60_000;
/** setTimeout's longest delay (about 24.8 days); a later instant is waited for in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Whether the instant `at` (epoch ms) has passed; re-renders once when it does. */
export function useReached(at: number): boolean {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const left = at - Date.now();
    if (!Number.isFinite(left)) return;
    if (left <= 0) return void (now < at && setNow(Date.now()));
    const timer = setTimeout(() => setNow(Date.now()), Math.min(left, MAX_TIMEOUT_MS));
    return () => clearTimeout(timer);
  }, [at, now]);
  return now >= at;
}

export function Countdown({ to }: { to: string }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = new Date(to).getTime() - now;
  if (left <= 0) return <p className="lead">{t('viewer.startsSoon')}</p>;
  const d = splitDuration(left);
  const parts: [number, string][] = [
    ...(d.days > 0 ? [[d.days, t('countdown.days')] as [number, string]] : []),
    [d.hours, t('countdown.hours')],
    [d.minutes, t('countdown.minutes')],
    [d.seconds, t('countdown.seconds')],
  ];
  return (
    <div className="countdown" role="timer" aria-label={t('viewer.startsIn')}>
      {parts.map(([n, unit]) => (
        <div className="countdown-cell" key={unit}>
          <span className="countdown-n">{String(n).padStart(2, '0')}</span>
          <span className="countdown-unit">{unit}</span>
        </div>
      ))}
    </div>
  );
}
