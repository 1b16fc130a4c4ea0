// uPlot wrappers: grouped bars of the table totals per area (current / previous / last year) and
// the weekly line chart (this year, last year dashed, the baseline band for the last week).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: number[];
  color: string;
}

export function BarChart({ labels, series, label, height = 260 }: { labels: string[]; series: Series[]; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = el.current;
    if (!node || !labels.length) return;
    const n = series.length;
    const gap = 0.8 / n;
    const xs = labels.map((_, i) => i);
    const data: uPlot.AlignedData = [xs, ...series.map((s) => s.values)];
    const bars = uPlot.paths.bars!;
    const opts: uPlot.Options = {
      width: Math.max(300, node.clientWidth),
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.6, labels.length - 0.4] } },
      axes: [
        {
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? labels[v] ?? '' : '')),
          splits: () => xs,
          rotate: labels.length > 6 ? -40 : 0,
          size: labels.length > 6 ? 90 : 40,
          stroke: '#1a1a1a',
          font: '12px system-ui, sans-serif',
          grid: { show: false },
        } as uPlot.Axis,
        { stroke: '#1a1a1a', font: '12px system-ui, sans-serif', grid: { stroke: '#e0e0e0' } },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          fill: s.color,
          stroke: s.color,
          width: 0,
          // grouped bars: series i sits at x − 0.4 + i·gap, gap wide (values in x-scale units)
          paths: bars({
            disp: {
              x0: { unit: 1, values: () => xs.map((x) => x - 0.4 + gap * i) },
              size: { unit: 1, values: () => [gap * 0.9] },
            },
          } as uPlot.Series.BarsPathBuilderOpts),
          points: { show: false },
        })),
      ],
    };
    const plot = new uPlot(opts, data, node);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(300, node.clientWidth), height }));
    ro.observe(node);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [labels.join('|'), JSON.stringify(series), height]);
  return (
    <figure class="chart">
      <div ref={el} role="img" aria-label={label} />
      <figcaption class="legend-row">
        {series.map((s) => (
          <span key={s.label} class="legend-item">
            <span class={`swatch swatch-${s.color.replace('#', '')}`} aria-hidden="true" />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export interface LineSeries extends Omit<Series, 'values'> {
  values: (number | null)[];
  dash?: number[];
  width?: number;
}

/**
 * Weekly lines. `band` draws the normal interval (lower–upper) as a shaded box at the last x,
 * with a tick at the mean: the baseline the last week is judged against.
 */
export function LineChart({
  labels,
  series,
  label,
  band,
  bandLabel,
  height = 260,
}: {
  labels: string[];
  series: LineSeries[];
  label: string;
  band?: { lower: number; upper: number; mean: number } | null;
  bandLabel?: string;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = el.current;
    if (!node || !labels.length) return;
    const xs = labels.map((_, i) => i);
    const data: uPlot.AlignedData = [xs, ...series.map((s) => s.values)];
    const last = xs.length - 1;
    const every = labels.length > 26 ? 4 : labels.length > 12 ? 2 : 1;
    const drawBand = (u: uPlot) => {
      if (!band) return;
      const ctx = u.ctx;
      const x0 = u.valToPos(last - 0.45, 'x', true);
      const x1 = u.valToPos(last + 0.45, 'x', true);
      const y0 = u.valToPos(band.upper, 'y', true);
      const y1 = u.valToPos(Math.max(0, band.lower), 'y', true);
      const ym = u.valToPos(band.mean, 'y', true);
      ctx.save();
      ctx.fillStyle = 'rgba(30, 107, 50, 0.18)';
      ctx.strokeStyle = '#1e6b32';
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
      ctx.beginPath();
      ctx.moveTo(x0, ym);
      ctx.lineTo(x1, ym);
      ctx.stroke();
      ctx.restore();
    };
    const maxY = Math.max(1, band?.upper ?? 0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
    const opts: uPlot.Options = {
      width: Math.max(280, node.clientWidth),
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, last + 0.6] }, y: { range: [0, Math.ceil(maxY * 1.08)] } },
      axes: [
        {
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) && (last - v) % every === 0 ? labels[v] ?? '' : '')),
          splits: () => xs,
          stroke: '#1a1a1a',
          font: '12px system-ui, sans-serif',
          grid: { show: false },
          ticks: { show: false },
        } as uPlot.Axis,
        { stroke: '#1a1a1a', font: '12px system-ui, sans-serif', grid: { stroke: '#e0e0e0' } },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 2,
          dash: s.dash,
          spanGaps: false,
          points: { show: false },
        })),
      ],
      hooks: { draw: [drawBand] },
    };
    const plot = new uPlot(opts, data, node);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(280, node.clientWidth), height }));
    ro.observe(node);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [labels.join('|'), JSON.stringify(series), JSON.stringify(band), height]);
  return (
    <figure class="chart">
      <div ref={el} role="img" aria-label={label} data-testid="series-chart" />
      <figcaption class="legend-row">
        {series.map((s) => (
          <span key={s.label} class="legend-item">
            <span class={`line-swatch line-${s.color.replace('#', '')}${s.dash ? ' dashed' : ''}`} aria-hidden="true" />
            {s.label}
          </span>
        ))}
        {band && bandLabel && (
          <span class="legend-item">
            <span class="swatch swatch-band" aria-hidden="true" />
            {bandLabel}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
