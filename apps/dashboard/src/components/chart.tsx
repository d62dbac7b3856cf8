import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

const COLORS = [
  '#1971c2',
  '#e8590c',
  '#2f9e44',
  '#9c36b5',
  '#f08c00',
  '#0c8599',
  '#c2255c',
  '#5c940d',
];

/** A time-series line chart (uPlot): x in seconds since the epoch, one line per series. */
export function LineChart({
  times,
  series,
  height = 220,
  label,
}: {
  times: number[];
  series: Array<{ name: string; values: number[] }>;
  height?: number;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.name).join('\u0000');

  useEffect(() => {
    if (!box.current) return;
    const width = box.current.clientWidth || 600;
    plot.current = new uPlot(
      {
        width,
        height,
        series: [
          {},
          ...series.map((s, i) => ({ label: s.name, stroke: COLORS[i % COLORS.length], width: 2 })),
        ],
        axes: [{}, { label }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      },
      [times, ...series.map((s) => s.values)],
      box.current,
    );
    const resize = () =>
      plot.current?.setSize({ width: box.current?.clientWidth ?? width, height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, height, label]);

  useEffect(() => {
    plot.current?.setData([times, ...series.map((s) => s.values)]);
  }, [times, series]);

  return <div ref={box} class="chart" role="img" aria-label={label} />;
}

/** A small line of a consumer's recent lag. */
export function Sparkline({ points }: { points: Array<{ at: number; lag: number }> }) {
  if (points.length < 2) return <span class="muted">—</span>;
  const w = 120;
  const h = 24;
  const max = Math.max(1, ...points.map((p) => p.lag));
  const t0 = points[0].at;
  const span = Math.max(1, points[points.length - 1].at - t0);
  const d = points
    .map((p, i) => `${i ? 'L' : 'M'}${((p.at - t0) / span) * w},${h - (p.lag / max) * (h - 2) - 1}`)
    .join(' ');
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true" class="sparkline">
      <path d={d} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
