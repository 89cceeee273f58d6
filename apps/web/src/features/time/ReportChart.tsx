import 'uplot/dist/uPlot.min.css';
import type { TTimeReportRow } from '@clockpilot/contracts/time';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { t } from '../../app/i18n';

const HEIGHT = 280;
const short = (s: string, n = 14) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Hours worked and billable per row: bars for people, projects and activities, lines for days and
 * weeks. A picture only; the table beside it carries the same figures for screen readers.
 */
export default function ReportChart({ rows, kind }: { rows: TTimeReportRow[]; kind: 'bar' | 'line' }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el || rows.length === 0) return;
    const xs = rows.map((_, i) => i);
    const data: uPlot.AlignedData = [
      xs,
      rows.map((r) => Math.round((r.roundedSeconds / 3600) * 100) / 100),
      rows.map((r) => Math.round((r.billableSeconds / 3600) * 100) / 100),
    ];
    const every = Math.max(1, Math.ceil(rows.length / Math.max(1, Math.floor((el.clientWidth || 600) / 70))));
    const bar = kind === 'bar';
    const bars = uPlot.paths.bars;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: HEIGHT,
      scales: {
        x: { time: false, range: [-0.5, rows.length - 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        {
          splits: () => xs.filter((i) => i % every === 0),
          values: (_u, splits) => splits.map((i) => short(rows[i]?.label ?? '')),
          grid: { show: false },
        },
        { label: t('reports.hours'), size: 56 },
      ],
      legend: { show: true, live: false },
      cursor: { points: { show: !bar } },
      series: [
        {},
        {
          label: t('reports.hours'),
          stroke: '#1971c2',
          fill: bar ? 'rgba(25, 113, 194, 0.55)' : 'rgba(25, 113, 194, 0.12)',
          width: bar ? 1 : 2,
          paths: bar && bars ? bars({ size: [0.7, 80] }) : undefined,
          value: (_u, v) => (v === null ? '' : `${v} h`),
        },
        {
          label: t('reports.billable'),
          stroke: '#2f9e44',
          fill: bar ? 'rgba(47, 158, 68, 0.75)' : undefined,
          width: bar ? 1 : 2,
          paths: bar && bars ? bars({ size: [0.35, 40] }) : undefined,
          value: (_u, v) => (v === null ? '' : `${v} h`),
        },
      ],
    };
    const plot = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: HEIGHT }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [rows, kind]);

  return (
    <div
      ref={ref}
      role="img"
      aria-label={kind === 'bar' ? t('reports.barChart') : t('reports.lineChart')}
      style={{ width: '100%', minHeight: HEIGHT }}
    />
  );
}
