import type { TTimesheet } from '@clockpilot/contracts/time';
import { Table, Text } from '@mantine/core';
import { t } from '../../app/i18n';
import { useActivities, useProjects } from './api';
import { dayOf } from './calendar';
import { EntrySpan, EntryTotals, EntryTotalsHead } from './EntryCells';
import { shortDay } from './format';

/** The week's entries one by one, with their notes: what a reviewer reads before deciding. */
export function ReviewEntries({ sheet }: { sheet: TTimesheet }) {
  const projects = useProjects();
  const activities = useActivities();
  const project = new Map((projects.data ?? []).map((p) => [p.id, `${p.code} · ${p.name}`]));
  const activity = new Map((activities.data ?? []).map((a) => [a.id, a.name]));
  const zone = sheet.timeZone;
  if (sheet.entries.length === 0) return null;
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing={4} data-testid="review-entries">
        <caption style={{ captionSide: 'top', textAlign: 'left', padding: '0 0 8px' }}>
          {t('approvals.entries')}
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('approvals.day')}</Table.Th>
            <Table.Th>{t('mytime.time')}</Table.Th>
            <Table.Th>{t('approvals.workAndNote')}</Table.Th>
            <EntryTotalsHead />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sheet.entries.map((e) => (
            <Table.Tr key={e.id} data-testid="review-entry">
              <Table.Td>{shortDay(dayOf(e.startedAt, e.timeZone || zone))}</Table.Td>
              <Table.Td className="tabular">
                <EntrySpan e={e} timeZone={zone} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {[
                    e.projectId ? (project.get(e.projectId) ?? t('sheet.otherProject')) : null,
                    e.activityId ? activity.get(e.activityId) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ') || t('entry.noProject')}
                </Text>
                {e.note && (
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                    {e.note}
                  </Text>
                )}
              </Table.Td>
              <EntryTotals e={e} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
