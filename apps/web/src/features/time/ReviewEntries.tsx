import type { TTimesheet } from '@clockpilot/contracts/time';
import { Table, Text } from '@mantine/core';
import { useActivities, useProjects } from './api';
import { dayOf } from './calendar';
import { hm, shortDay, timeOfDay } from './format';

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
        <caption style={{ captionSide: 'top', textAlign: 'left', padding: '0 0 8px' }}>Entries</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Day</Table.Th>
            <Table.Th>Time</Table.Th>
            <Table.Th>Work and note</Table.Th>
            <Table.Th ta="right">Breaks</Table.Th>
            <Table.Th ta="right">Worked</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sheet.entries.map((e) => (
            <Table.Tr key={e.id} data-testid="review-entry">
              <Table.Td>{shortDay(dayOf(e.startedAt, e.timeZone || zone))}</Table.Td>
              <Table.Td className="tabular">
                {timeOfDay(e.startedAt, zone)}–{e.endedAt ? timeOfDay(e.endedAt, zone) : 'now'}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {[
                    e.projectId ? (project.get(e.projectId) ?? 'Other project') : null,
                    e.activityId ? activity.get(e.activityId) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ') || 'No project'}
                </Text>
                {e.note && (
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                    {e.note}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right" className="tabular">
                {e.breakSeconds > 0 ? hm(e.breakSeconds) : '—'}
              </Table.Td>
              <Table.Td ta="right" className="tabular">
                {hm(e.workedSeconds)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
