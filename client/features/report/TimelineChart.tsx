import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Locale } from '../../../shared/event.js';
import { formatNumber, formatTime } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { useAppliedBrand } from '../brand/useBrandTheme.js';
import { chartPalette, PAPER, type ChartPalette, type SeriesTone } from './chartPalette.js';
import { countRange, timeRange } from './report.view.js';

/**
 * One per-minute series drawn with uPlot (a small, well-kept canvas chart library). This module
 * is the only one that imports uPlot, and it is loaded lazily (`Chart.tsx`): no page pays for
 * the library before it shows a chart.
 */
export interface TimelineChartProps {
  /** Minutes, Unix seconds. */
  times: number[];
  values: number[];
  tone: SeriesTone;
  /** An area for a level (viewers), bars for counts per minute. */
  kind: 'area' | 'bars';
  height: number;
  /** What the chart says, for screen readers (the canvas itself says nothing). */
  summary: string;
  /** The value's unit beside the hovered minute: "12 réactions". */
  unit: (n: number) => string;
}

/**
 * The plot's width on paper: A4 less the page margins (182 mm = 688 CSS px at 96 dpi), less the
 * chart card's padding and border. `.chart-plot` in report.css's print rules gets the same.
 */
export const PRINT_PLOT_WIDTH_PX = 650;

const FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
/** Whole numbers only on a count axis: never "0,5 question". */
const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];
/** Time ticks on whole minutes, then on round quarters and hours. */
const TIME_INCRS = [60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200];

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** The palette now: on paper while printing, else on the page's card (the brand's colours). */
function currentPalette(printing: boolean): ChartPalette {
  const accent = cssVar('--accent');
  if (printing) return chartPalette(accent, PAPER.background, 'light', PAPER.muted);
  const tone = document.documentElement.dataset.brandTone === 'light' ? 'light' : 'dark';
  return chartPalette(accent, cssVar('--card') || '#161a22', tone, cssVar('--muted') || '#9aa3b2');
}

function options(p: TimelineChartProps, palette: ChartPalette, width: number, locale: Locale, onHover: (idx: number | null) => void): uPlot.Options {
  const colour = palette.series[p.tone];
  const axis = { stroke: palette.axis, font: FONT, grid: { stroke: palette.grid, width: 1 }, ticks: { show: false } };
  return {
    width,
    height: p.height,
    legend: { show: false },
    // Room on the right for the last time label, centred on its tick.
    padding: [10, 20, 0, 0],
    cursor: { y: false, drag: { x: false, y: false, setScale: false }, points: { size: 8, fill: colour } },
    scales: {
      // From the data, not the proposed min/max: for a single minute uPlot proposes a whole day.
      x: { time: true, range: (u, min, max) => (u.data[0].length ? timeRange(u.data[0][0]!, u.data[0][u.data[0].length - 1]!) : [min, max]) },
      y: { range: (_u, _min, max) => countRange(max) },
    },
    axes: [
      { ...axis, size: 28, space: 64, incrs: TIME_INCRS, values: (_u, splits) => splits.map((s) => formatTime(new Date(s * 1000).toISOString(), locale)) },
      { ...axis, size: 44, space: 28, incrs: COUNT_INCRS, values: (_u, splits) => splits.map((v) => formatNumber(v, locale)) },
    ],
    series: [
      {},
      p.kind === 'area'
        ? // A single minute is a dot: a line needs two.
          { stroke: colour, width: 2, fill: `${colour}33`, points: { show: (u) => u.data[0].length < 2, size: 7, fill: colour } }
        : { stroke: colour, fill: colour, width: 0, points: { show: false }, paths: uPlot.paths.bars!({ size: [0.72, 24, 2], radius: 0.2 }) },
    ],
    hooks: { setCursor: [(u) => onHover(u.cursor.idx ?? null)] },
  };
}

export default function TimelineChart(props: TimelineChartProps) {
  const { locale } = useI18n();
  const brand = useAppliedBrand();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const { times, values, tone, kind, height, summary, unit } = props;
  const data = useMemo<uPlot.AlignedData>(() => [times, values], [times, values]);
  const latest = useRef({ props, data });
  useEffect(() => {
    latest.current = { props, data };
  });

  // Built imperatively, and again for paper: `beforeprint` must redraw before the browser lays
  // the page out for printing, which a React render scheduled from it would be too late for.
  useEffect(() => {
    const el = box.current!;
    const print = window.matchMedia('print');
    let printing = print.matches;
    const build = () => {
      plot.current?.destroy();
      plot.current = null;
      const width = printing ? PRINT_PLOT_WIDTH_PX : el.clientWidth;
      if (width <= 0) return;
      plot.current = new uPlot(options(latest.current.props, currentPalette(printing), width, locale, setHovered), latest.current.data, el);
    };
    build();
    const resized = new ResizeObserver(() => {
      if (printing) return;
      if (!plot.current) build();
      else if (plot.current.width !== el.clientWidth) plot.current.setSize({ width: el.clientWidth, height: plot.current.height });
    });
    resized.observe(el);
    const onPrint = () => {
      printing = true;
      build();
    };
    const onScreen = () => {
      printing = false;
      build();
    };
    const onMedia = (e: MediaQueryListEvent) => (e.matches ? onPrint() : onScreen());
    window.addEventListener('beforeprint', onPrint);
    window.addEventListener('afterprint', onScreen);
    print.addEventListener('change', onMedia);
    return () => {
      resized.disconnect();
      window.removeEventListener('beforeprint', onPrint);
      window.removeEventListener('afterprint', onScreen);
      print.removeEventListener('change', onMedia);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [tone, kind, height, locale, brand]);

  // New minutes (the dashboard's polling) update the drawing in place.
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const at = hovered !== null && times[hovered] !== undefined ? hovered : null;
  return (
    <div className="chart-body">
      {at !== null ? (
        <p className="chart-readout" aria-hidden="true">
          {formatTime(new Date(times[at]! * 1000).toISOString(), locale)} · {unit(values[at] ?? 0)}
        </p>
      ) : null}
      <div ref={box} className="chart-plot" role="img" aria-label={summary} style={{ height }} data-testid="chart" />
    </div>
  );
}
