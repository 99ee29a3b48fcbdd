import { useEffect, useState } from 'react';
import { splitDuration } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';

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
