// uPlot wrapper. Today: grouped bars of the table totals per area (current / previous / last year).
// When the weekly-series endpoint arrives, a LineChart with the same props shape (labels + series)
// slots in next to it.
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
