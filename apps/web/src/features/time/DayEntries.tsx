import type { TTimeEntry } from '@clockpilot/contracts/time';
import { Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconCopy, IconEdit, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { t } from '../../app/i18n';
import { RowAction, usePhone } from '../../app/ui';
import { EntrySpan, EntryTotals, EntryTotalsHead } from './EntryCells';
import { hm, timeOfDay } from './format';

/** Continue, duplicate, edit and delete of one entry; each button names the entry it acts on. */
export function EntryActions(props: {
  entry: TTimeEntry;
  timeZone: string;
  canContinue: boolean;
  editable: boolean;
  onContinue: () => void;
  onDuplicate: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { entry: e, editable } = props;
  const time = timeOfDay(e.startedAt, props.timeZone);
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      <RowAction
        tip={t('mytime.continue')}
        label={t('mytime.continueOne', { time })}
        icon={<IconPlayerPlay size={18} aria-hidden />}
        color="green"
        disabled={!props.canContinue}
        onClick={props.onContinue}
      />
      <RowAction
        tip={t('mytime.duplicate')}
        label={t('mytime.duplicateOne', { time })}
        icon={<IconCopy size={18} aria-hidden />}
        disabled={!editable || !e.endedAt}
        onClick={props.onDuplicate}
      />
      <RowAction
        tip={t('mytime.edit')}
        label={t('mytime.editOne', { time })}
        icon={<IconEdit size={18} aria-hidden />}
        disabled={!editable}
        onClick={props.onEdit}
      />
      <RowAction
        tip={t('mytime.delete')}
        label={t('mytime.deleteOne', { time })}
        icon={<IconTrash size={18} aria-hidden />}
        color="red"
        disabled={!editable || !e.endedAt}
        onClick={props.onDelete}
      />
    </Group>
  );
}

/**
 * One day's entries: a table on wider screens, stacked rows on a phone (time and worked on one
 * line, the work below, the actions under it), so nothing scrolls sideways.
 */
export function DayEntries({
  entries,
  timeZone,
  describe,
  actions,
}: {
  entries: TTimeEntry[];
  timeZone: string;
  /** `project · activity`, or a dash. */
  describe: (e: TTimeEntry) => string;
  actions: (e: TTimeEntry) => ReactNode;
}) {
  const phone = usePhone();
  const note = (e: TTimeEntry) =>
    e.note && (
      <Text size="xs" c="dimmed" lineClamp={1}>
        {e.note}
      </Text>
    );
  if (phone) {
    return (
      <Stack gap="xs" data-testid="entries">
        {entries.map((e) => (
          <Stack key={e.id} gap={2} data-testid="entry-row" className="entry-card">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text size="sm" className="tabular">
                <EntrySpan e={e} timeZone={timeZone} />
              </Text>
              <Text size="sm" fw={600} className="tabular">
                {hm(e.workedSeconds)}
              </Text>
            </Group>
            <Text size="sm">{describe(e)}</Text>
            {note(e)}
            <Group justify="space-between" wrap="nowrap">
              <Text size="xs" c="dimmed" className="tabular">
                {e.breakSeconds > 0 ? `${t('mytime.breaks')} ${hm(e.breakSeconds)}` : ''}
              </Text>
              {actions(e)}
            </Group>
          </Stack>
        ))}
      </Stack>
    );
  }
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table verticalSpacing="xs" data-testid="entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('mytime.time')}</Table.Th>
            <Table.Th>{t('entry.project')}</Table.Th>
            <EntryTotalsHead />
            <Table.Th w={170}>
              <VisuallyHidden>{t('ui.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr key={e.id} data-testid="entry-row">
              <Table.Td className="tabular">
                <EntrySpan e={e} timeZone={timeZone} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{describe(e)}</Text>
                {note(e)}
              </Table.Td>
              <EntryTotals e={e} />
              <Table.Td>{actions(e)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
