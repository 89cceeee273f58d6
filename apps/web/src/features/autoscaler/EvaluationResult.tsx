import type { TEvaluationPolicy, TEvaluationResult } from '@clockpilot/contracts/autoscaler-evaluation';
import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { numberText } from '../../app/format';
import { t } from '../../app/i18n';
import { FIGURE_ROWS, formatFigure, POLICY_COLOR, POLICY_LABEL } from './evaluation';
import { MetricChart } from './MetricChart';

/** The replayed span: hours from three hours on, else minutes. */
const span = (seconds: number) =>
  seconds >= 3 * 3600
    ? t('autoscaler.spanHours', { hours: numberText(seconds / 3600, 1) })
    : t('autoscaler.spanMinutes', { minutes: Math.round(seconds / 60) });

/** The figures per policy, the goal's verdict and the servers each policy ran against the demand. */
export function EvaluationResult({ result }: { result: TEvaluationResult }) {
  const policies = (['hpa', 'predictive'] as const).filter((p) => result.policies[p]);
  const { trace, settings, comparison, chart } = result;
  const seconds = chart.secondsPerPoint * chart.demand.length;
  const ratio = (v: number | null) => (v === null ? t('autoscaler.noRatio') : `${numberText(v)}×`);
  const series = [
    { label: t('autoscaler.demandServers'), color: '#868e96', values: chart.demand },
    ...chart.series.map((s) => ({
      label: t('autoscaler.policyReady', { policy: t(POLICY_LABEL[s.policy as TEvaluationPolicy]) }),
      color: POLICY_COLOR[s.policy as TEvaluationPolicy],
      values: s.ready,
    })),
  ];
  return (
    <Stack gap="md">
      <Text size="sm">
        {t('autoscaler.traceSummary', {
          steps: formatFigure(trace.steps),
          step: trace.stepSeconds,
          requests: formatFigure(trace.requests),
          peak: formatFigure(trace.peakRps),
          gaps: trace.gapSteps,
          zeros: trace.zeroSteps,
        })}{' '}
        {t('autoscaler.settingsSummary', {
          rps: formatFigure(settings.serverRps),
          boot: settings.bootSeconds,
          min: settings.minServers,
          max: settings.maxServers,
          sync: settings.syncSeconds,
          warmup: settings.warmupSeconds,
        })}
      </Text>
      {comparison && (
        <Group gap="sm">
          <Badge color={comparison.goalMet ? 'green' : 'orange'} variant="light">
            {t(comparison.goalMet ? 'autoscaler.goalMet' : 'autoscaler.goalNotMet')}
          </Badge>
          <Text size="sm">
            {t('autoscaler.ratios', {
              slo: ratio(comparison.sloViolationMinutesRatio),
              minutes: ratio(comparison.serverMinutesRatio),
            })}
          </Text>
        </Group>
      )}
      <Table striped withTableBorder aria-label={t('autoscaler.figuresTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('autoscaler.figure')}</Table.Th>
            {policies.map((p) => (
              <Table.Th key={p} scope="col" ta="right">
                {t(POLICY_LABEL[p])}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {FIGURE_ROWS.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row" fw={400}>
                {t(row.label)}
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
      <MetricChart title={t('autoscaler.chartTitle', { span: span(seconds) })} unit="" series={series} />
    </Stack>
  );
}
