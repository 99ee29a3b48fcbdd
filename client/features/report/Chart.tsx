import { lazy, Suspense } from 'react';
import type { TimelineChartProps } from './TimelineChart.js';

const TimelineChart = lazy(() => import('./TimelineChart.js'));

/**
 * A titled per-minute chart. The drawing (uPlot) loads on first use; until then a quiet box
 * of the same height holds its place, so nothing below it jumps.
 */
export function Chart({ title, figure, ...chart }: TimelineChartProps & { title: string; figure: string }) {
  return (
    <figure className={`chart chart-${chart.tone}`}>
      <figcaption className="chart-head">
        <span className="chart-title">
          <span className="chart-key" aria-hidden="true" />
          {title}
        </span>
        <span className="chart-figure">{figure}</span>
      </figcaption>
      <Suspense fallback={<div className="chart-placeholder" style={{ height: chart.height }} />}>
        <TimelineChart {...chart} />
      </Suspense>
    </figure>
  );
}
