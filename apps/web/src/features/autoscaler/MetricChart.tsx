import { Group, Paper, Text } from '@mantine/core';
import { numberText } from '../../app/format';
import { plot, type Series } from './chart';

const W = 600;
const H = 140;
/** Room left of the plot for the axis' largest label: seven characters at 11 px (`30,050` ms, `1.5 Mio.`). */
const GUTTER = 56;

/**
 * A small line chart in plain SVG: the figures are few and live, so a library's canvas buys nothing.
 * The latest values are printed beside the title for screen readers and quick reading.
 */
/** `id` names the chart for tests and scripts whatever the language of its title. */
export function MetricChart({
  id,
  title,
  unit,
  series,
}: {
  id?: string;
  title: string;
  unit: string;
  series: Series[];
}) {
  const { paths, max } = plot(series, W, H);
  const latest = series.map((s) => {
    const v = [...s.values].reverse().find((x) => x !== null);
    return `${s.label} ${v === undefined || v === null ? '–' : round(v)}${unit}`;
  });
  return (
    <Paper withBorder p="sm" radius="md">
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Text size="xs" c="dimmed" data-testid={`latest-${id ?? title}`}>
          {latest.join(' · ')}
        </Text>
      </Group>
      <svg
        viewBox={`-${GUTTER} -8 ${W + GUTTER + 8} ${H + 16}`}
        width="100%"
        role="img"
        aria-label={`${title}: ${latest.join(', ')}`}
        preserveAspectRatio="none"
      >
        <line x1={0} y1={H} x2={W} y2={H} stroke="#ced4da" />
        <line x1={0} y1={0} x2={W} y2={0} stroke="#f1f3f5" />
        <text x={-6} y={4} fontSize={11} textAnchor="end" fill="#868e96">
          {round(max)}
        </text>
        <text x={-6} y={H} fontSize={11} textAnchor="end" fill="#868e96">
          0
        </text>
        {paths.map((p) => (
          <path
            key={p.label}
            d={p.d}
            fill="none"
            stroke={p.color}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
          >
            <title>{p.label}</title>
          </path>
        ))}
      </svg>
      <Group gap="md">
        {series.map((s) => (
          <Text key={s.label} size="xs" c="dimmed">
            <span style={{ color: s.color }}>■</span> {s.label}
          </Text>
        ))}
      </Group>
    </Paper>
  );
}

const round = (v: number) => numberText(v, Math.abs(v) >= 100 ? 0 : 1);
