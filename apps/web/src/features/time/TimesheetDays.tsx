import type { TTimesheet } from '@clockpilot/contracts/time';
import { Card, Group, Stack, Text } from '@mantine/core';
import { t } from '../../app/i18n';
import { hm, longDay } from './format';

type Row = { key: string; label: string; perDay: Map<string, number> };

/**
 * The week on a phone: all seven days one under the other, each with its total, overtime and the
 * hours per project, instead of a grid seven columns wide.
 */
export function TimesheetDays({ sheet, rows }: { sheet: TTimesheet; rows: Row[] }) {
  return (
    <Stack gap="xs" component="ul" className="row-cards" data-testid="timesheet-days">
      {sheet.days.map((d) => {
        const work = rows.filter((r) => r.perDay.get(d.date));
        return (
          <Card key={d.date} withBorder padding="sm" radius="md" component="li">
            <Group justify="space-between" wrap="nowrap">
              <Text fw={600} size="sm">
                {longDay(d.date)}
              </Text>
              <Text fw={700} size="sm" className="tabular">
                {d.workedSeconds ? hm(d.workedSeconds) : '—'}
              </Text>
            </Group>
            {work.map((r) => (
              <Group key={r.key} justify="space-between" wrap="nowrap" gap="xs">
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {r.label}
                </Text>
                <Text size="xs" className="tabular">
                  {hm(r.perDay.get(d.date)!)}
                </Text>
              </Group>
            ))}
            {d.overtimeSeconds > 0 && (
              <Text size="xs" c="orange.9" className="tabular">
                {t('sheet.overtime')} {hm(d.overtimeSeconds)}
              </Text>
            )}
          </Card>
        );
      })}
    </Stack>
  );
}
