import type { TEvaluationPolicy, TEvaluationResult } from '@clockpilot/contracts/autoscaler-evaluation';
import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { FIGURE_ROWS, formatFigure, POLICY_COLOR, POLICY_LABEL } from './evaluation';
import { MetricChart } from './MetricChart';

const hours = (seconds: number) =>
  seconds >= 3 * 3600 ? `${(seconds / 3600).toFixed(1)} h` : `${Math.round(seconds / 60)} min`;

/** The figures per policy, the goal's verdict and the servers each policy ran against the demand. */
export function EvaluationResult({ result }: { result: TEvaluationResult }) {
  const policies = (['hpa', 'predictive'] as const).filter((p) => result.policies[p]);
  const { trace, settings, comparison, chart } = result;
  const span = chart.secondsPerPoint * chart.demand.length;
  const ratio = (v: number | null) => (v === null ? 'no HPA figure to compare' : `${v}×`);
  const series = [
    { label: 'Demand (servers)', color: '#868e96', values: chart.demand },
    ...chart.series.map((s) => ({
      label: `${POLICY_LABEL[s.policy as TEvaluationPolicy]} ready`,
      color: POLICY_COLOR[s.policy as TEvaluationPolicy],
      values: s.ready,
    })),
  ];
  return (
    <Stack gap="md">
      <Text size="sm">
        {trace.steps.toLocaleString('en')} steps of {trace.stepSeconds} s, {formatFigure(trace.requests)}{' '}
        requests, peak {formatFigure(trace.peakRps)} req/s ({trace.gapSteps} gaps, {trace.zeroSteps} zero
        steps). Servers of {formatFigure(settings.serverRps)} req/s, {settings.bootSeconds} s boot,{' '}
        {settings.minServers}–{settings.maxServers} servers, a decision every {settings.syncSeconds} s; the
        first {settings.warmupSeconds} s are not counted.
      </Text>
      {comparison && (
        <Group gap="sm">
          <Badge color={comparison.goalMet ? 'green' : 'orange'} variant="light">
            {comparison.goalMet ? 'Goal met' : 'Goal not met'}
          </Badge>
          <Text size="sm">
            Predictive / HPA: SLO-violation minutes {ratio(comparison.sloViolationMinutesRatio)},
            server-minutes {ratio(comparison.serverMinutesRatio)} (goal: at most 0.7× and 1.0×)
          </Text>
        </Group>
      )}
      <Table striped withTableBorder aria-label="Evaluation figures per policy">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Figure</Table.Th>
            {policies.map((p) => (
              <Table.Th key={p} scope="col" ta="right">
                {POLICY_LABEL[p]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {FIGURE_ROWS.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row" fw={400}>
                {row.label}
                {row.unit && (
                  <Text span c="dimmed" size="xs">
                    {' '}
                    ({row.unit})
                  </Text>
                )}
              </Table.Th>
              {policies.map((p) => (
                <Table.Td key={p} ta="right">
                  {formatFigure(result.policies[p]?.[row.key])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <MetricChart title={`Servers against demand over ${hours(span)}`} unit="" series={series} />
    </Stack>
  );
}
