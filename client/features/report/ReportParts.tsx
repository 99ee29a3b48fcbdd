import { useMemo, type ReactNode } from 'react';
import type { EventReport } from '../../../shared/report.js';
import { formatNumber, formatTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { Chart } from './Chart.js';
import type { SeriesTone } from './chartPalette.js';
import { durationParts, formatRate, leadTypeRows, timelineColumns, type TimelineColumns } from './report.view.js';

/** The pieces the report page and the live dashboard share. */

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** "3 min 05 s", "1 h 12": a duration in the page's language. */
export function formatDuration(seconds: number, t: T): string {
  const { key, vars } = durationParts(seconds);
  return t(key, vars);
}

/** One figure: the number large, what it counts below, an optional detail. */
export function Stat({ value, label, detail, testId, big = false }: { value: ReactNode; label: string; detail?: ReactNode; testId?: string; big?: boolean }) {
  return (
    <div className={big ? 'figure figure-big' : 'figure'}>
      <span className="figure-value" data-testid={testId}>{value}</span>
      <span className="figure-label">{label}</span>
      {detail ? <span className="figure-detail">{detail}</span> : null}
    </div>
  );
}

/** Leads by type as horizontal bars: four categories read better as text and bars than as a plot. */
export function LeadTypeBars({ byType }: { byType: EventReport['leads']['byType'] }) {
  const { t, locale } = useI18n();
  const rows = leadTypeRows(byType);
  return (
    <ul className="type-bars" data-testid="leads-by-type">
      {rows.map((r) => (
        <li key={r.type} className="type-bar">
          <span className="type-bar-name">{t(`dealer.type.${r.type}`)}</span>
          <span className="type-bar-track" aria-hidden="true">
            <span className="type-bar-fill" style={{ width: `${Math.round(r.share * 100)}%` }} />
          </span>
          <span className="type-bar-n">
            {formatNumber(r.count, locale)}
            {r.count > 0 ? <span className="type-bar-share"> · {formatRate(r.share, locale)}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

type Metric = 'viewers' | 'joins' | 'reactions' | 'questions' | 'votes' | 'leads';

const TONE: Record<Metric, SeriesTone> = { viewers: 'accent', joins: 'accent', reactions: 'reactions', questions: 'questions', votes: 'questions', leads: 'leads' };

/** The per-minute charts of `metrics`, in that order; viewers as an area, counts as bars. */
export function TimelineCharts({ timeline, metrics, height }: { timeline: EventReport['timeline']; metrics: Metric[]; height: number }) {
  const { t, locale } = useI18n();
  const columns = useMemo(() => timelineColumns(timeline), [timeline]);
  if (columns.times.length === 0) return <p className="muted report-empty">{t('report.noTimeline')}</p>;
  const first = columns.times[0]!;
  const last = columns.times[columns.times.length - 1]!;
  const time = (s: number) => formatTime(new Date(s * 1000).toISOString(), locale);
  return (
    <div className="charts">
      {metrics.map((metric) => {
        const values = columns[metric as keyof Omit<TimelineColumns, 'times'>];
        const max = Math.max(0, ...values);
        const total = values.reduce((a, b) => a + b, 0);
        const title = t(`report.chart.${metric}`);
        const figure = metric === 'viewers' ? t('report.chart.max', { n: formatNumber(max, locale) }) : t('report.chart.total', { n: formatNumber(total, locale) });
        return (
          <Chart
            key={metric}
            title={title}
            figure={figure}
            times={columns.times}
            values={values}
            tone={TONE[metric]}
            kind={metric === 'viewers' ? 'area' : 'bars'}
            height={height}
            unit={(n) => t(`report.unit.${metric}`, { n })}
            summary={t(metric === 'viewers' ? 'report.chart.summaryLevel' : 'report.chart.summary', { title, from: time(first), to: time(last), max: formatNumber(max, locale), total: formatNumber(total, locale) })}
          />
        );
      })}
    </div>
  );
}
